package org.oncobench.eval;

import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.SolverType;
import org.oncobench.data.Cohort;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The {@code svr} baseline: a linear support-vector regression (liblinear's L2-regularised L2-loss SVR, solver
 * {@code L2R_L2LOSS_SVR}: min 1/2 |w|^2 + C sum max(0, |y - w'x - b| - epsilon)^2) on exactly the model's inputs, the
 * pair features {@code ridge} sees, on targets centred on their training mean. C and epsilon are chosen by an inner
 * {@value #FOLDS}-fold cross-validation over the training rows grouped by cell line (lowest pooled held-out squared
 * error; ties: the first, i.e. the stronger penalty and the narrower tube), then refitted on all of them. Validation and
 * test rows are never looked at.
 * <p>
 * C is searched as C x n in {@link #C_TIMES_N} (n: the rows of that fit), i.e. a penalty per row of 1 / (C n) in
 * {1, 0.1, 0.01, 0.001}, ridge's grid; epsilon as a share {@link #EPSILON_SHARES} of the training targets' sd.
 */
public final class SupportVectorRegression implements BaselineSet.Fitted {
    static final int FOLDS = ElasticNetCV.Grid.DEFAULT.folds();
    static final double[] C_TIMES_N = {1, 10, 100, 1000};
    static final double[] EPSILON_SHARES = {0, 0.1, 0.5};
    static final double TOLERANCE = 1e-4; // liblinear's default for this solver: |f'(w)| <= tol |f'(w0)|

    private final double[] weights;
    private final double yMean;
    private final Map<String, Object> settings;

    private SupportVectorRegression(double[] weights, double yMean, Map<String, Object> settings) {
        this.weights = weights;
        this.yMean = yMean;
        this.settings = settings;
    }

    /** Chooses C and epsilon by inner CV on the training rows and refits; the fits of the search run on {@code pool} (null: this thread). */
    public static SupportVectorRegression fit(Cohort prepared, int[] trainRows, long seed, Executor pool) {
        int n = trainRows.length;
        Liblinear.Instances instances = Liblinear.instances(prepared, trainRows, false);
        double[] y = InputRows.targets(prepared, trainRows);
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= n;
        double sd = 0;
        for (int i = 0; i < n; i++) {
            y[i] -= mean;
            sd += y[i] * y[i];
        }
        sd = Math.sqrt(sd / n);
        int[] fold = ElasticNetCV.folds(InputRows.samples(prepared, trainRows), FOLDS, seed);
        int settingsCount = C_TIMES_N.length * EPSILON_SHARES.length;
        double[][] foldSse = new double[FOLDS][settingsCount]; // each cell written by one task, summed in fold order below
        List<Runnable> tasks = new ArrayList<>();
        for (int f = 0; f < FOLDS; f++) {
            int[][] parts = Liblinear.parts(fold, f);
            if (parts[0].length < 2 || parts[1].length == 0) {
                continue;
            }
            for (int s = 0; s < settingsCount; s++) {
                int setting = s;
                int fold0 = f;
                long fitSeed = seed * 31 + f;
                double epsilon = EPSILON_SHARES[s % EPSILON_SHARES.length] * sd;
                double c = C_TIMES_N[s / EPSILON_SHARES.length];
                double[] targets = y;
                tasks.add(() -> {
                    double[] w = train(instances, targets, parts[0], c, epsilon, fitSeed);
                    double e2 = 0;
                    for (int i : parts[1]) {
                        double e = Liblinear.score(w, instances.x()[i]) - targets[i];
                        e2 += e * e;
                    }
                    foldSse[fold0][setting] = e2;
                });
            }
        }
        Liblinear.run(tasks, pool);
        double[] sse = new double[settingsCount];
        for (double[] f : foldSse) {
            for (int s = 0; s < settingsCount; s++) {
                sse[s] += f[s];
            }
        }
        int best = 0;
        for (int s = 1; s < settingsCount; s++) {
            best = sse[s] < sse[best] ? s : best;
        }
        double c = C_TIMES_N[best / EPSILON_SHARES.length];
        double epsilon = EPSILON_SHARES[best % EPSILON_SHARES.length] * sd;
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double[] w = train(instances, y, all, c, epsilon, seed * 31 + FOLDS);
        w[w.length - 1] += mean;
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("solver", "liblinear L2R_L2LOSS_SVR");
        settings.put("C", c / n);
        settings.put("C_times_n", c);
        settings.put("epsilon", epsilon);
        settings.put("epsilon_share_of_sd", EPSILON_SHARES[best % EPSILON_SHARES.length]);
        settings.put("nonzero", Liblinear.nonzero(w));
        settings.put("inner_cv_mse", RegressionMetrics.finite(sse[best] / n));
        settings.put("inner_folds", FOLDS);
        return new SupportVectorRegression(w, mean, settings);
    }

    private static double[] train(Liblinear.Instances instances, double[] y, int[] subset, double cTimesN, double epsilon, long seed) {
        Parameter p = new Parameter(SolverType.L2R_L2LOSS_SVR, cTimesN / subset.length, TOLERANCE, epsilon);
        return Liblinear.weights(Liblinear.train(instances.problem(y, subset), p, seed));
    }

    @Override
    public double[] predict(Cohort prepared, int[] rows) {
        return Liblinear.scores(weights, prepared, rows, false);
    }

    @Override
    public Map<String, Object> settings() {
        return settings;
    }

    /** The feature weights then the intercept (on the targets' scale). */
    double[] weights() {
        return weights.clone();
    }

    double targetMean() {
        return yMean;
    }
}
