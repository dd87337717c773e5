package org.oncobench.cli;

import org.oncobench.data.synth.SynthResult;
import org.oncobench.data.synth.SynthSpec;
import org.oncobench.data.synth.SyntheticCohortGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code oncobench data synth}: writes a synthetic cohort in real layouts. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write a synthetic drug-response cohort (DepMap and GDSC layouts, image tiles, known noise ceiling).")
final class SynthCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, description = "Folder to write into (created if missing).")
    Path out;

    @Option(names = "--cell-lines", defaultValue = "240", description = "Number of cell lines (default: ${DEFAULT-VALUE}).")
    int cellLines;

    @Option(names = "--drugs", defaultValue = "30", description = "Number of drugs (default: ${DEFAULT-VALUE}).")
    int drugs;

    @Option(names = "--genes", defaultValue = "600", description = "Number of genes (default: ${DEFAULT-VALUE}).")
    int genes;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed; same seed, same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tiles", defaultValue = "2", description = "Image tiles per cell line (default: ${DEFAULT-VALUE}).")
    int tiles;

    @Option(names = "--tile-size", defaultValue = "32", description = "Tile width and height in pixels (default: ${DEFAULT-VALUE}).")
    int tileSize;

    @Option(names = "--external", paramLabel = "DIR", description = "Also write a second, shifted study of the same biology in other "
            + "layouts (CCLE names, CTRP-style drug ids, bare gene symbols) into DIR, for cross-study evaluation.")
    Path external;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        SynthSpec synth = new SynthSpec(cellLines, drugs, genes, seed, tiles, tileSize);
        int[] last = {-1};
        SynthResult r = new SyntheticCohortGenerator().generate(synth, out, external, pct -> {
            if (pct / 10 != last[0] / 10) {
                err.print("\r  writing " + pct + "%");
                err.flush();
                last[0] = pct;
            }
        });
        err.println();
        spec.commandLine().getOut().println(String.format(Locale.ROOT,
                "Wrote %d cell lines x %d drugs (%d response rows) x %d genes to %s%n"
                        + "Noise ceiling: RMSE %.3f, Pearson %.3f, per-drug Pearson %.3f (see %s)",
                r.cellLines(), r.drugs(), r.responseRows(), r.genes(), r.dir(), r.ceiling().rmse(), r.ceiling().pearson(),
                r.ceiling().perDrugPearsonMean(), r.dir().resolve("README.md")));
        if (external != null) {
            spec.commandLine().getOut().println("Wrote the external study to " + external + " (see " + external.resolve("README.md") + ")");
        }
        return 0;
    }
}
