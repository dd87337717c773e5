package org.oncobench.cli;

import org.oncobench.export.BatchScoring;
import org.oncobench.export.Bundle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code oncobench predict BUNDLE --input DIR_OR_FILES --out predictions.csv}. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score samples (and drugs) with an exported bundle. Inputs: <input>.csv per omics input (first column the sample id), "
                + "<input>/<sample id>/ tiles per image input, drugs.csv (id, SMILES), optional pairs.csv (sample, drug).")
final class PredictCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE.zip")
    Path bundle;

    @Option(names = "--verify", paramLabel = "PUBKEY.pem", description = "Refuse the bundle unless its manifest is signed by the private key "
            + "matching this public key (X.509 PEM).")
    Path publicKey;

    @Option(names = "--input", required = true, split = ",", paramLabel = "DIR_OR_FILES", description = "A folder of input files, or the files.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "predictions.csv")
    Path out;

    @Option(names = "--explain", paramLabel = "K", defaultValue = "0", description = "Add each prediction's top K features "
            + "(integrated gradients: input, feature, value, attribution in the output's units) to its line.")
    int explain;

    @Override
    public Integer call() {
        if (explain < 0 || explain > 1000) {
            throw new org.oncobench.config.BadInputException("--explain " + explain + " is out of range; allowed: 0..1000");
        }
        BatchScoring.Scored s = new BatchScoring().score(Bundle.open(bundle, publicKey), inputs, out, explain);
        spec.commandLine().getOut().println("Wrote " + s.rows() + " predictions to " + s.out());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
