package org.oncobench.data.synth;

import org.oncobench.config.BadInputException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * Writes a synthetic drug-response cohort in the layouts real data is released in, with planted structure and
 * noise of known size. Streams the matrices row by row, so GDSC scale (1,000 cell lines x 250 drugs x 19,000 genes)
 * needs little memory. Same spec, same bytes. The model is described in the README it writes.
 */
public final class SyntheticCohortGenerator {
    /** Drug targets: gene symbol, Entrez id, mechanism through which the target changes the response, pathway. */
    static final String[][] TARGETS = {
        {"EGFR", "1956", "expression", "EGFR signaling"},
        {"BRAF", "673", "mutation", "ERK MAPK signaling"},
        {"ERBB2", "2064", "expression", "RTK signaling"},
        {"MTOR", "2475", "expression", "PI3K/MTOR signaling"},
        {"PIK3CA", "5290", "mutation", "PI3K/MTOR signaling"},
        {"KRAS", "3845", "mutation", "ERK MAPK signaling"},
        {"ALK", "238", "mutation", "RTK signaling"},
        {"CDK4", "1019", "expression", "Cell cycle"},
        {"PARP1", "142", "image", "Genome integrity"},
        {"MET", "4233", "expression", "RTK signaling"},
        {"AURKA", "6790", "image", "Mitosis"},
        {"BCL2", "596", "expression", "Apoptosis regulation"},
    };
    static final String[][] LINEAGES = {
        {"Lung", "LUAD"}, {"Breast", "BRCA"}, {"Skin", "SKCM"}, {"Bowel", "COREAD"}, {"CNS/Brain", "GBM"},
        {"Myeloid", "LAML"}, {"Lymphoid", "DLBC"}, {"Ovary/Fallopian Tube", "OV"}, {"Pancreas", "PAAD"}, {"Kidney", "KIRC"},
    };
    static final int FACTORS = 6;
    static final double NOISE_SD = 0.5;
    static final double PAIR_KEEP = 0.9;
    static final double EXPRESSION_EFFECT = 0.7;
    static final double MUTATION_EFFECT = 1.2;
    static final double IMAGE_EFFECT = 0.7;

    public SynthResult generate(SynthSpec spec, Path out, IntConsumer progressPercent) {
        return generate(spec, out, null, progressPercent);
    }

    /**
     * The cohort, and with {@code external} a second study of the same biology in other layouts ({@link ExternalStudyWriter}).
     * The primary study's files are the same bytes either way.
     */
    public SynthResult generate(SynthSpec spec, Path out, Path external, IntConsumer progressPercent) {
        try {
            Files.createDirectories(out);
            if (external != null) {
                Files.createDirectories(external);
            }
            return write(spec, out, external, progressPercent);
        } catch (IOException e) {
            throw new BadInputException(out + ": cannot write the synthetic cohort (" + e.getMessage() + ")");
        }
    }

