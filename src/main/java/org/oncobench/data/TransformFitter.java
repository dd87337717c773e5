package org.oncobench.data;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.MatrixTableConfig;
import org.oncobench.config.ExperimentConfig.SampleTableConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Fits, on the samples of the training rows only (each counted once however many drugs it was screened with):
 * median imputation of missing cells, feature selection (gene list, then top variance) and standardisation.
 * Test and validation rows are never looked at.
 */
public final class TransformFitter {

    public FittedTransforms fit(Cohort cohort, SplitAssignment split, Map<String, ? extends SampleTableConfig> tableConfigs) {
        return fit(cohort, split, tableConfigs, false);
    }

    public FittedTransforms fit(Cohort cohort, SplitAssignment split, Map<String, ? extends SampleTableConfig> tableConfigs,
                                boolean classification) {
        int[] trainRows = split.rows(SplitAssignment.TRAIN);
        boolean[] trainSample = new boolean[cohort.sampleIds().size()];
        for (int r : trainRows) {
            trainSample[cohort.rowSample()[r]] = true;
        }
        int[] samples = IntStream.range(0, trainSample.length).filter(i -> trainSample[i]).toArray();
        List<FittedTransforms.TableTransform> tables = new ArrayList<>();
        for (FeatureTable table : cohort.sampleTables()) {
            MatrixTableConfig config = tableConfigs.get(table.name()) instanceof MatrixTableConfig m ? m : null;
            boolean impute = config != null && "median".equals(config.missing());
            float[] fill = impute ? trainingMedians(table, samples) : null;
            double[][] stats = meanAndVariance(table, samples, fill);
            int[] candidates = IntStream.range(0, table.width()).toArray();
            if (config != null && config.select() != null && config.select().genes() != null) {
                candidates = geneColumns(table, Path.of(config.select().genes()), "data.samples." + table.name() + ".select.genes");
            }
            int[] columns = candidates;
            if (config != null && config.select() != null && config.select().topVariance() != null
                    && config.select().topVariance() < candidates.length) {
                double[] var = stats[1];
                columns = IntStream.of(candidates).boxed()
                        .sorted(Comparator.comparingDouble((Integer c) -> -var[c]).thenComparingInt(c -> c))
                        .limit(config.select().topVariance()).mapToInt(Integer::intValue).sorted().toArray();
            }
            float[] mean = new float[columns.length];
            float[] sd = new float[columns.length];
            float[] fills = new float[columns.length];
            List<String> names = new ArrayList<>(columns.length);
            for (int k = 0; k < columns.length; k++) {
                mean[k] = (float) stats[0][columns[k]];
                double s = Math.sqrt(stats[1][columns[k]]);
                sd[k] = s < 1e-6 ? 1f : (float) s;
                fills[k] = fill == null ? Float.NaN : fill[columns[k]];
                names.add(table.columns().get(columns[k]));
            }
            tables.add(new FittedTransforms.TableTransform(table.name(), columns, names, mean, sd, fill == null ? null : fills));
        }
        double sum = 0;
        double sumSq = 0;
        for (int r : trainRows) {
            sum += cohort.targets()[r];
        }
        double mean = sum / trainRows.length;
        for (int r : trainRows) {
            double d = cohort.targets()[r] - mean;
            sumSq += d * d;
        }
        double sd = Math.sqrt(sumSq / Math.max(1, trainRows.length - 1));
        if (classification) {
            if (mean <= 0 || mean >= 1) {
                throw new BadInputException("split: the training part has a single class (positive rate " + mean
                        + "); use a stratified or larger split");
            }
            return new FittedTransforms(tables, 0f, 1f, true, mean);
        }
        return new FittedTransforms(tables, (float) mean, sd < 1e-6 ? 1f : (float) sd, false, Double.NaN);
    }

