package org.oncobench.data.synth;

import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmiFlavor;
import org.openscience.cdk.smiles.SmilesGenerator;
import org.openscience.cdk.smiles.SmilesParser;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.oncobench.data.synth.SyntheticCohortGenerator.FACTORS;
import static org.oncobench.data.synth.SyntheticCohortGenerator.LINEAGES;
import static org.oncobench.data.synth.SyntheticCohortGenerator.TARGETS;

/**
 * A second synthetic study of the same biology, as another lab would release it (CCLE/CTRP-like): the second half of the
 * primary study's cell lines plus 30% new ones, named by CCLE name and mapped to DepMap ids by {@code cellinfo.csv};
 * expression re-measured with a batch shift (0.85 x + 0.6, more noise) under bare gene symbols, a tenth of the
 * non-target genes missing; four in five of the drugs under another id scheme ({@code CTRP-nnnn}) with their SMILES
 * written differently (CDK's canonical form: the same molecules, other strings), so only their structure matches them;
 * responses with a study offset (+0.3) and more noise (sd 0.6).
 */
final class ExternalStudyWriter {
    static final double SHIFT_SCALE = 0.85;
    static final double SHIFT = 0.6;
    static final double OFFSET = 0.3;
    static final double NOISE_SD = 0.6;

    private final long seed;
    private final int nc;
    private final int ncAll;
    private final int[] lineage;
    private final double[][] z;
    private final double[] sensitivity;
    private final double[] imageFactor;
    private final double[][] targetSignal;
    private final String[] geneNames;
    private final double[] base;
    private final double[] loading;
    private final double[] mutationRate;
    private final int[] drugTarget;
    private final double[] potency;
    private final double[] gain;
    private final String[] smiles;

    ExternalStudyWriter(long seed, int nc, int ncAll, int[] lineage, double[][] z, double[] sensitivity, double[] imageFactor,
                        double[][] targetSignal, String[] geneNames, double[] base, double[] loading, double[] mutationRate, int[] drugTarget,
                        double[] potency, double[] gain, String[] smiles) {
        this.seed = seed;
        this.nc = nc;
        this.ncAll = ncAll;
        this.lineage = lineage;
        this.z = z;
        this.sensitivity = sensitivity;
        this.imageFactor = imageFactor;
        this.targetSignal = targetSignal;
        this.geneNames = geneNames;
        this.base = base;
        this.loading = loading;
        this.mutationRate = mutationRate;
        this.drugTarget = drugTarget;
        this.potency = potency;
        this.gain = gain;
        this.smiles = smiles;
    }

    static String compoundId(int d) {
        return String.format(Locale.ROOT, "CTRP-%04d", 101 + d);
    }

