package org.oncobench.eval;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;

/**
 * Linear models on exactly the model's inputs (the prepared, standardised tables, concatenated): ridge regression
 * and L2-regularised logistic regression. They keep deep models honest: at these data sizes a linear model is often
 * as good.
 * <p>
 * Ridge solves the normal equations accumulated batch by batch in ND4J (memory p x p, never rows x p), centred on the
 * training rows, by Cholesky; the penalty lambda = n x {0.001, 0.01, 0.1, 1} is chosen on the validation rows
 * (without validation rows: lambda = n / 100). Logistic regression is a DL4J softmax layer with L2, trained full-batch
 * with L-BFGS.
 */
public final class LinearBaselines {
    static final double[] RIDGE_GRID = {1e-3, 1e-2, 1e-1, 1};
    private static final int BATCH = 2048;

    private LinearBaselines() {
    }

    /** Ridge predictions (target units) for the test rows, and the chosen penalty. */
    public static Ridge ridge(Cohort prepared, int[] trainRows, int[] validationRows, int[] testRows) {
        int p = prepared.inputWidth();
        int n = trainRows.length;
        INDArray xtx = Nd4j.zeros(DataType.DOUBLE, p, p);
        INDArray xty = Nd4j.zeros(DataType.DOUBLE, p, 1);
        INDArray colSum = Nd4j.zeros(DataType.DOUBLE, 1, p);
        double ySum = 0;
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            INDArray x = features(prepared, trainRows, from, to);
            INDArray y = targets(prepared, trainRows, from, to);
            xtx.addi(x.transpose().mmul(x));
            xty.addi(x.transpose().mmul(y));
            colSum.addi(x.sum(true, 0));
            ySum += y.sumNumber().doubleValue();
        }
        INDArray mu = colSum.div(n);
        double yMean = ySum / n;
        // centre: X'X - n mu'mu, X'y - n mu' ybar
        xtx.subi(mu.transpose().mmul(mu).muli(n));
        xty.subi(mu.transpose().mul(n * yMean));
        double[][] gram = xtx.toDoubleMatrix();
        double[] rhs = xty.reshape(p).toDoubleVector();
        double[] grid = validationRows.length > 0 ? RIDGE_GRID : new double[]{0.01};
        double bestLambda = Double.NaN;
        INDArray best = null;
        double bestErr = Double.POSITIVE_INFINITY;
        for (double scale : grid) {
            double lambda = scale * n;
            INDArray beta = solve(gram, rhs, lambda);
            double err = validationRows.length > 0 ? squaredError(prepared, validationRows, beta, mu, yMean) : 0;
            if (best == null || err < bestErr) {
                bestErr = err;
                bestLambda = lambda;
                best = beta;
            }
        }
        return new Ridge(predict(prepared, testRows, best, mu, yMean), bestLambda);
    }

    public record Ridge(double[] predictions, double lambda) {
    }

    /** (G + lambda I)^-1 r by Cholesky (commons-math: ND4J's native inverse fails on matrices this size in M2.1). */
    private static INDArray solve(double[][] gram, double[] rhs, double lambda) {
        int p = rhs.length;
        double[][] a = new double[p][];
        for (int i = 0; i < p; i++) {
            a[i] = gram[i].clone();
            a[i][i] += lambda;
        }
        RealVector beta = new CholeskyDecomposition(new Array2DRowRealMatrix(a, false), 1e-8, 1e-12).getSolver()
                .solve(new ArrayRealVector(rhs, false));
        return Nd4j.create(beta.toArray(), new long[]{p, 1}, DataType.DOUBLE);
    }

    private static double squaredError(Cohort prepared, int[] rows, INDArray beta, INDArray mu, double yMean) {
        double[] pred = predict(prepared, rows, beta, mu, yMean);
        double se = 0;
        for (int i = 0; i < rows.length; i++) {
            double e = pred[i] - prepared.targets()[rows[i]];
            se += e * e;
        }
        return se;
    }

    private static double[] predict(Cohort prepared, int[] rows, INDArray beta, INDArray mu, double yMean) {
        double[] out = new double[rows.length];
        double offset = yMean - mu.mmul(beta).getDouble(0);
        for (int from = 0; from < rows.length; from += BATCH) {
            int to = Math.min(rows.length, from + BATCH);
            INDArray p = features(prepared, rows, from, to).mmul(beta);
            for (int i = from; i < to; i++) {
                out[i] = p.getDouble(i - from, 0) + offset;
            }
        }
        return out;
    }

    /** L2 logistic regression's positive-class probabilities for the test rows. */
    public static double[] logistic(Cohort prepared, int[] trainRows, int[] testRows, FittedTransforms transforms, double l2, long seed) {
        int p = prepared.inputWidth();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .optimizationAlgo(OptimizationAlgorithm.LBFGS)
                .weightInit(WeightInit.XAVIER)
                .l2(l2)
                .list()
                .layer(new OutputLayer.Builder(new LossMCXENT(Nd4j.create(transforms.classWeights()).castTo(DataType.FLOAT).reshape(1, 2)))
                        .nIn(p).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        INDArray x = features(prepared, trainRows, 0, trainRows.length).castTo(DataType.FLOAT);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, trainRows.length, 2);
        for (int i = 0; i < trainRows.length; i++) {
            labels.putScalar(i, prepared.targets()[trainRows[i]] > 0.5f ? 1 : 0, 1f);
        }
        DataSet all = new DataSet(x, labels);
        for (int i = 0; i < 20; i++) {
            net.fit(all);
        }
        INDArray prob = net.output(features(prepared, testRows, 0, testRows.length).castTo(DataType.FLOAT), false);
        double[] out = new double[testRows.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = prob.getDouble(i, 1);
        }
        return out;
    }

    private static INDArray features(Cohort prepared, int[] rows, int from, int to) {
        INDArray[] parts = GatheringIterator.gatherFeatures(prepared, rows, from, to);
        return (parts.length == 1 ? parts[0] : Nd4j.hstack(parts)).castTo(DataType.DOUBLE);
    }

    private static INDArray targets(Cohort prepared, int[] rows, int from, int to) {
        double[] y = new double[to - from];
        for (int i = from; i < to; i++) {
            y[i - from] = prepared.targets()[rows[i]];
        }
        return Nd4j.create(y, new long[]{to - from, 1}, DataType.DOUBLE);
    }
}
