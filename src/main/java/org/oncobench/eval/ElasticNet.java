package org.oncobench.eval;

import org.oncobench.data.Cohort;

import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The {@code elastic_net} baseline: an elastic net on exactly the model's inputs (the pair features {@code ridge} sees),
 * its l1 ratio and lambda chosen by {@link ElasticNetCV} over inner folds of the training rows grouped by cell line (a
 * cell line's rows are held out together, as the outer cell-blind split holds them out). Validation and test rows are
 * never looked at. Its importances are its largest coefficients ({@link TopCoefficients}), under
 * {@code top_coefficients} in its settings.
 */
public final class ElasticNet implements BaselineSet.Fitted {
    static final int BLOCK = 4096;
    /** Coefficients recorded as importances: of the pooled model, and of each single-drug model. */
    static final int TOP = 20;
    static final int TOP_PER_DRUG = 5;
    private final ElasticNetCV.Fit fit;
    private final boolean samplesOnly;
    private final Map<String, Object> settings;

    private ElasticNet(ElasticNetCV.Fit fit, boolean samplesOnly, Map<String, Object> settings) {
        this.fit = fit;
        this.samplesOnly = samplesOnly;
        this.settings = settings;
    }

    /** Fits on the training rows, the (inner fold x l1 ratio) paths on {@code pool} (null: this thread). */
    public static ElasticNet fit(Cohort prepared, int[] trainRows, long seed, Executor pool) {
        return fit(prepared, trainRows, false, InputRows.samples(prepared, trainRows), ElasticNetCV.Grid.DEFAULT, seed, pool);
    }

    static ElasticNet fit(Cohort prepared, int[] trainRows, boolean samplesOnly, int[] units, ElasticNetCV.Grid grid, long seed, Executor pool) {
        int p = InputRows.width(prepared, samplesOnly);
        float[] x = InputRows.of(prepared, trainRows, samplesOnly);
        double[] y = InputRows.targets(prepared, trainRows);
        ElasticNetCV.Fit fit = ElasticNetCV.fit(x, p, y, ElasticNetCV.folds(units, grid.folds(), seed), grid, pool);
        Map<String, Object> settings = new java.util.LinkedHashMap<>(fit.settings(grid));
        settings.put("top_coefficients", TopCoefficients.of(fit.beta(), TopCoefficients.names(prepared, samplesOnly), samplesOnly ? TOP_PER_DRUG : TOP));
        return new ElasticNet(fit, samplesOnly, settings);
    }

    @Override
    public double[] predict(Cohort prepared, int[] rows) {
        double[] out = new double[rows.length];
        int p = fit.beta().length;
        for (int from = 0; from < rows.length; from += BLOCK) {
            int to = Math.min(rows.length, from + BLOCK);
            float[] x = InputRows.of(prepared, java.util.Arrays.copyOfRange(rows, from, to), samplesOnly);
            for (int i = from; i < to; i++) {
                out[i] = fit.predictRow(x, (i - from) * p);
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> settings() {
        return settings;
    }

    ElasticNetCV.Fit model() {
        return fit;
    }
}
