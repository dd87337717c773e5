package org.oncobench.eval;

import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * L2-regularised logistic regression on exactly the model's inputs (the prepared, standardised tables, concatenated),
 * with the network's balanced class weights. The loss is the class-weighted mean log loss plus l2/2 |w|^2 (the
 * intercept is not penalised), minimised with commons-math's Polak-Ribiere conjugate gradients (the gradient's two
 * products with the feature matrix are ND4J GEMVs) until the loss changes by less than 1e-9 of itself, at most
 * {@link #MAX_ITERATIONS} iterations; whether it converged is recorded. The penalty is chosen on the validation rows,
 * by AUC, from {1e-4, 1e-3, 1e-2, 1e-1, 1} (without validation rows: 1e-3). Probabilities are moved from the balanced
 * weights' 50/50 world back to the training prevalence ({@link Calibration}).
 * <p>
 * Why not DL4J's L-BFGS on a softmax layer, as before: each {@code fit} restarts its search, the default updater scales
 * the direction by 1e-3, and its line search stalls at a step of zero; 200 passes stopped far from the optimum.
 */
public final class LogisticRegression {
    static final double[] GRID = {1e-4, 1e-3, 1e-2, 1e-1, 1};
    static final double DEFAULT_L2 = 1e-3;
    static final int MAX_ITERATIONS = 2000;
    static final double TOLERANCE = 1e-9;

    private final double[] weights;
    private final double intercept;
    private final double prevalence;
    private final Map<String, Object> settings;

    private LogisticRegression(double[] weights, double intercept, double prevalence, Map<String, Object> settings) {
        this.weights = weights;
        this.intercept = intercept;
        this.prevalence = prevalence;
        this.settings = settings;
    }

    /** Fits every penalty of the grid on the training rows and keeps the one with the best validation AUC. */
    public static LogisticRegression fit(Cohort prepared, int[] trainRows, int[] validationRows, FittedTransforms transforms) {
        double[] grid = validationRows.length > 0 ? GRID : new double[]{DEFAULT_L2};
        double[] observed = new double[validationRows.length];
        for (int i = 0; i < observed.length; i++) {
            observed[i] = prepared.targets()[validationRows[i]];
        }
        INDArray x = RidgeRegression.features(prepared, trainRows, 0, trainRows.length);
        double[] classWeights = transforms.classWeights();
        double[] y = new double[trainRows.length];
        double[] rowWeight = new double[trainRows.length];
        for (int i = 0; i < trainRows.length; i++) {
            y[i] = prepared.targets()[trainRows[i]] > 0.5f ? 1 : 0;
            rowWeight[i] = classWeights[(int) y[i]] / trainRows.length;
        }
        Objective objective = new Objective(x, y, rowWeight);
        LogisticRegression best = null;
        double bestAuc = Double.NEGATIVE_INFINITY;
        double[] start = new double[x.columns() + 1]; // zeros: the same start for every penalty, so no seed is needed
        for (double l2 : grid) {
            LogisticRegression candidate = train(objective, start, l2, transforms.positiveRate());
            if (grid.length == 1) {
                return candidate;
            }
            double auc = ClassificationMetrics.auc(observed, candidate.predict(prepared, validationRows));
            candidate.settings.put("validation_auc", Double.isFinite(auc) ? auc : null);
            if (best == null || (Double.isFinite(auc) && auc > bestAuc)) {
                best = candidate;
                bestAuc = Double.isFinite(auc) ? auc : bestAuc;
            }
        }
        return best;
    }

    private static LogisticRegression train(Objective objective, double[] start, double l2, double prevalence) {
        objective.reset(l2);
        NonLinearConjugateGradientOptimizer optimizer = new NonLinearConjugateGradientOptimizer(
                NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE, new SimpleValueChecker(TOLERANCE, 1e-12));
        boolean converged;
        double[] point;
        try {
            PointValuePair result = optimizer.optimize(new MaxEval(20 * MAX_ITERATIONS), new MaxIter(MAX_ITERATIONS), GoalType.MINIMIZE,
                    new InitialGuess(start), new ObjectiveFunction(objective::value), new ObjectiveFunctionGradient(objective::gradient));
            point = result.getPoint();
            converged = true;
        } catch (TooManyEvaluationsException | TooManyIterationsException e) {
            point = objective.bestPoint(); // the best point evaluated so far; recorded as not converged
            converged = false;
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("l2", l2);
        settings.put("iterations", optimizer.getIterations());
        settings.put("converged", converged);
        settings.put("training_loss", objective.value(point));
        double[] w = new double[point.length - 1];
        System.arraycopy(point, 0, w, 0, w.length);
        return new LogisticRegression(w, point[point.length - 1], prevalence, settings);
    }

    /** Positive-class probabilities at the training prevalence, for any rows. */
    public double[] predict(Cohort prepared, int[] rows) {
        INDArray z = RidgeRegression.features(prepared, rows, 0, rows.length).mmul(Nd4j.createFromArray(weights).reshape(-1, 1));
        double[] out = new double[rows.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Calibration.toTrainingPrevalence(sigmoid(z.getDouble(i, 0) + intercept), prevalence);
        }
        return out;
    }

    /** The chosen penalty, iterations, whether the optimiser converged, the training loss and the validation AUC. */
    public Map<String, Object> settings() {
        return settings;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** log(1 + e^z) without overflow. */
    static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }

    /** The weighted log loss and its gradient over fixed rows; the point is (w, intercept). */
    private static final class Objective {
        private final INDArray x;
        private final double[] y;
        private final double[] rowWeight;
        private double l2;
        private double bestValue;
        private double[] bestPoint;

        Objective(INDArray x, double[] y, double[] rowWeight) {
            this.x = x;
            this.y = y;
            this.rowWeight = rowWeight;
        }

        void reset(double l2) {
            this.l2 = l2;
            this.bestValue = Double.POSITIVE_INFINITY;
            this.bestPoint = null;
        }

        double[] bestPoint() {
            return bestPoint;
        }

        private INDArray linear(double[] point) {
            INDArray w = Nd4j.create(Arrays.copyOf(point, point.length - 1), new long[]{point.length - 1, 1}, DataType.DOUBLE);
            return x.mmul(w).addi(point[point.length - 1]);
        }

        double value(double[] point) {
            double[] z = linear(point).data().asDouble();
            double loss = 0;
            for (int i = 0; i < z.length; i++) {
                // -[y log s(z) + (1 - y) log(1 - s(z))] = softplus(z) - y z
                loss += rowWeight[i] * (softplus(z[i]) - y[i] * z[i]);
            }
            double penalty = 0;
            for (int j = 0; j < point.length - 1; j++) {
                penalty += point[j] * point[j];
            }
            double value = loss + 0.5 * l2 * penalty;
            if (value < bestValue) {
                bestValue = value;
                bestPoint = point.clone();
            }
            return value;
        }

        double[] gradient(double[] point) {
            double[] z = linear(point).data().asDouble();
            double[] r = new double[z.length];
            double interceptGradient = 0;
            for (int i = 0; i < z.length; i++) {
                r[i] = rowWeight[i] * (sigmoid(z[i]) - y[i]);
                interceptGradient += r[i];
            }
            double[] g = x.transpose().mmul(Nd4j.create(r, new long[]{r.length, 1}, DataType.DOUBLE)).data().asDouble();
            double[] out = new double[point.length];
            for (int j = 0; j < g.length; j++) {
                out[j] = g[j] + l2 * point[j];
            }
            out[point.length - 1] = interceptGradient;
            return out;
        }
    }
}