    private SynthResult write(SynthSpec spec, Path out, Path external, IntConsumer progress) throws IOException {
        int nc = spec.cellLines();
        // the external study re-measures the second half of the cell lines and adds 30% new ones, drawn after the primary's
        int ncAll = external == null ? nc : nc + 3 * nc / 10;
        int nd = spec.drugs();
        int ng = spec.genes();
        int nt = TARGETS.length;
        long seed = spec.seed();

        // Cell lines: lineage, latent factors, sensitivity, image factor.
        Rng cellRng = new Rng(seed, 1);
        double[][] lineageShift = new double[LINEAGES.length][FACTORS];
        for (double[] shift : lineageShift) {
            for (int f = 0; f < FACTORS; f++) {
                shift[f] = cellRng.normal(0, 0.6);
            }
        }
        double[] beta = new double[FACTORS];
        double norm = 0;
        for (int f = 0; f < FACTORS; f++) {
            beta[f] = cellRng.normal();
            norm += beta[f] * beta[f];
        }
        for (int f = 0; f < FACTORS; f++) {
            beta[f] /= StrictMath.sqrt(norm);
        }
        int[] lineage = new int[ncAll];
        double[][] z = new double[ncAll][FACTORS];
        double[] sensitivity = new double[ncAll];
        double[] imageFactor = new double[ncAll];
        double[][] targetSignal = new double[ncAll][nt];
        for (int c = 0; c < ncAll; c++) {
            lineage[c] = cellRng.nextInt(LINEAGES.length);
            for (int f = 0; f < FACTORS; f++) {
                z[c][f] = lineageShift[lineage[c]][f] + cellRng.normal();
                sensitivity[c] += beta[f] * z[c][f];
            }
            imageFactor[c] = cellRng.normal();
            for (int k = 0; k < nt; k++) {
                targetSignal[c][k] = (0.5 * z[c][k % FACTORS] + 0.8 * cellRng.normal()) / StrictMath.sqrt(0.25 + 0.64 + 0.25 * 0.36);
            }
        }

        // Genes: the targets first, then synthetic genes; each loads on one factor.
        Rng geneRng = new Rng(seed, 2);
        String[] geneNames = new String[ng];
        double[] base = new double[ng];
        double[] loading = new double[ng];
        double[] mutationRate = new double[ng];
        for (int g = 0; g < ng; g++) {
            geneNames[g] = g < nt ? TARGETS[g][0] + " (" + TARGETS[g][1] + ")" : String.format(java.util.Locale.ROOT, "SYNG%05d (%d)", g, 9_000_000 + g);
            base[g] = geneRng.uniform(1.0, 7.0);
            loading[g] = g < nt ? 0.5 : 0.8 * geneRng.normal();
            mutationRate[g] = g < nt && TARGETS[g][2].equals("mutation") ? geneRng.uniform(0.15, 0.35) : geneRng.uniform(0.0, 0.04);
        }
        progress.accept(5);

        writeModels(out.resolve("Model.csv"), nc, lineage);
        Rng exprRng = new Rng(seed, 3);
        Rng mutRng = new Rng(seed, 4);
        boolean[][] targetMutated = new boolean[nc][nt];
        try (Writer expr = writer(out.resolve("OmicsExpressionProteinCodingGenesTPMLogp1.csv"));
             Writer mut = writer(out.resolve("OmicsSomaticMutationsMatrixDamaging.csv"))) {
            StringBuilder header = new StringBuilder();
            for (String name : geneNames) {
                header.append(',').append(name);
            }
            expr.write(header.append('\n').toString());
            mut.write(header.toString());
            StringBuilder e = new StringBuilder(ng * 7);
            StringBuilder m = new StringBuilder(ng * 2 + 16);
            for (int c = 0; c < nc; c++) {
                e.setLength(0);
                m.setLength(0);
                e.append(modelId(c));
                m.append(modelId(c));
                for (int g = 0; g < ng; g++) {
                    double value = g < nt
                            ? base[g] + 0.94 * targetSignal[c][g] + 0.2 * exprRng.normal()
                            : base[g] + loading[g] * z[c][g % FACTORS] + 0.35 * exprRng.normal();
                    e.append(',');
                    Decimal.append(e, Math.max(0, value), 3);
                    double rate = mutationRate[g] * (g < nt && lineage[c] % 3 == g % 3 ? 1.6 : 0.7);
                    boolean mutated = mutRng.uniform() < rate;
                    if (g < nt) {
                        targetMutated[c][g] = mutated;
                    }
                    m.append(mutated ? ",1" : ",0");
                }
                expr.write(e.append('\n').toString());
                mut.write(m.append('\n').toString());
                if (c % Math.max(1, nc / 20) == 0) {
                    progress.accept(5 + 55 * c / nc);
                }
            }
        }

        int tiles = spec.tilesPerCellLine();
        if (tiles > 0) {
            Rng imageRng = new Rng(seed, 5);
            Path images = out.resolve("images");
            for (int c = 0; c < nc; c++) {
                Path dir = images.resolve(modelId(c));
                Files.createDirectories(dir);
                for (int t = 1; t <= tiles; t++) {
                    Files.write(dir.resolve("tile_" + t + ".png"), TileRenderer.render(spec.tileSize(), imageFactor[c], imageRng));
                }
            }
        }
        progress.accept(70);

        // Drugs: target, structure, potency, and how strongly they follow the cell's general sensitivity.
        Rng drugRng = new Rng(seed, 6);
        double[] substituentEffect = new double[SmilesFactory.SUBSTITUENTS.length];
        for (int i = 0; i < substituentEffect.length; i++) {
            substituentEffect[i] = drugRng.normal(0, 0.6);
        }
        int[] drugTarget = new int[nd];
        double[] potency = new double[nd];
        double[] gain = new double[nd];
        double[] maxConc = new double[nd];
        String[] smiles = new String[nd];
        java.util.Set<String> usedSmiles = new java.util.HashSet<>();
        for (int d = 0; d < nd; d++) {
            drugTarget[d] = d % nt;
            String s;
            int y;
            int zz;
            int attempts = 0;
            do {
                y = drugRng.nextInt(SmilesFactory.SUBSTITUENTS.length);
                zz = drugRng.nextInt(SmilesFactory.SUBSTITUENTS.length);
                s = SmilesFactory.build(drugRng.nextInt(SmilesFactory.CORES.length), drugTarget[d], y, zz);
            } while (!usedSmiles.add(s) && ++attempts < 1000);
            smiles[d] = s;
            potency[d] = 1.5 + substituentEffect[y] + substituentEffect[zz] + drugRng.normal(0, 0.8);
            gain[d] = drugRng.uniform(0.6, 1.4);
            maxConc[d] = new double[]{1, 2, 5, 10, 20}[drugRng.nextInt(5)];
        }
        try (Writer w = writer(out.resolve("drugs.csv"))) {
            w.write("DRUG_ID,DRUG_NAME,PUTATIVE_TARGET,PATHWAY_NAME,SMILES\n");
            for (int d = 0; d < nd; d++) {
                w.write(drugId(d) + "," + drugName(d) + "," + TARGETS[drugTarget[d]][0] + "," + TARGETS[drugTarget[d]][3] + "," + smiles[d] + "\n");
            }
        }

        // Responses: potency + gain x sensitivity + target interaction + noise, for 90% of the pairs.
        Rng noiseRng = new Rng(seed, 7);
        Rng keepRng = new Rng(seed, 8);
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) nc * nd);
        int[] rowCell = new int[capacity];
        int[] rowDrug = new int[capacity];
        double[] signal = new double[capacity];
        double[] observed = new double[capacity];
        double[] fitRmse = new double[capacity];
        int n = 0;
        for (int c = 0; c < nc; c++) {
            for (int d = 0; d < nd; d++) {
                double noise = noiseRng.normal(0, NOISE_SD);
                double fit = noiseRng.uniform(0.02, 0.15);
                if (keepRng.uniform() >= PAIR_KEEP) {
                    continue;
                }
                int k = drugTarget[d];
                double interaction = interaction(k, targetSignal[c][k], targetMutated[c][k], imageFactor[c]);
                rowCell[n] = c;
                rowDrug[n] = d;
                signal[n] = potency[d] + gain[d] * sensitivity[c] + interaction;
                observed[n] = signal[n] + noise;
                fitRmse[n] = fit;
                n++;
            }
        }
        double[] drugMean = new double[nd];
        double[] drugSq = new double[nd];
        int[] drugN = new int[nd];
        for (int i = 0; i < n; i++) {
            drugMean[rowDrug[i]] += observed[i];
            drugN[rowDrug[i]]++;
        }
        for (int d = 0; d < nd; d++) {
            drugMean[d] /= Math.max(1, drugN[d]);
        }
        for (int i = 0; i < n; i++) {
            double dev = observed[i] - drugMean[rowDrug[i]];
            drugSq[rowDrug[i]] += dev * dev;
        }
        progress.accept(80);
        try (Writer w = writer(out.resolve("GDSC2_fitted_dose_response.csv"))) {
            w.write("DATASET,NLME_RESULT_ID,NLME_CURVE_ID,COSMIC_ID,CELL_LINE_NAME,SANGER_MODEL_ID,TCGA_DESC,DRUG_ID,DRUG_NAME,"
                    + "PUTATIVE_TARGET,PATHWAY_NAME,COMPANY_ID,WEBRELEASE,MIN_CONC,MAX_CONC,LN_IC50,AUC,RMSE,Z_SCORE\n");
            StringBuilder sb = new StringBuilder(256);
            for (int i = 0; i < n; i++) {
                int c = rowCell[i];
                int d = rowDrug[i];
                double minConc = maxConc[d] / 1000;
                double mid = (StrictMath.log(minConc) + StrictMath.log(maxConc[d])) / 2;
                double auc = 1 / (1 + StrictMath.exp(-(observed[i] - mid) / 1.5));
                double sd = StrictMath.sqrt(drugSq[d] / Math.max(1, drugN[d] - 1));
                sb.setLength(0);
                sb.append("GDSC2,343,").append(15_946_000 + i).append(',').append(cosmicId(c)).append(',').append(cellLineName(c))
                        .append(',').append(sangerId(c)).append(',').append(LINEAGES[lineage[c]][1]).append(',').append(drugId(d))
                        .append(',').append(drugName(d)).append(',').append(TARGETS[drugTarget[d]][0]).append(',')
                        .append(TARGETS[drugTarget[d]][3]).append(",1046,Y,");
                Decimal.append(sb, minConc, 6);
                sb.append(',');
                Decimal.append(sb, maxConc[d], 1);
                sb.append(',');
                Decimal.append(sb, observed[i], 6);
                sb.append(',');
                Decimal.append(sb, auc, 6);
                sb.append(',');
                Decimal.append(sb, fitRmse[i], 6);
                sb.append(',');
                Decimal.append(sb, sd > 0 ? (observed[i] - drugMean[d]) / sd : 0, 6);
                w.write(sb.append('\n').toString());
            }
        }
        if (external != null) {
            new ExternalStudyWriter(seed, nc, ncAll, lineage, z, sensitivity, imageFactor, targetSignal, geneNames, base, loading, mutationRate,
                    drugTarget, potency, gain, smiles).write(external);
        }
        NoiseCeiling ceiling = NoiseCeiling.of(signal, observed, rowDrug, n, nd);
        Files.writeString(out.resolve("ceiling.json"), ceiling.toJson(spec, n));
        Files.writeString(out.resolve("README.md"), SynthReadme.text(spec, n, ceiling));
        progress.accept(100);
        return new SynthResult(out, nc, nd, ng, n, ceiling);
    }

    /** How a drug's target changes a cell line's response, by the target's mechanism (expression, mutation or image). */
    static double interaction(int target, double targetSignal, boolean targetMutated, double imageFactor) {
        return switch (TARGETS[target][2]) {
            case "expression" -> -EXPRESSION_EFFECT * targetSignal;
            case "mutation" -> targetMutated ? -MUTATION_EFFECT : 0;
            default -> -IMAGE_EFFECT * imageFactor;
        };
    }

    private static void writeModels(Path file, int nc, int[] lineage) throws IOException {
        try (Writer w = writer(file)) {
            w.write("ModelID,COSMICID,SangerModelID,CellLineName,CCLEName,OncotreeLineage\n");
            for (int c = 0; c < nc; c++) {
                String lin = LINEAGES[lineage[c]][0];
                w.write(modelId(c) + "," + cosmicId(c) + "," + sangerId(c) + "," + cellLineName(c) + ","
                        + cellLineName(c).replace("-", "") + "_" + lin.toUpperCase().replaceAll("[^A-Z]", "") + "," + lin + "\n");
            }
        }
    }

    private static Writer writer(Path file) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
    }

    static String modelId(int c) {
        return String.format(java.util.Locale.ROOT, "ACH-9%05d", c + 1);
    }

    static String cosmicId(int c) {
        return Integer.toString(2_900_001 + c);
    }

    static String sangerId(int c) {
        return String.format(java.util.Locale.ROOT, "SIDM9%04d", c + 1);
    }

    static String cellLineName(int c) {
        return String.format(java.util.Locale.ROOT, "SYN-C%04d", c + 1);
    }

    static String drugId(int d) {
        return Integer.toString(9001 + d);
    }

    static String drugName(int d) {
        return String.format(java.util.Locale.ROOT, "Synthinib-%03d", d + 1);
    }

}
