package org.oncobench.export;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.preprocessor.MultiNormalizerStandardize;
import org.oncobench.config.BadInputException;
import org.oncobench.export.onnx.OnnxConverter;
import org.oncobench.export.onnx.OnnxExportException;
import org.oncobench.export.onnx.OnnxModel;
import org.oncobench.model.NativeSetup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's model as ONNX ({@link OnnxConverter}): its network and normaliser from {@code model.zip}, the bundle's input
 * schema, and metadata naming the run, the task, the output and the intended use. The same run gives the same bytes,
 * so the model card can state the hash of the {@code model.onnx} a bundle carries.
 */
final class OnnxExport {
    /** The model, or why there is none (a network the exporter refuses). */
    record Outcome(OnnxModel model, String refusal) {
    }

    private OnnxExport() {
    }

    /** The run's ONNX model, or the exporter's refusal. */
    static Outcome attempt(RunExport run) {
        try {
            return new Outcome(convert(run), null);
        } catch (OnnxExportException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    /** @throws OnnxExportException when the network holds something the exporter does not translate */
    static OnnxModel convert(RunExport run) {
        if (run.schema().has("residual_target")) {
            throw new OnnxExportException("cannot export this model to ONNX: its network predicts the residual over the training "
                    + run.schema().path("residual_target").path("residual_over").asText() + ", which the bundle adds back per drug and an ONNX graph "
                    + "of the network alone would not");
        }
        if (run.schema().path("ensemble").path("members").asInt(1) > 1) {
            throw new OnnxExportException("cannot export this model to ONNX: it is an ensemble of " + run.schema().path("ensemble").path("members").asInt()
                    + " networks (model.ensemble) whose mean the bundle serves, and an ONNX graph of member 0 alone would not");
        }
        NativeSetup.apply();
        ComputationGraph net;
        MultiNormalizerStandardize normalizer;
        try {
            net = ModelSerializer.restoreComputationGraph(run.modelFile().toFile(), false);
            normalizer = ModelSerializer.restoreNormalizerFromFile(run.modelFile().toFile());
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(run.modelFile() + ": cannot load the model (" + e.getMessage() + ")");
        }
        if (normalizer == null) {
            throw new OnnxExportException("cannot export this model to ONNX: " + run.modelFile() + " holds no normaliser (made by an older oncobench?)");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("run_id", run.runId());
        metadata.put("model", run.modelName());
        metadata.put("task", run.schema().path("task").asText());
        metadata.put("target", run.schema().path("target").asText());
        metadata.put("output", run.schema().path("output").asText());
        if (run.schema().path("positive").isTextual()) {
            metadata.put("positive", run.schema().path("positive").asText());
        }
        metadata.put("intended_use", ModelCard.INTENDED_USE);
        metadata.put("oncobench_version", run.provenance().path("versions").path("oncobench").asText("unknown"));
        return OnnxConverter.convert(net, normalizer, run.schema(), new String(run.schemaBytes(), StandardCharsets.UTF_8), metadata, run.modelName());
    }
}
