package org.oncobench.export;

import org.oncobench.config.BadInputException;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code oncobench export RUN_ID --card-only --out card.md}: the model card for review, as Markdown and as an HTML page
 * beside it ({@code card.html}), without writing a bundle. It is the card a bundle of the run carries: the same
 * sections and the same SHA-256 of model.zip, model.onnx and the other entries, so a reviewer who signs the card
 * signs those exact files.
 */
public final class ModelCardWriter {
    /** What was written: the Markdown and HTML files, and the hashes of the bundle entries the card names. */
    public record Written(Path markdown, Path html, String runId, Map<String, String> sha256, boolean hasOnnx) {
    }

    /** @param signed whether the card describes a signed bundle (export --sign) */
    public Written export(RunStore store, String runId, Path out, boolean signed) {
        RunExport run = RunExport.load(store, runId);
        Path md = out.toAbsolutePath().normalize();
        String name = md.getFileName().toString();
        Path html = md.resolveSibling((name.endsWith(".md") ? name.substring(0, name.length() - 3) : name) + ".html");
        if (html.equals(md)) {
            throw new BadInputException("--out " + out + ": the card's Markdown file needs a name other than its HTML page's; use card.md");
        }
        try {
            OnnxExport.Outcome onnx = OnnxExport.attempt(run);
            Map<String, String> hashes = BundleWriter.hashes(BundleWriter.payload(run, onnx));
            Map<String, Object> card = ModelCard.build(run, signed, hashes, onnx);
            String markdown = ModelCard.markdown(card);
            if (md.getParent() != null) {
                Files.createDirectories(md.getParent());
            }
            write(md, markdown);
            write(html, ModelCard.html(markdown, "Model card: " + card.get("model")));
            return new Written(md, html, runId, hashes, onnx.model() != null);
        } catch (IOException e) {
            throw new BadInputException("cannot write the model card to " + out + " (" + e.getMessage() + ")");
        }
    }

    private static void write(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        RunFolder.moveIntoPlace(tmp, target);
    }
}
