package org.oncobench.cli;

import org.oncobench.export.BundleWriter;
import org.oncobench.runs.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code oncobench export RUN_ID --out model.zip}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a verifiable model bundle: model, normalisers, input schema, experiment, provenance, metrics, model card, SHA-256 manifest.")
final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--out", required = true, paramLabel = "FILE.zip", description = "The bundle to write.")
    Path out;

    @Option(names = "--sign", paramLabel = "KEY.pem", description = "Sign the manifest with this private key (PKCS#8 PEM, Ed25519/EC/RSA), "
            + "so a team holding the public key can detect any change (predict/serve --verify PUBKEY).")
    Path signingKey;

    @CommandLine.Mixin
    RunsDirOption runs = new RunsDirOption();

    @Override
    public Integer call() {
        BundleWriter.Exported e = new BundleWriter().export(new RunStore(runs.runsDir), runId, out, signingKey);
        spec.commandLine().getOut().println("Exported run " + e.runId() + " to " + e.file() + " (" + e.sha256().size() + " entries, SHA-256 manifest"
                + (e.signed() ? ", signed with " + signingKey : "; not signed: the manifest detects corruption, a signature (--sign KEY) detects tampering")
                + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
