package org.oncobench.eval;

import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.SolverType;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The {@code logistic_l1} baseline: sparse logistic regression (liblinear's L1-regularised logistic regression, solver
 * {@code L1R_LR}: min |w|_1 + C sum_i c_i log(1 + exp(-y_i (w'x_i + b)))) on exactly the model's inputs, with the
 * network's balanced class weights c_i. C is chosen by an inner {@value #FOLDS}-fold cross-validation over the training
 * rows (grouped by sample, i.e. cell line), by the AUC of the pooled held-out predictions (ties: the first, the
 * stronger penalty), then refitted on all of them; validation and test rows are never looked at. C is searched as
 * C x n in {@link #C_TIMES_N} (n: the rows of that fit). Probabilities are moved from the balanced weights' 50/50 world
 * back to the training prevalence ({@link Calibration}), as {@code logistic}'s are.
 */
public final class SparseLogisticRegression implements BaselineSet.Fitted {
    static final int FOLDS = ElasticNetCV.Grid.DEFAULT.folds();
    static final double[] C_TIMES_N = {1, 3, 10, 30, 100, 300};
    static final double TOLERANCE = 0.01; // liblinear's default for this solver

    private final double[] weights; // decision for the positive class, intercept last
    private final double prevalence;
    private final Map<String, Object> settings;

    private SparseLogisticRegression(double[] weights, double prevalence, Map<String, Object> settings) {
        this.weights = weights;
        this.prevalence = prevalence;
        this.settings = settings;
    }

    /** Chooses C by inner CV on the training rows and refits; the fits of the search run on {@code pool} (null: this thread). */
    public static SparseLogisticRegression fit(Cohort prepared, int[] trainRows, FittedTransforms transforms, long seed, Executor pool) {
        int n = trainRows.length;
        Liblinear.Instances instances = Liblinear.instances(prepared, trainRows, false);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = prepared.targets()[trainRows[i]] > 0.5f ? 1 : 0;
        }
        double[] classWeights = transforms.classWeights();
        int[] fold = ElasticNetCV.folds(InputRows.samples(prepared, trainRows), FOLDS, seed);
        double[][] heldOut = new double[C_TIMES_N.length][n];
        List<Runnable> tasks = new ArrayList<>();
        for (int f = 0; f < FOLDS; f++) {
            int[][] parts = Liblinear.parts(fold, f);
            if (parts[0].length < 2 || parts[1].length == 0) {
                continue;
            }
            for (int s = 0; s < C_TIMES_N.length; s++) {
                int setting = s;
                long fitSeed = seed * 31 + f;
                tasks.add(() -> {
                    double[] w = train(instances, y, parts[0], C_TIMES_N[setting], classWeights, fitSeed);
                    for (int i : parts[1]) {
                        heldOut[setting][i] = Liblinear.score(w, instances.x()[i]); // each position written by one task only
                    }
                });
            }
        }
        Liblinear.run(tasks, pool);
        int best = 0;
        double[] auc = new double[C_TIMES_N.length];
        for (int s = 0; s < C_TIMES_N.length; s++) {
            auc[s] = ClassificationMetrics.auc(y, heldOut[s]);
            if (Double.isFinite(auc[s]) && (!Double.isFinite(auc[best]) || auc[s] > auc[best])) {
                best = s;
            }
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double[] w = train(instances, y, all, C_TIMES_N[best], classWeights, seed * 31 + FOLDS);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("solver", "liblinear L1R_LR");
        settings.put("C", C_TIMES_N[best] / n);
        settings.put("C_times_n", C_TIMES_N[best]);
        settings.put("nonzero", Liblinear.nonzero(w));
        settings.put("inner_cv_auc", Double.isFinite(auc[best]) ? auc[best] : null);
        settings.put("inner_folds", FOLDS);
        settings.put("top_coefficients", TopCoefficients.of(w, TopCoefficients.names(prepared, false), ElasticNet.TOP));
        return new SparseLogisticRegression(w, transforms.positiveRate(), settings);
    }

    /** The weights of the positive class's decision w'x + b (liblinear's are for the first label it saw). */
    private static double[] train(Liblinear.Instances instances, double[] y, int[] subset, double cTimesN, double[] classWeights, long seed) {
        Parameter p = new Parameter(SolverType.L1R_LR, cTimesN / subset.length, TOLERANCE);
        p.setWeights(classWeights.clone(), new int[]{0, 1});
        Model m = Liblinear.train(instances.problem(y, subset), p, seed);
        double[] w = Liblinear.weights(m);
        if (m.getNrClass() < 2) {
            throw new IllegalArgumentException("logistic_l1 needs both classes in the training rows");
        }
        if (m.getLabels()[0] != 1) {
            for (int j = 0; j < w.length; j++) {
                w[j] = -w[j];
            }
        }
        return w;
    }

    @Override
    public double[] predict(Cohort prepared, int[] rows) {
        double[] z = Liblinear.scores(weights, prepared, rows, false);
        double[] out = new double[rows.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Calibration.toTrainingPrevalence(LogisticRegression.sigmoid(z[i]), prevalence);
        }
        return out;
    }

    @Override
    public Map<String, Object> settings() {
        return settings;
    }

    double[] weights() {
        return weights.clone();
    }
}
