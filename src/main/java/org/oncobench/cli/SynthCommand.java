package org.oncobench.cli;

import org.oncobench.config.BadInputException;
import org.oncobench.data.synth.ImproveLayoutWriter;
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

    @Option(names = "--cell-lines", description = "Number of cell lines (default: 240; --layout improve: 90).")
    Integer cellLines;

    @Option(names = "--drugs", description = "Number of drugs (default: 30; --layout improve: 16).")
    Integer drugs;

    @Option(names = "--genes", description = "Number of genes (default: 600; --layout improve: 48).")
    Integer genes;

    @Option(names = "--layout", defaultValue = "gdsc", paramLabel = "gdsc|improve", description = "gdsc: DepMap and GDSC files (default); "
            + "improve: a three-study tree in IMPROVE's cross-study layout (csa_data/raw_data: response.tsv, x_data, split files).")
    String layout;

    @Option(names = "--splits", defaultValue = "10", description = "--layout improve: train/val/test split files per study "
            + "(default: ${DEFAULT-VALUE}, as IMPROVE releases).")
    int splits;

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
        if (layout.equals("improve")) {
            if (external != null) {
                throw new BadInputException("--external writes a second study beside the GDSC layout; --layout improve writes "
                        + ImproveLayoutWriter.STUDIES.size() + " studies in one tree already");
            }
            ImproveLayoutWriter.Written w = new ImproveLayoutWriter().write(out, cellLines == null ? 90 : cellLines, drugs == null ? 16 : drugs,
                    genes == null ? 48 : genes, splits, seed);
            StringBuilder rows = new StringBuilder();
            for (int s = 0; s < w.rowsPerStudy().length; s++) {
                rows.append(s > 0 ? ", " : "").append(ImproveLayoutWriter.STUDIES.get(s)).append(' ').append(w.rowsPerStudy()[s]);
            }
            spec.commandLine().getOut().println(String.format(Locale.ROOT, "Wrote %d cell lines x %d drugs x %d genes in IMPROVE's layout to %s "
                    + "(response rows: %s; %d splits per study)", w.cellLines(), w.drugs(), w.genes(), w.rawData(), rows, w.splits()));
            return 0;
        }
        if (!layout.equals("gdsc")) {
            throw new BadInputException("--layout " + layout + " is not supported; allowed: gdsc, improve");
        }
        SynthSpec synth = new SynthSpec(cellLines == null ? 240 : cellLines, drugs == null ? 30 : drugs, genes == null ? 600 : genes, seed,
                tiles, tileSize);
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
