package org.oncobench.eval;

import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Run in a child JVM by {@link RidgeMemoryTest}: ridge on 2,000 rows x 19,000 features (a whole-transcriptome table),
 * driven by 10 latent programmes that also drive the response. Prints the chosen penalty and the test RMSE.
 */
public final class RidgeMemoryProbe {
    public static void main(String[] args) {
        int n = 2000;
        int p = 19_000;
        Random r = new Random(7);
        List<String> ids = new ArrayList<>(n);
        List<String> genes = new ArrayList<>(p);
        for (int j = 0; j < p; j++) {
            genes.add("G" + j);
        }
        // expression is low-rank: 10 latent programmes drive every gene (plus noise), and the response follows them
        int k = 10;
        double[][] loading = new double[k][p];
        for (double[] row : loading) {
            for (int j = 0; j < p; j++) {
                row[j] = r.nextGaussian();
            }
        }
        float[] x = new float[n * p];
        float[] y = new float[n];
        int[] rs = new int[n];
        int[] rd = new int[n];
        double[] z = new double[k];
        for (int i = 0; i < n; i++) {
            ids.add("s" + i);
            double signal = 0;
            for (int f = 0; f < k; f++) {
                z[f] = r.nextGaussian();
                signal += (f + 1) * 0.3 * z[f];
            }
            for (int j = 0; j < p; j++) {
                double v = r.nextGaussian();
                for (int f = 0; f < k; f++) {
                    v += z[f] * loading[f][j];
                }
                x[i * p + j] = (float) v;
            }
            y[i] = (float) (signal + 0.5 * r.nextGaussian());
            rs[i] = i;
            rd[i] = -1;
        }
        Cohort c = new Cohort("y", ids, ids, List.of(), rs, rd, y, List.of(new FeatureTable("expression", ids, genes, x)), List.of(),
                Map.of(), new Cohort.JoinReport(n, n, 0, List.of(), 0, List.of()));
        int[] train = java.util.stream.IntStream.range(0, 1600).toArray();
        int[] val = java.util.stream.IntStream.range(1600, 1800).toArray();
        int[] test = java.util.stream.IntStream.range(1800, 2000).toArray();
        long t0 = System.nanoTime();
        RidgeRegression ridge = RidgeRegression.fit(c, train, val);
        double[] predicted = ridge.predict(c, test);
        double[] observed = new double[test.length];
        for (int i = 0; i < test.length; i++) {
            observed[i] = y[test[i]];
        }
        System.out.printf(Locale.ROOT, "form=%s lambda=%.6g rmse=%.4f seconds=%.1f%n", ridge.form(), ridge.lambda(),
                RegressionMetrics.of(observed, predicted).rmse(), (System.nanoTime() - t0) / 1e9);
    }
}
