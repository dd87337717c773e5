package org.oncobench.explain;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Integrated gradients (Sundararajan, Taly and Yan, ICML 2017): for input x and baseline x', the attribution of
 * feature i is (x_i - x'_i) times the average of d f / d x_i along the straight path from x' to x. The average is the
 * trapezoidal rule over {@code steps} intervals (steps + 1 gradients); attributions then sum to f(x) - f(x') up to the
 * rule's error (completeness). Gradient x input is the one-point version, (x - x') * grad f(x). Every input table is
 * explained at once (expression genes, fingerprint bits, image pixels).
 */
public final class IntegratedGradients {
    private final InputGradients gradients;
    private final int steps;

    public IntegratedGradients(InputGradients gradients, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("integrated gradients need at least one step, got " + steps);
        }
        this.gradients = gradients;
        this.steps = steps;
    }

    /** Attributions per input table [rows, width], f(x) and f(baseline) per row, in network output units. */
    public record Result(INDArray[] attributions, double[] output, double[] baselineOutput) {
        /** attributions summed over every feature of every table, per row. */
        public double[] sums() {
            double[] s = new double[output.length];
            for (INDArray a : attributions) {
                INDArray rowSums = a.reshape(a.size(0), -1).sum(1);
                for (int r = 0; r < s.length; r++) {
                    s[r] += rowSums.getDouble(r);
                }
            }
            return s;
        }
    }

    /**
     * @param inputs    one array per network input, rows first
     * @param baselines same shapes (typically zeros: the training mean of standardised features, no fingerprint bit)
     */
    public Result explain(INDArray[] inputs, INDArray[] baselines) {
        int rows = (int) inputs[0].size(0);
        int points = steps + 1;
        INDArray[] sum = new INDArray[inputs.length];
        for (int t = 0; t < inputs.length; t++) {
            sum[t] = Nd4j.zeros(DataType.DOUBLE, inputs[t].shape());
        }
        // (rows x points) interpolated inputs, in chunks of about 4,096 rows so large tables stay in memory
        int chunk = Math.max(1, 4096 / rows);
        for (int from = 0; from < points; from += chunk) {
            int to = Math.min(points, from + chunk);
            int n = to - from;
            INDArray[] path = new INDArray[inputs.length];
            for (int t = 0; t < inputs.length; t++) {
                long[] shape = inputs[t].shape().clone();
                shape[0] = (long) rows * n;
                path[t] = Nd4j.create(inputs[t].dataType(), shape);
                INDArray delta = inputs[t].sub(baselines[t]);
                for (int k = 0; k < n; k++) {
                    double alpha = (double) (from + k) / steps;
                    path[t].get(NDArrayIndex.interval((long) k * rows, (long) (k + 1) * rows)).assign(baselines[t].add(delta.mul(alpha)));
                }
            }
            INDArray[] g = gradients.gradients(path);
            for (int t = 0; t < inputs.length; t++) {
                for (int k = 0; k < n; k++) {
                    int p = from + k;
                    double weight = (p == 0 || p == steps ? 0.5 : 1.0) / steps;
                    sum[t].addi(g[t].get(NDArrayIndex.interval((long) k * rows, (long) (k + 1) * rows)).castTo(DataType.DOUBLE).mul(weight));
                }
            }
        }
        INDArray[] attributions = new INDArray[inputs.length];
        for (int t = 0; t < inputs.length; t++) {
            attributions[t] = inputs[t].castTo(DataType.DOUBLE).sub(baselines[t].castTo(DataType.DOUBLE)).muli(sum[t]);
        }
        return new Result(attributions, doubles(gradients.output(inputs)), doubles(gradients.output(baselines)));
    }

    /**
     * Integrated gradients that keep to {@code tolerance}: rows whose attributions miss f(x) - f(baseline) by more than that
     * share (ReLU kinks along the path make the trapezoidal rule's error uneven across rows) are integrated again with
     * four times the steps, up to {@code maxSteps}. Most rows stop at the first pass.
     */
    public Result explainComplete(INDArray[] inputs, INDArray[] baselines, double tolerance, int maxSteps) {
        Result r = explain(inputs, baselines);
        int current = steps;
        while (current < maxSteps) {
            double[] sums = r.sums();
            java.util.List<Integer> misses = new java.util.ArrayList<>();
            for (int i = 0; i < sums.length; i++) {
                double delta = r.output()[i] - r.baselineOutput()[i];
                if (Math.abs(sums[i] - delta) > tolerance * Math.abs(delta) + 1e-9) {
                    misses.add(i);
                }
            }
            if (misses.isEmpty()) {
                break;
            }
            current = Math.min(maxSteps, current * 4);
            long[] rows = misses.stream().mapToLong(Integer::longValue).toArray();
            INDArray[] x = new INDArray[inputs.length];
            INDArray[] b = new INDArray[inputs.length];
            for (int t = 0; t < inputs.length; t++) {
                x[t] = inputs[t].get(NDArrayIndex.indices(rows));
                b[t] = baselines[t].get(NDArrayIndex.indices(rows));
                if (x[t].rank() != inputs[t].rank()) {
                    long[] shape = inputs[t].shape().clone();
                    shape[0] = rows.length;
                    x[t] = x[t].reshape(shape);
                    b[t] = b[t].reshape(shape);
                }
            }
            Result finer = new IntegratedGradients(gradients, current).explain(x, b);
            for (int k = 0; k < rows.length; k++) {
                for (int t = 0; t < inputs.length; t++) {
                    r.attributions()[t].getRow(rows[k]).assign(finer.attributions()[t].getRow(k));
                }
            }
        }
        return r;
    }

    /** Gradient x input: (x - baseline) * d f / d x at x. */
    public static Result gradientTimesInput(InputGradients gradients, INDArray[] inputs, INDArray[] baselines) {
        INDArray[] g = gradients.gradients(inputs);
        INDArray[] a = new INDArray[inputs.length];
        for (int t = 0; t < inputs.length; t++) {
            a[t] = inputs[t].castTo(DataType.DOUBLE).sub(baselines[t].castTo(DataType.DOUBLE)).muli(g[t].castTo(DataType.DOUBLE));
        }
        return new Result(a, doubles(gradients.output(inputs)), doubles(gradients.output(baselines)));
    }

    /**
     * Zeros shaped like each input: inputs are standardised on the training rows, so zero is every sample feature at its
     * training mean (genes and image pixels alike: the mean image, not a black one), and no fingerprint bit set.
     */
    public static INDArray[] zeroBaselines(INDArray[] inputs) {
        INDArray[] b = new INDArray[inputs.length];
        for (int t = 0; t < inputs.length; t++) {
            b[t] = Nd4j.zeros(inputs[t].dataType(), inputs[t].shape());
        }
        return b;
    }

    static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleVector();
    }
}
