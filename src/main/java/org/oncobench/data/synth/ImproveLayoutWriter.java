package org.oncobench.data.synth;

import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small multi-study drug-response tree in IMPROVE's cross-study layout ({@code csa_data/raw_data}; see
 * {@code config.ImproveLayout} for the files and where improvelib reads them): one response.tsv holding every study,
 * gene expression with IMPROVE's three header lines (Ensembl, Entrez, gene symbol), ECFP4-style bits and SMILES per
 * drug, and per study {@code splits} train/val/test files of 0-based row positions (80/10/10 of the study's rows, as
 * IMPROVE's are) plus {@code <STUDY>_all.txt}. The studies re-measure overlapping cell lines and drugs of one biology
 * with a study-specific shift and noise, so scores drop off the diagonal of a cross-study table. Same spec, same bytes.
 */
public final class ImproveLayoutWriter {
    public static final List<String> STUDIES = List.of("CCLE", "gCSI", "GDSCv2");
    static final int FACTORS = 4;
    static final int BITS = 512;
    /** Per study: logit offset, scale of the biology, noise sd. */
    static final double[][] SHIFT = {{0.0, 1.0, 0.25}, {0.25, 0.8, 0.35}, {-0.2, 1.1, 0.3}};

    /** What was written. */
    public record Written(Path rawData, int cellLines, int drugs, int genes, int[] rowsPerStudy, int splits) {
    }

    public Written write(Path out, int cellLines, int drugs, int genes, int splits, long seed) {
        if (cellLines < 10 || drugs < 2 || genes < 4 || splits < 1 || splits > 100) {
            throw new BadInputException("--layout improve needs at least 10 cell lines, 2 drugs, 4 genes and 1 to 100 splits");
        }
        Path raw = out.resolve("csa_data/raw_data");
        try {
            Files.createDirectories(raw.resolve("y_data"));
            Files.createDirectories(raw.resolve("x_data"));
            Files.createDirectories(raw.resolve("splits"));
            return writeTree(raw, cellLines, drugs, genes, splits, seed);
        } catch (IOException e) {
            throw new BadInputException(out + ": cannot write the IMPROVE-layout tree (" + e.getMessage() + ")");
        }
    }

    private Written writeTree(Path raw, int nc, int nd, int ng, int splits, long seed) throws IOException {
        Rng rng = new Rng(seed, 31);
        double[][] cell = normals(rng, nc, FACTORS, 1.0);
        double[][] drug = normals(rng, nd, FACTORS, 1.0);
        double[][] loading = normals(rng, ng, FACTORS, 0.8);
        double[] base = new double[nd];
        for (int d = 0; d < nd; d++) {
            base[d] = rng.normal(0, 0.6);
        }
        double[][] interaction = normals(rng, FACTORS, FACTORS, 0.7);

        // x_data: expression with improvelib's three header lines (OmicsLoader level_map Ensembl 0, Entrez 1, Gene_Symbol 2)
        StringBuilder sb = new StringBuilder();
        StringBuilder l0 = new StringBuilder("");
        StringBuilder l1 = new StringBuilder("");
        StringBuilder l2 = new StringBuilder("improve_sample_id");
        for (int g = 0; g < ng; g++) {
            l0.append('\t').append(String.format(Locale.ROOT, "ENSG9%07d", g + 1));
            l1.append('\t').append(900000 + g + 1);
            l2.append('\t').append(String.format(Locale.ROOT, "SYNG%04d", g + 1));
        }
        sb.append(l0).append('\n').append(l1).append('\n').append(l2).append('\n');
        Rng noise = new Rng(seed, 32);
        for (int c = 0; c < nc; c++) {
            sb.append(cellId(c));
            for (int g = 0; g < ng; g++) {
                double v = 4.0 + dot(loading[g], cell[c]) + noise.normal(0, 0.4);
                sb.append('\t');
                Decimal.append(sb, Math.max(0, v), 3);
            }
            sb.append('\n');
        }
        Files.writeString(raw.resolve("x_data/cancer_gene_expression.tsv"), sb, StandardCharsets.UTF_8);

        // drugs: bits that follow the drug's factors; SMILES from the cohort generator's factory
        Rng bitsRng = new Rng(seed, 33);
        double[][] bitWeights = normals(bitsRng, BITS, FACTORS, 1.0);
        StringBuilder ecfp = new StringBuilder("improve_chem_id");
        for (int b = 0; b < BITS; b++) {
            ecfp.append("\tecfp4.").append(b);
        }
        ecfp.append('\n');
        StringBuilder smiles = new StringBuilder("improve_chem_id\tcanSMILES\n");
        for (int d = 0; d < nd; d++) {
            ecfp.append(drugId(d));
            for (int b = 0; b < BITS; b++) {
                ecfp.append('\t').append(dot(bitWeights[b], drug[d]) + bitsRng.normal(0, 0.5) > 2.2 ? '1' : '0');
            }
            ecfp.append('\n');
            smiles.append(drugId(d)).append('\t').append(SmilesFactory.build(d % SmilesFactory.CORES.length, d % SmilesFactory.WARHEADS.length,
                    (d * 7) % SmilesFactory.SUBSTITUENTS.length, (d * 3 + 1) % SmilesFactory.SUBSTITUENTS.length)).append('\n');
        }
        Files.writeString(raw.resolve("x_data/drug_ecfp4_nbits512.tsv"), ecfp, StandardCharsets.UTF_8);
        Files.writeString(raw.resolve("x_data/drug_SMILES.tsv"), smiles, StandardCharsets.UTF_8);

        // y_data: every study in one file, study by study (the pilot1 release's column order)
        StringBuilder y = new StringBuilder("source\timprove_chem_id\timprove_sample_id\tauc\tic50\tec50\tec50se\tr2fit\teinf\ths\taac1\tauc1\tdss1\n");
        Rng cover = new Rng(seed, 34);
        Rng measure = new Rng(seed, 35);
        int[] rowsPerStudy = new int[STUDIES.size()];
        List<List<Integer>> positions = new ArrayList<>();
        int position = 0;
        for (int s = 0; s < STUDIES.size(); s++) {
            boolean[] cells = new boolean[nc];
            boolean[] drugsIn = new boolean[nd];
            for (int c = 0; c < nc; c++) {
                cells[c] = cover.uniform() < 0.7;
            }
            for (int d = 0; d < nd; d++) {
                drugsIn[d] = cover.uniform() < 0.85;
            }
            List<Integer> mine = new ArrayList<>();
            for (int c = 0; c < nc; c++) {
                for (int d = 0; d < nd; d++) {
                    if (!cells[c] || !drugsIn[d] || cover.uniform() >= 0.9) {
                        continue;
                    }
                    double logit = SHIFT[s][0] + SHIFT[s][1] * (base[d] + bilinear(cell[c], interaction, drug[d]) / FACTORS)
                            + measure.normal(0, SHIFT[s][2]);
                    double auc = 1 / (1 + Math.exp(-logit));
                    double ic50 = -logit * 1.5 + measure.normal(0, 0.2);
                    y.append(STUDIES.get(s)).append('\t').append(drugId(d)).append('\t').append(cellId(c)).append('\t');
                    Decimal.append(y, auc, 4);
                    y.append('\t');
                    Decimal.append(y, ic50, 4);
                    y.append('\t');
                    Decimal.append(y, ic50 + 0.3, 4);
                    y.append('\t');
                    Decimal.append(y, 0.1 + 0.05 * measure.uniform(), 4);
                    y.append('\t');
                    Decimal.append(y, 0.8 + 0.2 * measure.uniform(), 4);
                    y.append('\t');
                    Decimal.append(y, Math.max(0, 1.2 * auc - 0.2), 4);
                    y.append('\t');
                    Decimal.append(y, 1.0 + measure.uniform(), 4);
                    y.append('\t');
                    Decimal.append(y, 1 - auc, 4);
                    y.append('\t');
                    Decimal.append(y, auc, 4);
                    y.append('\t');
                    Decimal.append(y, 100 * (1 - auc) * 0.6, 4);
                    y.append('\n');
                    mine.add(position++);
                }
            }
            rowsPerStudy[s] = mine.size();
            positions.add(mine);
        }
        Files.writeString(raw.resolve("y_data/response.tsv"), y, StandardCharsets.UTF_8);

        // splits: 80/10/10 of each study's rows, shuffled per split
        for (int s = 0; s < STUDIES.size(); s++) {
            List<Integer> mine = positions.get(s);
            Files.writeString(raw.resolve("splits/" + STUDIES.get(s) + "_all.txt"), lines(mine, 0, mine.size()), StandardCharsets.UTF_8);
            for (int k = 0; k < splits; k++) {
                Rng shuffle = new Rng(seed, 1000 + 100L * s + k);
                List<Integer> order = new ArrayList<>(mine);
                for (int i = order.size() - 1; i > 0; i--) {
                    int j = shuffle.nextInt(i + 1);
                    Integer t = order.get(i);
                    order.set(i, order.get(j));
                    order.set(j, t);
                }
                int nTest = Math.round(order.size() * 0.1f);
                int nVal = Math.round(order.size() * 0.1f);
                String prefix = "splits/" + STUDIES.get(s) + "_split_" + k + "_";
                Files.writeString(raw.resolve(prefix + "test.txt"), lines(sorted(order, 0, nTest), 0, nTest), StandardCharsets.UTF_8);
                Files.writeString(raw.resolve(prefix + "val.txt"), lines(sorted(order, nTest, nTest + nVal), 0, nVal), StandardCharsets.UTF_8);
                Files.writeString(raw.resolve(prefix + "train.txt"), lines(sorted(order, nTest + nVal, order.size()), 0,
                        order.size() - nTest - nVal), StandardCharsets.UTF_8);
            }
        }
        Files.writeString(raw.getParent().getParent().resolve("README.md"), readme(nc, nd, ng, splits, rowsPerStudy, seed), StandardCharsets.UTF_8);
        return new Written(raw, nc, nd, ng, rowsPerStudy, splits);
    }

    private static String readme(int nc, int nd, int ng, int splits, int[] rows, long seed) {
        StringBuilder sb = new StringBuilder("# Synthetic cross-study data in IMPROVE's layout\n\n");
        sb.append(String.format(Locale.ROOT, "Written by `oncobench data synth --layout improve --cell-lines %d --drugs %d --genes %d --splits %d "
                + "--seed %d` (same arguments, same bytes).%n%n", nc, nd, ng, splits, seed));
        sb.append("`csa_data/raw_data/` as IMPROVE releases its benchmark data: `y_data/response.tsv` (every study; `source`, "
                + "`improve_chem_id`, `improve_sample_id`, `auc`, `ic50`, ...), `x_data/cancer_gene_expression.tsv` (three header lines: "
                + "Ensembl, Entrez, gene symbol; first column the sample id), `x_data/drug_ecfp4_nbits512.tsv`, `x_data/drug_SMILES.tsv`, "
                + "and `splits/<STUDY>_split_<k>_{train,val,test}.txt` (0-based row positions into response.tsv, one per line, no header; "
                + "80/10/10 of the study's rows) with `<STUDY>_all.txt`.\n\n");
        sb.append("| study | rows |\n|---|---|\n");
        for (int s = 0; s < rows.length; s++) {
            sb.append("| ").append(STUDIES.get(s)).append(" | ").append(rows[s]).append(" |\n");
        }
        sb.append("\nThe biology: cell lines and drugs have ").append(FACTORS).append(" latent factors each; expression is a noisy linear map of "
                + "the cell factors, the bits a thresholded map of the drug factors; auc = logistic(offset_s + scale_s (drug base + "
                + "cell' W drug / ").append(FACTORS).append(") + noise_s). Each study measures about 70% of the cell lines, 85% of the drugs "
                + "and 90% of those pairs, with its own offset, scale and noise (");
        for (int s = 0; s < rows.length; s++) {
            sb.append(s > 0 ? "; " : "").append(STUDIES.get(s)).append(String.format(Locale.ROOT, " %.2f, %.2f, %.2f", SHIFT[s][0], SHIFT[s][1],
                    SHIFT[s][2]));
        }
        sb.append("), so a model trained on one study scores worse on another. Not real data.\n");
        return sb.toString();
    }

    private static List<Integer> sorted(List<Integer> order, int from, int to) {
        List<Integer> part = new ArrayList<>(order.subList(from, to));
        part.sort(null);
        return part;
    }

    private static String lines(List<Integer> rows, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(rows.get(i)).append('\n');
        }
        return sb.toString();
    }

    private static double[][] normals(Rng rng, int n, int m, double sd) {
        double[][] out = new double[n][m];
        for (double[] row : out) {
            for (int j = 0; j < m; j++) {
                row[j] = rng.normal(0, sd);
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double bilinear(double[] c, double[][] w, double[] d) {
        double s = 0;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < d.length; j++) {
                s += c[i] * w[i][j] * d[j];
            }
        }
        return s;
    }

    static String cellId(int c) {
        return String.format(Locale.ROOT, "ACH-9%05d", c + 1);
    }

    static String drugId(int d) {
        return "Drug_" + (d + 1);
    }
}
