package org.oncobench.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.oncobench.data.Cohort;
import org.oncobench.data.GatheringIterator;

import java.nio.DoubleBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Ridge regression on exactly the model's inputs (the prepared, standardised tables, concatenated), centred on the
 * training rows. The penalty lambda = n x {0.001, 0.01, 0.1, 1} is chosen on the validation rows (without validation
 * rows: lambda = n / 100).
 * <p>
 * The linear system has the size of the smaller side of the data: with at most as many features as rows, the p x p
 * normal equations X'X + lambda I (accumulated batch by batch); with more features than rows (a whole transcriptome
 * on a few hundred cell lines), the dual n x n system XX' + lambda I, whose solution alpha gives beta = X'alpha. Either
 * is held once, plus one working copy for the factorisation; the rows x features matrix is never materialised beyond a
 * block of rows. Each penalty is one Cholesky factorisation in LAPACK (ND4J's potrf) and two triangular solves.
 */
public final class RidgeRegression {
    static final double[] GRID = {1e-3, 1e-2, 1e-1, 1};
    static final double NO_VALIDATION_SCALE = 1e-2;
    /** Rows per gathered block are chosen so that one block of features stays under this many bytes (as doubles). */
    private static final long BLOCK_BYTES = 64L << 20;

    private final double[] beta;
    private final double offset;
    private final double lambda;
    private final String form;

    private RidgeRegression(double[] beta, double offset, double lambda, String form) {
        this.beta = beta;
        this.offset = offset;
        this.lambda = lambda;
        this.form = form;
    }

    /** The chosen penalty. */
    public double lambda() {
        return lambda;
    }

    /** "primal" (p x p system) or "dual" (n x n system). */
    public String form() {
        return form;
    }

    /** The settings recorded beside the baseline's metrics. */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lambda", lambda);
        m.put("system", form);
        return m;
    }

    public static RidgeRegression fit(Cohort prepared, int[] trainRows, int[] validationRows) {
        int p = prepared.inputWidth();
        return fit(prepared, trainRows, validationRows, p <= trainRows.length ? "primal" : "dual");
    }

    static RidgeRegression fit(Cohort prepared, int[] trainRows, int[] validationRows, String form) {
        int p = prepared.inputWidth();
        int n = trainRows.length;
        if (n < 2) {
            throw new IllegalArgumentException("ridge needs at least 2 training rows, got " + n);
        }
        int block = blockRows(p);
        double[] mu = new double[p];
        double yMean = 0;
        for (int from = 0; from < n; from += block) {
            int to = Math.min(n, from + block);
            INDArray x = features(prepared, trainRows, from, to);
            double[] s = x.sum(0).toDoubleVector();
            for (int j = 0; j < p; j++) {
                mu[j] += s[j];
            }
            for (int i = from; i < to; i++) {
                yMean += prepared.targets()[trainRows[i]];
            }
        }
        for (int j = 0; j < p; j++) {
            mu[j] /= n;
        }
        yMean /= n;
        INDArray muRow = Nd4j.create(mu, new long[]{1, p}, DataType.DOUBLE);
        double[] grid = scaled(validationRows.length > 0 ? GRID : new double[]{NO_VALIDATION_SCALE}, n);
        double[][] betas = "primal".equals(form) ? primal(prepared, trainRows, muRow, yMean, grid, block)
                : dual(prepared, trainRows, muRow, yMean, grid, block);
        int best = 0;
        if (grid.length > 1) {
            double bestErr = Double.POSITIVE_INFINITY;
            double[][] predictions = predictAll(prepared, validationRows, betas, mu, yMean);
            for (int k = 0; k < grid.length; k++) {
                double se = 0;
                for (int i = 0; i < validationRows.length; i++) {
                    double e = predictions[k][i] - prepared.targets()[validationRows[i]];
                    se += e * e;
                }
                if (se < bestErr) {
                    bestErr = se;
                    best = k;
                }
            }
        }
        return new RidgeRegression(betas[best], yMean - dot(mu, betas[best]), grid[best], form);
    }

    /** Predictions in target units for any rows of the prepared cohort (or of another cohort with the same inputs). */
    public double[] predict(Cohort prepared, int[] rows) {
        double[] out = new double[rows.length];
        int block = blockRows(beta.length);
        INDArray b = Nd4j.create(beta, new long[]{beta.length, 1}, DataType.DOUBLE);
        for (int from = 0; from < rows.length; from += block) {
            int to = Math.min(rows.length, from + block);
            double[] part = features(prepared, rows, from, to).mmul(b).toDoubleVector();
            for (int i = from; i < to; i++) {
                out[i] = part[i - from] + offset;
            }
        }
        return out;
    }

    /** Primal form: (Xc'Xc + lambda I) beta = Xc'yc, with Xc'Xc = X'X - n mu'mu accumulated over row blocks. */
    private static double[][] primal(Cohort prepared, int[] rows, INDArray mu, double yMean, double[] grid, int block) {
        int p = (int) mu.length();
        int n = rows.length;
        INDArray gram = Nd4j.create(DataType.DOUBLE, new long[]{p, p}, 'f');
        INDArray xty = Nd4j.zeros(DataType.DOUBLE, p, 1);
        for (int from = 0; from < n; from += block) {
            int to = Math.min(n, from + block);
            INDArray x = features(prepared, rows, from, to);
            Nd4j.gemm(x, x, gram, true, false, 1.0, 1.0); // gram += x'x, in place
            Nd4j.gemm(x, targets(prepared, rows, from, to), xty, true, false, 1.0, 1.0);
        }
        gram.subi(mu.transpose().mmul(mu).muli(n));
        xty.subi(mu.transpose().mul(n * yMean));
        double[] rhs = xty.toDoubleVector();
        double[][] out = new double[grid.length][];
        for (int k = 0; k < grid.length; k++) {
            out[k] = solve(gram, rhs, grid[k]);
        }
        return out;
    }

    /**
     * Dual form: (Xc Xc' + lambda I) alpha = yc, beta = Xc' alpha. Xc Xc' is built from pairs of centred row blocks, and
     * beta from one more pass over them, so memory is n x n plus two blocks.
     */
    private static double[][] dual(Cohort prepared, int[] rows, INDArray mu, double yMean, double[] grid, int block) {
        int n = rows.length;
        int p = (int) mu.length();
        INDArray kernel = Nd4j.create(DataType.DOUBLE, new long[]{n, n}, 'f');
        for (int a = 0; a < n; a += block) {
            int aTo = Math.min(n, a + block);
            INDArray xa = features(prepared, rows, a, aTo).subiRowVector(mu);
            for (int b = a; b < n; b += block) {
                int bTo = Math.min(n, b + block);
                INDArray xb = b == a ? xa : features(prepared, rows, b, bTo).subiRowVector(mu);
                INDArray kab = xa.mmul(xb.transpose());
                kernel.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(a, aTo), org.nd4j.linalg.indexing.NDArrayIndex.interval(b, bTo)).assign(kab);
                if (b != a) {
                    kernel.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b, bTo), org.nd4j.linalg.indexing.NDArrayIndex.interval(a, aTo))
                            .assign(kab.transpose());
                }
            }
        }
        double[] yc = new double[n];
        for (int i = 0; i < n; i++) {
            yc[i] = prepared.targets()[rows[i]] - yMean;
        }
        INDArray alphas = Nd4j.create(DataType.DOUBLE, new long[]{n, grid.length}, 'c');
        for (int k = 0; k < grid.length; k++) {
            double[] alpha = solve(kernel, yc, grid[k]);
            for (int i = 0; i < n; i++) {
                alphas.putScalar(i, k, alpha[i]);
            }
        }
        INDArray betas = Nd4j.zeros(DataType.DOUBLE, p, grid.length);
        for (int from = 0; from < n; from += block) {
            int to = Math.min(n, from + block);
            INDArray xc = features(prepared, rows, from, to).subiRowVector(mu);
            betas.addi(xc.transpose().mmul(alphas.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                    org.nd4j.linalg.indexing.NDArrayIndex.all())));
        }
        double[][] out = new double[grid.length][];
        for (int k = 0; k < grid.length; k++) {
            out[k] = betas.getColumn(k).toDoubleVector();
        }
        return out;
    }

    /**
     * (A + lambda I)^-1 r for a symmetric positive semi-definite A: one working copy factorised by LAPACK's Cholesky
     * (potrf, lower), then forward and back substitution over the factor's column-major buffer without copying it.
     */
    private static double[] solve(INDArray a, double[] r, double lambda) {
        int m = r.length;
        INDArray work = a.dup('f');
        for (int i = 0; i < m; i++) {
            work.putScalar(i, i, work.getDouble(i, i) + lambda);
        }
        Nd4j.getBlasWrapper().lapack().potrf(work, true);
        DoubleBuffer l = work.data().asNioDouble(); // column-major: L[i][j] at j * m + i
        double[] z = r.clone();
        for (int j = 0; j < m; j++) { // L z = r, column by column
            double d = l.get(j * m + j);
            if (!(d > 0) || !Double.isFinite(d)) {
                throw new IllegalStateException(String.format(Locale.ROOT, "ridge: the %d x %d system is not positive definite "
                        + "at lambda %.3g (pivot %d is %s)", m, m, lambda, j, d));
            }
            z[j] /= d;
            double zj = z[j];
            int base = j * m;
            for (int i = j + 1; i < m; i++) {
                z[i] -= l.get(base + i) * zj;
            }
        }
        for (int i = m - 1; i >= 0; i--) { // L' x = z, with L'[i][j] = L[j][i] read down column i
            int base = i * m;
            double s = z[i];
            for (int j = i + 1; j < m; j++) {
                s -= l.get(base + j) * z[j];
            }
            z[i] = s / l.get(base + i);
        }
        work.close();
        return z;
    }

    /** Predictions of several coefficient vectors (same offset rule) for the given rows, in one pass over them. */
    private static double[][] predictAll(Cohort prepared, int[] rows, double[][] betas, double[] mu, double yMean) {
        int p = mu.length;
        int k = betas.length;
        INDArray b = Nd4j.create(DataType.DOUBLE, new long[]{p, k}, 'c');
        double[] offsets = new double[k];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < p; j++) {
                b.putScalar(j, c, betas[c][j]);
            }
            offsets[c] = yMean - dot(mu, betas[c]);
        }
        double[][] out = new double[k][rows.length];
        int block = blockRows(p);
        for (int from = 0; from < rows.length; from += block) {
            int to = Math.min(rows.length, from + block);
            INDArray pred = features(prepared, rows, from, to).mmul(b);
            for (int c = 0; c < k; c++) {
                for (int i = from; i < to; i++) {
                    out[c][i] = pred.getDouble(i - from, c) + offsets[c];
                }
            }
        }
        return out;
    }

    private static double[] scaled(double[] scales, int n) {
        double[] out = new double[scales.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = scales[i] * n;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static int blockRows(int p) {
        return (int) Math.max(16, Math.min(4096, BLOCK_BYTES / (8L * Math.max(1, p))));
    }

    /** Rows [from, to) of the concatenated inputs, in double precision. */
    static INDArray features(Cohort prepared, int[] rows, int from, int to) {
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