    void write(Path dir) throws IOException {
        int nt = TARGETS.length;
        int ng = geneNames.length;
        int first = nc / 2;
        try (Writer w = writer(dir.resolve("cellinfo.csv"))) {
            w.write("CCLE_Name,DepMap_ID,Tissue\n");
            for (int c = first; c < ncAll; c++) {
                w.write(ccle(c) + "," + SyntheticCohortGenerator.modelId(c) + "," + LINEAGES[lineage[c]][0] + "\n");
            }
        }
        Rng exprRng = new Rng(seed, 21);
        Rng mutRng = new Rng(seed, 22);
        boolean[][] targetMutated = new boolean[ncAll][nt];
        try (Writer w = writer(dir.resolve("expression.csv"))) {
            StringBuilder header = new StringBuilder("DepMap_ID");
            for (int g = 0; g < ng; g++) {
                if (kept(g, nt)) {
                    header.append(',').append(geneNames[g].substring(0, geneNames[g].indexOf(' '))); // the symbol alone
                }
            }
            w.write(header.append('\n').toString());
            StringBuilder e = new StringBuilder(ng * 7);
            for (int c = first; c < ncAll; c++) {
                e.setLength(0);
                e.append(SyntheticCohortGenerator.modelId(c));
                for (int g = 0; g < ng; g++) {
                    double truth = g < nt ? base[g] + 0.94 * targetSignal[c][g] : base[g] + loading[g] * z[c][g % FACTORS];
                    double value = SHIFT_SCALE * truth + SHIFT + 0.3 * exprRng.normal();
                    if (g < nt) {
                        targetMutated[c][g] = mutRng.uniform() < mutationRate[g] * (lineage[c] % 3 == g % 3 ? 1.6 : 0.7);
                    }
                    if (kept(g, nt)) {
                        e.append(',');
                        Decimal.append(e, Math.max(0, value), 3);
                    }
                }
                w.write(e.append('\n').toString());
            }
        }
        SmilesParser parser = new SmilesParser(SilentChemObjectBuilder.getInstance());
        SmilesGenerator canonical = new SmilesGenerator(SmiFlavor.Canonical);
        int nd = potency.length;
        try (Writer w = writer(dir.resolve("compounds.csv"))) {
            w.write("Compound_ID,Compound,SMILES\n");
            for (int d = 0; d < nd; d++) {
                if (d % 5 != 4) {
                    String written;
                    try {
                        written = canonical.create(parser.parseSmiles(smiles[d]));
                    } catch (CDKException e) {
                        throw new IllegalStateException("SMILES of drug " + d + ": " + e.getMessage(), e);
                    }
                    w.write(compoundId(d) + "," + SyntheticCohortGenerator.drugName(d) + "," + written + "\n");
                }
            }
        }
        Rng noiseRng = new Rng(seed, 23);
        Rng keepRng = new Rng(seed, 24);
        try (Writer w = writer(dir.resolve("responses.csv"))) {
            w.write("CCLE_Name,Compound_ID,LN_IC50\n");
            StringBuilder sb = new StringBuilder(64);
            for (int c = first; c < ncAll; c++) {
                for (int d = 0; d < nd; d++) {
                    double noise = noiseRng.normal(0, NOISE_SD);
                    if (d % 5 == 4 || keepRng.uniform() >= 0.85) {
                        continue;
                    }
                    int k = drugTarget[d];
                    double interaction = SyntheticCohortGenerator.interaction(k, targetSignal[c][k], targetMutated[c][k], imageFactor[c]);
                    sb.setLength(0);
                    sb.append(ccle(c)).append(',').append(compoundId(d)).append(',');
                    Decimal.append(sb, potency[d] + OFFSET + gain[d] * sensitivity[c] + interaction + noise, 6);
                    w.write(sb.append('\n').toString());
                }
            }
        }
        Files.writeString(dir.resolve("README.md"), """
                # A second synthetic study (cross-study evaluation)

                Written by `oncobench data synth --external DIR` beside the primary cohort, from the same biology: cell lines
                %d to %d of the primary study (the second half) plus %d new ones, named by CCLE name (`cellinfo.csv` maps them
                to DepMap ids); expression re-measured with a batch shift (%.2f x + %.1f, noise sd 0.3) under bare gene symbols,
                every tenth non-target gene missing; four in five of the drugs, under `CTRP-nnnn` ids with their SMILES in
                CDK's canonical form (the same molecules written differently: only their structure matches them to the primary
                study's drugs); LN_IC50 with a study offset of +%.1f and noise sd %.1f.
                """.formatted(first + 1, nc, ncAll - nc, SHIFT_SCALE, SHIFT, OFFSET, NOISE_SD), StandardCharsets.UTF_8);
    }

    private static boolean kept(int g, int nt) {
        return g < nt || g % 10 != 3;
    }

    private String ccle(int c) {
        return SyntheticCohortGenerator.cellLineName(c).replace("-", "") + "_" + LINEAGES[lineage[c]][0].toUpperCase(Locale.ROOT).replaceAll("[^A-Z]", "");
    }

    private static Writer writer(Path file) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
    }
}
