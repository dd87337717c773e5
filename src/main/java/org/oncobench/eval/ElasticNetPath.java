package org.oncobench.eval;

/**
 * The elastic-net regularisation path by cyclic coordinate descent, as glmnet computes it (Friedman, Hastie &amp;
 * Tibshirani 2010): minimises (1/2n) |y - X b|^2 + lambda (a |b|_1 + (1 - a)/2 |b|^2) for a decreasing sequence of
 * lambdas, each solution warm-starting the next; the sequential strong rule discards the features that cannot enter at
 * the next lambda, coordinate descent cycles over the active set until it settles, and a check of every feature's
 * optimality (KKT) condition adds any feature the rule wrongly discarded before a lambda is accepted.
 * <p>
 * The design is column-major and centred ({@code x[j * n + i]}; the caller centres columns and target, so the intercept
 * is the target mean). Convergence: the largest weighted coefficient change {@code (x_j'x_j/n) * delta^2} of a sweep
 * below {@code tolerance * var(y)} (glmnet's rule). Stateless: one instance is one design, reusable from one thread.
 */
final class ElasticNetPath {
    static final double TOLERANCE = 1e-7;
    static final int MAX_SWEEPS = 10_000;

    private final double[] x;
    private final int n;
    private final int p;
    private final double[] norm; // x_j'x_j / n
    private final double tolerance;

    ElasticNetPath(double[] x, int n, int p) {
        this(x, n, p, TOLERANCE);
    }

    /** @param tolerance the convergence threshold as a share of var(y) (tests ask for far less than {@link #TOLERANCE}) */
    ElasticNetPath(double[] x, int n, int p, double tolerance) {
        this.tolerance = tolerance;
        this.x = x;
        this.n = n;
        this.p = p;
        this.norm = new double[p];
        for (int j = 0; j < p; j++) {
            double s = 0;
            int base = j * n;
            for (int i = 0; i < n; i++) {
                s += x[base + i] * x[base + i];
            }
            norm[j] = s / n;
        }
    }

    /** The largest useful lambda: the smallest one at which every coefficient is 0, max_j |x_j'y| / (n a). */
    double lambdaMax(double[] y, double alpha) {
        double m = 0;
        for (int j = 0; j < p; j++) {
            m = Math.max(m, Math.abs(dot(j, y)) / n);
        }
        return m / Math.max(alpha, 1e-3);
    }

    /** {@code count} lambdas from lambdaMax down to lambdaMax * ratio, evenly spaced on the log scale (sklearn's and glmnet's grid). */
    static double[] grid(double lambdaMax, int count, double ratio) {
        double[] out = new double[count];
        for (int k = 0; k < count; k++) {
            out[k] = lambdaMax * Math.pow(ratio, count == 1 ? 0 : (double) k / (count - 1));
        }
        return out;
    }

    /** Hears every solution of the path, in order; the array is reused, so copy what is kept. */
    interface Visitor {
        void solution(int k, double[] beta);
    }

    /** Fits the path (y centred), handing each solution to the visitor; returns the sweeps spent. */
    int path(double[] y, double alpha, double[] lambdas, Visitor visitor) {
        double[] beta = new double[p];
        double[] r = y.clone();
        double[] grad = new double[p]; // x_j'r / n at the current solution
        for (int j = 0; j < p; j++) {
            grad[j] = dot(j, r) / n;
        }
        boolean[] strong = new boolean[p];
        boolean[] ever = new boolean[p];
        double yVar = 0;
        for (double v : y) {
            yVar += v * v;
        }
        yVar /= n;
        double threshold = tolerance * Math.max(yVar, 1e-300);
        double previous = lambdas.length > 0 ? Math.max(lambdas[0], lambdaMax(y, alpha)) : 0;
        int sweeps = 0;
        for (int k = 0; k < lambdas.length; k++) {
            double lambda = lambdas[k];
            double cut = alpha * (2 * lambda - previous);
            for (int j = 0; j < p; j++) {
                strong[j] = ever[j] || Math.abs(grad[j]) >= cut;
            }
            while (true) {
                sweeps += descend(beta, r, strong, ever, lambda, alpha, threshold);
                // KKT over the features the strong rule discarded: any violator joins and the descent resumes
                boolean violated = false;
                for (int j = 0; j < p; j++) {
                    grad[j] = dot(j, r) / n;
                    if (!strong[j] && Math.abs(grad[j]) > alpha * lambda * (1 + 1e-9)) {
                        strong[j] = true;
                        violated = true;
                    }
                }
                if (!violated || sweeps > MAX_SWEEPS) {
                    break;
                }
            }
            visitor.solution(k, beta);
            previous = lambda;
        }
        return sweeps;
    }

    /** Coordinate descent over the strong set: a full sweep, then sweeps of the nonzero ones until they settle, repeated. */
    private int descend(double[] beta, double[] r, boolean[] strong, boolean[] ever, double lambda, double alpha, double threshold) {
        double l1 = lambda * alpha;
        double l2 = lambda * (1 - alpha);
        int sweeps = 0;
        while (sweeps < MAX_SWEEPS) {
            double change = sweep(beta, r, strong, ever, l1, l2, false);
            sweeps++;
            if (change < threshold) {
                return sweeps;
            }
            while (sweeps < MAX_SWEEPS) { // the active (nonzero) coefficients only
                double c = sweep(beta, r, strong, ever, l1, l2, true);
                sweeps++;
                if (c < threshold) {
                    break;
                }
            }
        }
        return sweeps;
    }

    private double sweep(double[] beta, double[] r, boolean[] strong, boolean[] ever, double l1, double l2, boolean activeOnly) {
        double maxChange = 0;
        for (int j = 0; j < p; j++) {
            if (!strong[j] || (activeOnly && beta[j] == 0) || norm[j] == 0) {
                continue;
            }
            double old = beta[j];
            double z = dot(j, r) / n + norm[j] * old;
            double b = soft(z, l1) / (norm[j] + l2);
            if (b != old) {
                double d = b - old;
                axpy(j, -d, r);
                beta[j] = b;
                ever[j] = true;
                maxChange = Math.max(maxChange, norm[j] * d * d);
            }
        }
        return maxChange;
    }

    /**
     * The largest violation of the optimality conditions at {@code beta}: for b_j != 0,
     * |x_j'r/n - lambda(1-a) b_j - lambda a sign(b_j)|; for b_j = 0, max(0, |x_j'r/n| - lambda a).
     */
    double kktViolation(double[] y, double[] beta, double lambda, double alpha) {
        double[] r = y.clone();
        for (int j = 0; j < p; j++) {
            if (beta[j] != 0) {
                axpy(j, -beta[j], r);
            }
        }
        double worst = 0;
        for (int j = 0; j < p; j++) {
            double g = dot(j, r) / n;
            double v = beta[j] != 0 ? Math.abs(g - lambda * (1 - alpha) * beta[j] - lambda * alpha * Math.signum(beta[j]))
                    : Math.max(0, Math.abs(g) - lambda * alpha);
            worst = Math.max(worst, v);
        }
        return worst;
    }

    static double soft(double z, double t) {
        return z > t ? z - t : z < -t ? z + t : 0;
    }

    private double dot(int j, double[] v) {
        double s = 0;
        int base = j * n;
        for (int i = 0; i < n; i++) {
            s += x[base + i] * v[i];
        }
        return s;
    }

    private void axpy(int j, double a, double[] v) {
        int base = j * n;
        for (int i = 0; i < n; i++) {
            v[i] += a * x[base + i];
        }
    }
}
