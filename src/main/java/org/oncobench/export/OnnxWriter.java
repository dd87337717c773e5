package org.oncobench.export;

import org.oncobench.config.BadInputException;
import org.oncobench.export.onnx.OnnxExportException;
import org.oncobench.export.onnx.OnnxModel;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code oncobench export RUN_ID --format onnx --out model.onnx}: the run's model alone, as the ONNX file every bundle
 * of the run carries (the same bytes), for serving stacks that take ONNX (ONNX Runtime, Triton, KServe, Seldon).
 */
public final class OnnxWriter {
    /** What was written: the file, its SHA-256 and the model's inputs, output and operators. */
    public record Written(Path file, String runId, String sha256, OnnxModel model) {
    }

    /** @throws OnnxExportException (exit code 2) when the exporter does not translate the run's network, with the reason */
    public Written export(RunStore store, String runId, Path out) {
        OnnxModel model = OnnxExport.convert(RunExport.load(store, runId));
        Path target = out.toAbsolutePath().normalize();
        try {
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.write(tmp, model.bytes());
            RunFolder.moveIntoPlace(tmp, target);
        } catch (IOException e) {
            throw new BadInputException("cannot write " + out + " (" + e.getMessage() + ")");
        }
        return new Written(target, runId, BundleWriter.sha256(model.bytes()), model);
    }
}
