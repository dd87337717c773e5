package org.oncobench.data;

import org.oncobench.config.ExperimentConfig.MatrixTableConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Fits feature selection (top variance) and standardisation on the samples of the training rows only, each sample
 * counted once however many drugs it was screened with. Test and validation rows are never looked at.
 */
public final class TransformFitter {

    public FittedTransforms fit(Cohort cohort, SplitAssignment split, Map<String, MatrixTableConfig> tableConfigs) {
        int[] trainRows = split.rows(SplitAssignment.TRAIN);
        boolean[] trainSample = new boolean[cohort.sampleIds().size()];
        for (int r : trainRows) {
            trainSample[cohort.rowSample()[r]] = true;
        }
        int[] samples = IntStream.range(0, trainSample.length).filter(i -> trainSample[i]).toArray();
        List<FittedTransforms.TableTransform> tables = new ArrayList<>();
        for (FeatureTable table : cohort.sampleTables()) {
            MatrixTableConfig config = tableConfigs.get(table.name());
            double[][] stats = meanAndVariance(table, samples);
            int[] columns = IntStream.range(0, table.width()).toArray();
            if (config != null && config.select() != null && config.select().topVariance() != null
                    && config.select().topVariance() < table.width()) {
                double[] var = stats[1];
                columns = IntStream.range(0, table.width()).boxed()
                        .sorted(Comparator.comparingDouble((Integer c) -> -var[c]).thenComparingInt(c -> c))
                        .limit(config.select().topVariance()).mapToInt(Integer::intValue).sorted().toArray();
            }
            float[] mean = new float[columns.length];
            float[] sd = new float[columns.length];
            List<String> names = new ArrayList<>(columns.length);
            for (int k = 0; k < columns.length; k++) {
                mean[k] = (float) stats[0][columns[k]];
                double s = Math.sqrt(stats[1][columns[k]]);
                sd[k] = s < 1e-6 ? 1f : (float) s;
                names.add(table.columns().get(columns[k]));
            }
            tables.add(new FittedTransforms.TableTransform(table.name(), columns, names, mean, sd));
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
        return new FittedTransforms(tables, (float) mean, sd < 1e-6 ? 1f : (float) sd);
    }

    /** Per-column mean and (population) variance over the given rows, in double precision. */
    static double[][] meanAndVariance(FeatureTable table, int[] rows) {
        int w = table.width();
        double[] mean = new double[w];
        double[] m2 = new double[w];
        int n = 0;
        for (int r : rows) {
            n++;
            for (int c = 0; c < w; c++) {
                double x = table.get(r, c);
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
