package org.oncobench.cli;

import org.oncobench.config.BadInputException;
import org.oncobench.export.BundleWriter;
import org.oncobench.export.DrEvalResultsWriter;
import org.oncobench.export.ImproveScoresWriter;
import org.oncobench.export.ModelCardWriter;
import org.oncobench.export.OnnxWriter;
import org.oncobench.runs.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code oncobench export RUN_ID --out model.zip | --format onnx --out model.onnx | --card-only --out card.md}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a verifiable model bundle: model, normalisers, input schema, model.onnx, experiment, provenance, metrics, model card, "
                + "SHA-256 manifest.", "--format onnx writes the model alone as ONNX; --card-only writes the model card (Markdown and HTML) for review."})
final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "A run id, a unique prefix of one, or 'latest'.")
    String runId;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The bundle (FILE.zip), ONNX model (FILE.onnx) or card (FILE.md, "
            + "with FILE.html beside it) to write; with --format dreval or improve, a folder.")
    Path out;

    @Option(names = "--format", defaultValue = "zip", paramLabel = "zip|onnx|dreval|improve", description = "zip: the bundle (default); onnx: the "
            + "model as ONNX (raw features in, the prediction out), the model.onnx every bundle carries; dreval: the test predictions and "
            + "scores in DrEval's result layout (--out DIR); improve: IMPROVE's test_scores.json per split (--out DIR).")
    String format;

    @Option(names = "--dataset", paramLabel = "NAME", description = "--format dreval: DrEval's dataset folder (default: the experiment's name).")
    String dataset;

    @Option(names = "--algorithm", paramLabel = "NAME", description = "--format dreval: the model's name in DrEval's tables "
            + "(default: oncobench-MODEL_KIND).")
    String algorithm;

    @Option(names = "--card-only", description = "Write only the model card, as Markdown (--out) and HTML beside it, for sign-off: the card a "
            + "bundle of this run carries, with the SHA-256 of its model.zip and model.onnx.")
    boolean cardOnly;

    @Option(names = "--sign", paramLabel = "KEY.pem", description = "Sign the manifest with this private key (PKCS#8 PEM, Ed25519/EC/RSA), "
            + "so a team holding the public key can detect any change to any entry, model.onnx included (predict/serve --verify PUBKEY).")
    Path signingKey;

    @CommandLine.Mixin
    RunsDirOption runs = new RunsDirOption();

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        RunStore store = new RunStore(runs.runsDir);
        String runId = store.resolve(this.runId);
        if (!List.of("zip", "onnx", "dreval", "improve").contains(format)) {
            throw new BadInputException("--format " + format + " is not supported; allowed: zip (the bundle), onnx (the model alone), dreval "
                    + "(DrEval's result layout), improve (IMPROVE's test_scores.json)");
        }
        if ((dataset != null || algorithm != null) && !format.equals("dreval")) {
            throw new BadInputException("--dataset and --algorithm name DrEval's folders; they go with --format dreval");
        }
        if (format.equals("dreval") || format.equals("improve")) {
            if (cardOnly || signingKey != null) {
                throw new BadInputException("--card-only and --sign go with the bundle; --format " + format + " writes result files");
            }
            if (format.equals("dreval")) {
                DrEvalResultsWriter.Written w = new DrEvalResultsWriter().export(store, runId, out, dataset, algorithm);
                o.println("Wrote run " + w.runId() + "'s test predictions in DrEval's layout to " + w.dir() + " (" + w.testMode() + ", "
                        + w.algorithm() + ", " + w.predictionFiles().size() + " split file(s)) with evaluation_results.csv and true_vs_pred.csv");
            } else {
                ImproveScoresWriter.Written w = new ImproveScoresWriter().export(store, runId, out);
                o.println("Wrote run " + w.runId() + "'s test_scores.json for " + w.scoreFiles().size() + " split(s) to " + w.dir());
            }
            o.flush();
            return 0;
        }
        if (cardOnly && format.equals("onnx")) {
            throw new BadInputException("--card-only writes the model card; leave out --format onnx (the card names model.onnx's hash)");
        }
        if (cardOnly) {
            ModelCardWriter.Written w = new ModelCardWriter().export(store, runId, out, signingKey != null);
            o.println("Wrote the model card of run " + w.runId() + " to " + w.markdown() + " and " + w.html() + " (SHA-256 of "
                    + String.join(", ", w.sha256().keySet()) + (w.hasOnnx() ? "" : "; no model.onnx, the card says why") + ")");
        } else if (format.equals("onnx")) {
            if (signingKey != null) {
                throw new BadInputException("--sign signs a bundle's manifest, and a lone model.onnx has none: export the bundle with --sign "
                        + "(its signature covers the model.onnx inside), or sign the file with your own tools");
            }
            OnnxWriter.Written w = new OnnxWriter().export(store, runId, out);
            StringBuilder inputs = new StringBuilder();
            w.model().inputs().forEach(i -> inputs.append(inputs.isEmpty() ? "" : ", ").append(i.name()).append(" [batch, ").append(i.width()).append(']'));
            int nodes = w.model().operators().values().stream().mapToInt(Integer::intValue).sum();
            o.printf(Locale.ROOT, "Exported run %s to %s (ONNX opset %d, %d nodes; inputs %s; output %s [batch, 1]: %s; SHA-256 %s)%n", w.runId(),
                    w.file(), w.model().opset(), nodes, inputs, w.model().output(), w.model().outputMeaning(), w.sha256());
        } else {
            BundleWriter.Exported e = new BundleWriter().export(store, runId, out, signingKey);
            o.println("Exported run " + e.runId() + " to " + e.file() + " (" + e.entries() + " entries: " + e.sha256().size() + " files and their SHA-256 manifest"
                    + (e.signed() ? ", signed with " + signingKey : "; not signed: the manifest detects corruption, a signature (--sign KEY) detects tampering")
                    + ")");
            if (!e.hasOnnx()) {
                o.println("note: no model.onnx in the bundle: " + e.onnxRefusal());
            }
        }
        o.flush();
        return 0;
    }
}
