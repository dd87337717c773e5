package org.oncobench.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An elastic net whose l1 ratio and lambda are chosen by an inner k-fold cross-validation over the training rows it is
 * given, and nothing else: for each l1 ratio of the grid a path of lambdas from lambdaMax (computed on all the given
 * rows, as scikit-learn's ElasticNetCV does, so every fold walks the same grid) down to lambdaMax x
 * {@link Grid#lambdaRatio}; each inner fold centres its own training part, fits the path with warm starts
 * ({@link ElasticNetPath}) and scores its held-out part; the (l1 ratio, lambda) of the lowest mean held-out squared
 * error wins (ties: the first, i.e. the larger penalty) and is refitted on all the rows, down the same path.
 */
final class ElasticNetCV {
    /** The search: l1 ratios, lambdas per path, the smallest lambda as a share of the largest, inner folds. */
    record Grid(double[] l1Ratios, int lambdas, double lambdaRatio, int folds) {
        static final Grid DEFAULT = new Grid(new double[]{0.2, 0.5, 0.9}, 30, 1e-3, 3);
    }

    /** The fitted model and how it was chosen. */
    record Fit(double[] beta, double intercept, double[] means, double l1Ratio, double lambda, double cvMse, int sweeps) {
        double predictRow(float[] row, int offset) {
            double s = intercept;
            for (int j = 0; j < beta.length; j++) {
                if (beta[j] != 0) {
                    s += beta[j] * (row[offset + j] - means[j]);
                }
            }
            return s;
        }

        int nonzero() {
            int c = 0;
            for (double b : beta) {
                c += b != 0 ? 1 : 0;
            }
            return c;
        }

        Map<String, Object> settings(Grid grid) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("l1_ratio", l1Ratio);
            m.put("lambda", lambda);
            m.put("nonzero", nonzero());
            m.put("inner_cv_mse", RegressionMetrics.finite(cvMse));
            m.put("inner_folds", grid.folds());
            m.put("lambdas_per_path", grid.lambdas());
            return m;
        }
    }

    private ElasticNetCV() {
    }

    /**
     * @param rows   the rows' features, row-major ({@code rows[i * p + j]})
     * @param y      the rows' targets
     * @param fold   each row's inner fold in [0, grid.folds)
     * @param pool   where the (fold x l1 ratio) paths run; null: on this thread
     */
    static Fit fit(float[] rows, int p, double[] y, int[] fold, Grid grid, Executor pool) {
        int n = y.length;
        Centred all = Centred.of(rows, p, y, allRows(n));
        ElasticNetPath full = new ElasticNetPath(all.x, n, p);
        int ratios = grid.l1Ratios().length;
        double[][] lambdas = new double[ratios][];
        for (int a = 0; a < ratios; a++) {
            lambdas[a] = ElasticNetPath.grid(full.lambdaMax(all.y, grid.l1Ratios()[a]), grid.lambdas(), grid.lambdaRatio());
        }
        // each (fold, ratio) task writes its own cell; the folds are summed in order below, so the chosen values do not depend on
        // which task finished first (a sum in completion order differs in the last bits, enough to flip a near tie)
        double[][][] foldSse = new double[grid.folds()][ratios][];
        List<Runnable> tasks = new ArrayList<>();
        for (int f = 0; f < grid.folds(); f++) {
            int[][] parts = parts(fold, f);
            if (parts[0].length < 2 || parts[1].length == 0) {
                continue;
            }
            Centred train = Centred.of(rows, p, y, parts[0]);
            ElasticNetPath path = new ElasticNetPath(train.x, parts[0].length, p);
            for (int a = 0; a < ratios; a++) {
                int ratio = a;
                int foldIndex = f;
                tasks.add(() -> foldSse[foldIndex][ratio] = heldOutErrors(path, train, rows, p, y, parts[1], grid.l1Ratios()[ratio], lambdas[ratio]));
            }
        }
        run(tasks, pool);
        double[][] sse = new double[ratios][grid.lambdas()];
        for (double[][] f : foldSse) {
            for (int a = 0; a < ratios; a++) {
                for (int k = 0; f[a] != null && k < grid.lambdas(); k++) {
                    sse[a][k] += f[a][k];
                }
            }
        }
        int bestA = 0;
        int bestK = 0;
        for (int a = 0; a < ratios; a++) {
            for (int k = 0; k < grid.lambdas(); k++) {
                if (sse[a][k] < sse[bestA][bestK]) {
                    bestA = a;
                    bestK = k;
                }
            }
        }
        double[] chosen = java.util.Arrays.copyOf(lambdas[bestA], bestK + 1);
        double[] beta = new double[p];
        int sweeps = full.path(all.y, grid.l1Ratios()[bestA], chosen, (k, b) -> {
            if (k == chosen.length - 1) {
                System.arraycopy(b, 0, beta, 0, p);
            }
        });
        return new Fit(beta, all.yMean, all.means, grid.l1Ratios()[bestA], chosen[bestK], sse[bestA][bestK] / n, sweeps);
    }

    /** Squared errors summed over the held-out rows, per lambda of the path. */
    private static double[] heldOutErrors(ElasticNetPath path, Centred train, float[] rows, int p, double[] y, int[] heldOut, double l1Ratio,
                                          double[] lambdas) {
        double[] out = new double[lambdas.length];
        double[] pred = new double[heldOut.length];
        path.path(train.y, l1Ratio, lambdas, (k, beta) -> {
            Fit f = new Fit(beta, train.yMean, train.means, l1Ratio, lambdas[k], Double.NaN, 0);
            double s = 0;
            for (int i = 0; i < heldOut.length; i++) {
                pred[i] = f.predictRow(rows, heldOut[i] * p);
                double e = pred[i] - y[heldOut[i]];
                s += e * e;
            }
            out[k] = s;
        });
        return out;
    }

    private static void run(List<Runnable> tasks, Executor pool) {
        if (pool == null) {
            tasks.forEach(Runnable::run);
            return;
        }
        CompletableFuture.allOf(tasks.stream().map(t -> CompletableFuture.runAsync(t, pool)).toArray(CompletableFuture[]::new)).join();
    }

    /** {training rows, held-out rows} of inner fold f. */
    private static int[][] parts(int[] fold, int f) {
        int held = 0;
        for (int v : fold) {
            held += v == f ? 1 : 0;
        }
        int[] train = new int[fold.length - held];
        int[] test = new int[held];
        int a = 0;
        int b = 0;
        for (int i = 0; i < fold.length; i++) {
            if (fold[i] == f) {
                test[b++] = i;
            } else {
                train[a++] = i;
            }
        }
        return new int[][]{train, test};
    }

    private static int[] allRows(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** The chosen rows' features, column-major and centred on their own means, and their centred targets. */
    record Centred(double[] x, double[] means, double[] y, double yMean) {
        static Centred of(float[] rows, int p, double[] target, int[] subset) {
            int n = subset.length;
            double[] means = new double[p];
            double yMean = 0;
            for (int r : subset) {
                int base = r * p;
                for (int j = 0; j < p; j++) {
                    means[j] += rows[base + j];
                }
                yMean += target[r];
            }
            for (int j = 0; j < p; j++) {
                means[j] /= n;
            }
            yMean /= n;
            double[] x = new double[n * p];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                int base = subset[i] * p;
                for (int j = 0; j < p; j++) {
                    x[j * n + i] = rows[base + j] - means[j];
                }
                y[i] = target[subset[i]] - yMean;
            }
            return new Centred(x, means, y, yMean);
        }
    }

    /** Inner folds: units (cell lines, or rows) shuffled with the seed and dealt round-robin; rows of a unit share its fold. */
    static int[] folds(int[] unitOfRow, int folds, long seed) {
        Map<Integer, Integer> order = new LinkedHashMap<>();
        for (int u : unitOfRow) {
            order.putIfAbsent(u, order.size());
        }
        int[] units = order.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        org.oncobench.stats.Shuffles.shuffle(units, new java.util.Random(seed)::nextInt);
        Map<Integer, Integer> foldOf = new java.util.HashMap<>();
        for (int i = 0; i < units.length; i++) {
            foldOf.put(units[i], i % folds);
        }
        int[] out = new int[unitOfRow.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = foldOf.get(unitOfRow[i]);
        }
        return out;
    }
}
