package org.oncobench.eval;

import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The baselines of one fold, fitted on its training rows (tuned on its validation rows where they have settings) before
 * the network trains, each independently: a baseline that fails (too little memory for ridge's linear system, a
 * degenerate fit) is recorded as skipped with its reason and never stops the run or costs the trained model.
 */
public final class BaselineSet {
    private static final Logger LOG = LoggerFactory.getLogger(BaselineSet.class);

    /** A fitted baseline: predictions for any rows of a cohort prepared like the training one, and its chosen settings. */
    public interface Fitted {
        double[] predict(Cohort prepared, int[] rows);

        default Map<String, Object> settings() {
            return Map.of();
        }
    }

    private final Map<String, Fitted> fitted;
    private final Map<String, String> skipped;
    private final Baselines means;

    private BaselineSet(Map<String, Fitted> fitted, Map<String, String> skipped, Baselines means) {
        this.fitted = fitted;
        this.skipped = skipped;
        this.means = means;
    }

    /**
     * Fits the named baselines on {@code trainRows} of the prepared cohort; {@code status} hears about skipped ones.
     */
    public static BaselineSet fit(List<String> names, Cohort prepared, int[] trainRows, int[] validationRows, FittedTransforms transforms,
                                  long seed, Consumer<String> status) {
        return fit(names, null, prepared, trainRows, validationRows, transforms, seed, 1, status);
    }

    /**
     * Fits the named baselines on {@code trainRows} of the prepared cohort, tuning those with settings on
     * {@code validationRows}; {@code status} hears about slow and skipped ones.
     *
     * @param group   the data.groups column of the group baselines (null without groups)
     * @param threads threads for the tree ensembles
     */
    public static BaselineSet fit(List<String> names, String group, Cohort prepared, int[] trainRows, int[] validationRows,
                                  FittedTransforms transforms, long seed, int threads, Consumer<String> status) {
        return fit(names, group, null, prepared, trainRows, validationRows, transforms, seed, threads, status);
    }

    /**
     * As above; with {@code residualOver} (drug_mean, mean_effects or group_drug_mean; null: none) every baseline that
     * learns from features fits what that naive predictor, fitted on the training rows, leaves unexplained, and adds it
     * back to its predictions (issue 28's residual targets). The mean baselines are unchanged.
     */
    public static BaselineSet fit(List<String> names, String group, String residualOver, Cohort prepared, int[] trainRows, int[] validationRows,
                                  FittedTransforms transforms, long seed, int threads, Consumer<String> status) {
        return fit(names, group, residualOver, prepared, trainRows, validationRows, transforms, seed, threads, null, status);
    }