    /**
     * Per-column medians over the training samples, ignoring NaN: they fill missing cells now and, recorded in the
     * model's schema, at prediction time.
     */
    static float[] trainingMedians(FeatureTable table, int[] rows) {
        float[] medians = new float[table.width()];
        float[] buffer = new float[rows.length];
        for (int c = 0; c < table.width(); c++) {
            int n = 0;
            for (int r : rows) {
                float v = table.get(r, c);
                if (!Float.isNaN(v)) {
                    buffer[n++] = v;
                }
            }
            if (n == 0) {
                throw new BadInputException("data.samples." + table.name() + ": column '" + table.columns().get(c)
                        + "' has no value in any training sample, so there is no median to impute");
            }
            float[] present = java.util.Arrays.copyOf(buffer, n);
            java.util.Arrays.sort(present);
            medians[c] = n % 2 == 1 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2;
        }
        return medians;
    }

    /** Columns whose gene symbol (the part before " (ENTREZ)") or full name is listed in the file, in table order. */
    static int[] geneColumns(FeatureTable table, Path listFile, String configKey) {
        Set<String> wanted = geneList(listFile);
        Set<String> found = new HashSet<>();
        List<Integer> cols = new ArrayList<>();
        for (int c = 0; c < table.width(); c++) {
            String column = table.columns().get(c);
            int paren = column.indexOf(" (");
            String symbol = paren > 0 ? column.substring(0, paren) : column;
            if (wanted.contains(column) || wanted.contains(symbol)) {
                cols.add(c);
                found.add(wanted.contains(column) ? column : symbol);
            }
        }
        if (cols.isEmpty()) {
            throw new BadInputException(listFile + ": none of its " + wanted.size() + " genes is a column of " + configKey.replace(".select.genes", "")
                    + " (columns look like '" + table.columns().get(0) + "')");
        }
        return cols.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The genes of a list file: one symbol per line ('#' comments allowed), or a table with a {@code Symbol} column, as
     * DrEval's {@code meta/gene_lists/*.csv} are (drevalpy/models/utils.py, {@code load_and_select_gene_features}).
     */
    static Set<String> geneList(Path listFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(listFile);
        } catch (IOException e) {
            throw new BadInputException(listFile + ": cannot read the gene list (" + e.getMessage() + ")");
        }
        Set<String> wanted = new HashSet<>();
        String first = lines.isEmpty() ? "" : lines.get(0).replace("\uFEFF", "");
        if (List.of(first.split("[,\t]")).contains("Symbol")) {
            try (DelimitedFile in = DelimitedFile.open(listFile)) {
                int col = in.column("Symbol", "the gene list");
                String[] row;
                while ((row = in.next()) != null) {
                    if (!row[col].isBlank()) {
                        wanted.add(row[col].trim());
                    }
                }
            }
            return wanted;
        }
        for (String line : lines) {
            String g = line.replace("\uFEFF", "").trim();
            if (!g.isEmpty() && !g.startsWith("#")) {
                wanted.add(g);
            }
        }
        return wanted;
    }

    /** Per-column mean and (population) variance over the given rows, in double precision; NaN cells count as {@code fill}. */
    static double[][] meanAndVariance(FeatureTable table, int[] rows) {
        return meanAndVariance(table, rows, null);
    }

    static double[][] meanAndVariance(FeatureTable table, int[] rows, float[] fill) {
        int w = table.width();
        double[] mean = new double[w];
        double[] m2 = new double[w];
        int n = 0;
        for (int r : rows) {
            n++;
            for (int c = 0; c < w; c++) {
                double x = table.get(r, c);
                if (fill != null && Double.isNaN(x)) {
                    x = fill[c];
                }
                double delta = x - mean[c];
                mean[c] += delta / n;
                m2[c] += delta * (x - mean[c]);
            }
        }
        for (int c = 0; c < w; c++) {
            m2[c] = n > 0 ? m2[c] / n : 0;
        }
        return new double[][]{mean, m2};
    }
}
