package org.oncobench.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code single_drug_elastic_net}'s fitting on plain matrices, for the benchmark against scikit-learn's ElasticNetCV
 * (benchmarks/baselines-vs-sklearn.sh): per drug, its measured cell lines, {@link ElasticNetCV} with the baseline's
 * grid ({@link ElasticNetCV.Grid#DEFAULT}) over inner folds given per cell line, one task per drug on the pool, each on
 * one thread - the work {@link SingleDrugModels} does, with the folds supplied so both sides use the same ones.
 */
public final class PerDrugElasticNetCV {
    /**
     * One drug's fit: its rows, the chosen l1 ratio and lambda, the inner-CV MSE there, nonzero coefficients, CD sweeps,
     * and the model refitted on all its rows (intercept, coefficients, the feature means they are centred on).
     */
    public record DrugFit(int drug, int rows, double l1Ratio, double lambda, double cvMse, int nonzero, int sweeps, double intercept,
                          double[] coefficients, double[] featureMeans) {
        /** The prediction for cell line {@code cell} of a cells x p row-major matrix (as {@link ElasticNetCV.Fit} computes it). */
        public double predict(float[] x, int cell) {
            return new ElasticNetCV.Fit(coefficients, intercept, featureMeans, l1Ratio, lambda, cvMse, sweeps).predictRow(x, cell * coefficients.length);
        }
    }

    private PerDrugElasticNetCV() {
    }

    /**
     * @param x     cells x p features, row-major
     * @param y     cells x drugs responses, row-major, NaN where not measured
     * @param fold  each cell line's inner fold
     * @param pool  where the drugs fit (null: this thread)
     */
    public static List<DrugFit> fit(float[] x, int cells, int p, float[] y, int drugs, int[] fold, Executor pool) {
        Executor on = pool == null ? Runnable::run : pool;
        List<CompletableFuture<DrugFit>> pending = new ArrayList<>();
        for (int d = 0; d < drugs; d++) {
            int drug = d;
            pending.add(CompletableFuture.supplyAsync(() -> one(x, cells, p, y, drugs, fold, drug), on));
        }
        return pending.stream().map(CompletableFuture::join).toList();
    }

    private static DrugFit one(float[] x, int cells, int p, float[] y, int drugs, int[] fold, int drug) {
        int n = 0;
        for (int c = 0; c < cells; c++) {
            n += Float.isNaN(y[c * drugs + drug]) ? 0 : 1;
        }
        float[] rows = new float[n * p];
        double[] target = new double[n];
        int[] folds = new int[n];
        int i = 0;
        for (int c = 0; c < cells; c++) {
            float v = y[c * drugs + drug];
            if (!Float.isNaN(v)) {
                System.arraycopy(x, c * p, rows, i * p, p);
                target[i] = v;
                folds[i] = fold[c];
                i++;
            }
        }
        ElasticNetCV.Fit f = ElasticNetCV.fit(rows, p, target, folds, ElasticNetCV.Grid.DEFAULT, null);
        return new DrugFit(drug, n, f.l1Ratio(), f.lambda(), f.cvMse(), f.nonzero(), f.sweeps(), f.intercept(), f.beta(), f.means());
    }
}