    /**
     * As above; the baselines with parallel parts (elastic_net, svr, logistic_l1 and the single-drug models) run them on
     * {@code workers}, the run's shared pool ({@link BaselineThreads}; null: a pool of {@code threads} of their own each).
     */
    public static BaselineSet fit(List<String> names, String group, String residualOver, Cohort prepared, int[] trainRows, int[] validationRows,
                                  FittedTransforms transforms, long seed, int threads, java.util.concurrent.Executor workers,
                                  Consumer<String> status) {
        Map<String, Fitted> fitted = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        Baselines means = Baselines.fit(prepared, trainRows, group);
        boolean classification = transforms != null && transforms.classification();
        String naive = classification || residualOver == null ? null : ResidualTarget.baselineOf(residualOver);
        if (naive != null) {
            prepared = residuals(prepared, means, naive, trainRows, validationRows);
        }
        for (String name : names) {
            long t0 = System.nanoTime();
            try {
                Fitted f = learned(name, group, prepared, trainRows, validationRows, transforms, seed, threads, workers, classification);
                if (f == null) {
                    Map<String, Object> settings = name.startsWith("group") ? Map.of("group", group) : Map.of();
                    f = fitted((c, rows) -> means.predict(name, c, rows), settings);
                } else if (naive != null) {
                    Fitted residual = f;
                    Map<String, Object> settings = new LinkedHashMap<>(residual.settings());
                    settings.put("residual_over", residualOver);
                    f = fitted((c, rows) -> addBack(residual.predict(c, rows), means.predict(naive, c, rows)), settings);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (!f.settings().isEmpty()) {
                    Map<String, Object> timed = new LinkedHashMap<>(f.settings());
                    // always: a key present only above some duration gave two runs of one experiment different metrics.json keys
                    timed.put("fit_seconds", Math.round(seconds * 100) / 100.0);
                    f = fitted(f::predict, timed);
                }
                fitted.put(name, f);
            } catch (RuntimeException | OutOfMemoryError e) {
                String reason = e instanceof OutOfMemoryError ? "not enough memory (" + e.getMessage() + ")" : String.valueOf(e.getMessage());
                LOG.debug("baseline {} failed", name, e);
                skipped.put(name, reason);
                status.accept(String.format(Locale.ROOT, "warning: baseline %s skipped: %s", name, reason));
            }
        }
        return new BaselineSet(fitted, skipped, means);
    }

    /** A baseline that learns from the features (null for the mean baselines). */
    private static Fitted learned(String name, String group, Cohort prepared, int[] trainRows, int[] validationRows, FittedTransforms transforms,
                                  long seed, int threads, java.util.concurrent.Executor workers, boolean classification) {
        return switch (name) {
            case "ridge" -> {
                RidgeRegression r = RidgeRegression.fit(prepared, trainRows, validationRows);
                yield fitted(r::predict, r.settings());
            }
            case "logistic" -> {
                LogisticRegression l = LogisticRegression.fit(prepared, trainRows, validationRows, transforms);
                yield fitted(l::predict, l.settings());
            }
            case "elastic_net" -> inPool(workers, threads, pool -> ElasticNet.fit(prepared, trainRows, seed, pool));
            case "svr" -> inPool(workers, threads, pool -> SupportVectorRegression.fit(prepared, trainRows, seed, pool));
            case "logistic_l1" -> inPool(workers, threads, pool -> SparseLogisticRegression.fit(prepared, trainRows, transforms, seed, pool));
            case "single_drug_elastic_net" -> inPool(workers, threads,
                    pool -> SingleDrugModels.fit(SingleDrugModels.Kind.ELASTIC_NET, prepared, trainRows, seed, pool, poolSize(workers, threads)));
            case "single_drug_rf" -> inPool(workers, threads,
                    pool -> SingleDrugModels.fit(SingleDrugModels.Kind.RF, prepared, trainRows, seed, pool, poolSize(workers, threads)));
            case "gbm", "rf" -> {
                TreeEnsemble t = TreeEnsemble.fit(name.equals("gbm") ? TreeEnsemble.Kind.GBM : TreeEnsemble.Kind.RF, prepared, trainRows,
                        validationRows, classification, seed, threads);
                yield fitted(t::predict, t.settings());
            }
            default -> null;
        };
    }

    /** The cohort with the training and validation rows' targets replaced by their residuals over the naive predictor. */
    private static Cohort residuals(Cohort c, Baselines means, String naive, int[] trainRows, int[] validationRows) {
        float[] y = c.targets().clone();
        for (int[] rows : new int[][]{trainRows, validationRows}) {
            double[] m = means.predict(naive, c, rows);
            for (int i = 0; i < rows.length; i++) {
                y[rows[i]] = (float) (y[rows[i]] - m[i]);
            }
        }
        return c.withTargets(y);
    }

    private static double[] addBack(double[] residual, double[] naive) {
        double[] out = new double[residual.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = residual[i] + naive[i];
        }
        return out;
    }

    /** The parallelism a fit gets: the shared pool's, or its own pool's. */
    private static int poolSize(java.util.concurrent.Executor workers, int threads) {
        return workers instanceof java.util.concurrent.ForkJoinPool p ? p.getParallelism() : Math.max(1, threads);
    }

    /** Runs a fit on the shared pool, or (none given) on a pool of {@code threads} threads of its own, shut down when it is done. */
    private static Fitted inPool(java.util.concurrent.Executor workers, int threads, java.util.function.Function<java.util.concurrent.Executor, Fitted> fit) {
        if (workers != null) {
            return fit.apply(workers);
        }
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(Math.max(1, threads));
        try {
            return fit.apply(pool);
        } finally {
            pool.shutdownNow();
        }
    }

    static Fitted fitted(java.util.function.BiFunction<Cohort, int[], double[]> predict, Map<String, Object> settings) {
        return new Fitted() {
            @Override
            public double[] predict(Cohort c, int[] rows) {
                return predict.apply(c, rows);
            }

            @Override
            public Map<String, Object> settings() {
                return settings;
            }
        };
    }

    /** DrEval's mean-effects predictor for the rows: the reference of the normalised metrics. */
    public double[] meanEffects(Cohort prepared, int[] rows) {
        return means.meanEffects(prepared, rows);
    }

    /** Each fitted baseline's predictions for the rows. */
    public Map<String, double[]> predict(Cohort prepared, int[] rows) {
        Map<String, double[]> out = new LinkedHashMap<>();
        fitted.forEach((name, f) -> out.put(name, f.predict(prepared, rows)));
        return out;
    }

    /** Settings chosen while fitting (e.g. ridge's penalty), per baseline that has any. */
    public Map<String, Map<String, Object>> settings() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        fitted.forEach((name, f) -> {
            if (!f.settings().isEmpty()) {
                out.put(name, f.settings());
            }
        });
        return out;
    }

    /** Baselines that could not be fitted, with the reason. */
    public Map<String, String> skipped() {
        return skipped;
    }
}
