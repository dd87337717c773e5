package org.oncobench.eval;

import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Cohorts with a known linear answer, shared by the baseline tests. */
final class LinearBaselinesTest {
    private LinearBaselinesTest() {
    }

    /** One sample per row, p Gaussian features, target 1 + x1 - x2 + 0.5 x3 + noise 0.1. */
    static Cohort wide(int n, int p, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * p];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i * p + j] = (float) r.nextGaussian();
            }
            y[i] = (float) (1 + x[i * p] - x[i * p + 1] + 0.5 * x[i * p + 2] + 0.1 * r.nextGaussian());
        }
        return perSample(x, y, p);
    }

    /** A per-sample cohort (one row per sample s0, s1, ..., no drugs) of one feature table x (n x p, columns g0...) and targets y. */
    static Cohort perSample(float[] x, float[] y, int p) {
        int n = y.length;
        List<String> ids = new ArrayList<>();
        List<String> cols = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            cols.add("g" + j);
        }
        int[] rs = new int[n];
        int[] rd = new int[n];
        for (int i = 0; i < n; i++) {
            ids.add("s" + i);
            rs[i] = i;
            rd[i] = -1;
        }
        return new Cohort("y", ids, ids, List.of(), rs, rd, y, List.of(new FeatureTable("x", ids, cols, x)), List.of(),
                Map.of(), new Cohort.JoinReport(n, n, 0, List.of(), 0, List.of()));
    }
}
