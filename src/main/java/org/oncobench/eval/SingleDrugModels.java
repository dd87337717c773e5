package org.oncobench.eval;

import org.oncobench.data.Cohort;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * DrEval's single-drug models ({@code single_drug_elastic_net}, {@code single_drug_rf}): one model per drug, fitted on
 * that drug's training rows with the cell-line (sample) features only, its hyperparameters chosen by an inner
 * cross-validation over those rows alone. Drugs fit in parallel, each on one thread, with a seed of its own (the run's
 * seed and the drug's index), so the result does not depend on the thread count or order.
 * <p>
 * A drug with fewer than {@link #MIN_ROWS} training rows cannot fill the inner folds: it predicts its training mean and
 * is named under {@code fallback_drugs} in the settings. A drug never seen in training predicts the training mean.
 * <p>
 * The elastic net searches {@link ElasticNetCV.Grid#DEFAULT}; the forest (LightGBM's rf mode, {@link #RF_TREES} trees, a
 * third of the features per split, rows bagged at 0.632) chooses its leaves from {@link #RF_LEAVES} by inner-CV error.
 */
public final class SingleDrugModels implements BaselineSet.Fitted {
    public enum Kind { ELASTIC_NET, RF }

    static final int MIN_ROWS = 5 * ElasticNetCV.Grid.DEFAULT.folds();
    static final int RF_TREES = 50;
    static final int[] RF_LEAVES = {7, 31};

    private final Map<String, BaselineSet.Fitted> models;
    private final Map<String, Double> fallback;
    private final double globalMean;
    private final Map<String, Object> settings;

    private SingleDrugModels(Map<String, BaselineSet.Fitted> models, Map<String, Double> fallback, double globalMean, Map<String, Object> settings) {
        this.models = models;
        this.fallback = fallback;
        this.globalMean = globalMean;
        this.settings = settings;
    }

    /** Fits one model per drug of the training rows, {@code threads} drugs at a time, on a pool of its own. */
    public static SingleDrugModels fit(Kind kind, Cohort prepared, int[] trainRows, long seed, int threads) {
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            return fit(kind, prepared, trainRows, seed, pool, threads);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Fits one model per drug of the training rows, each drug a task on {@code pool} (the run's shared one; null: this
     * thread), each task on one thread; {@code threads} is the pool's size, recorded.
     */
    public static SingleDrugModels fit(Kind kind, Cohort prepared, int[] trainRows, long seed, Executor pool, int threads) {
        if (!prepared.hasDrugs()) {
            throw new IllegalArgumentException("single-drug models need a drug column in the rows");
        }
        Cohort samples = samplesOnly(prepared);
        Map<Integer, int[]> byDrug = byDrug(prepared, trainRows);
        Map<Integer, CompletableFuture<BaselineSet.Fitted>> pending = new LinkedHashMap<>();
        Map<String, Double> fallback = new TreeMap<>();
        Executor on = pool == null ? Runnable::run : pool;
        try {
            byDrug.forEach((drug, rows) -> {
                if (rows.length < MIN_ROWS) {
                    fallback.put(prepared.drugIds().get(drug), mean(prepared, rows));
                } else {
                    long drugSeed = seed * 1_000_003L + drug;
                    pending.put(drug, CompletableFuture.supplyAsync(() -> kind == Kind.ELASTIC_NET
                            ? ElasticNet.fit(samples, rows, true, InputRows.samples(samples, rows), ElasticNetCV.Grid.DEFAULT, drugSeed, null)
                            : forest(samples, rows, drugSeed), on));
                }
            });
            Map<String, BaselineSet.Fitted> models = new LinkedHashMap<>();
            Map<String, Object> perDrug = new LinkedHashMap<>();
            for (Map.Entry<Integer, CompletableFuture<BaselineSet.Fitted>> e : pending.entrySet()) {
                BaselineSet.Fitted f = e.getValue().get();
                models.put(prepared.drugIds().get(e.getKey()), f);
                perDrug.put(prepared.drugIds().get(e.getKey()), f.settings());
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("drugs_fitted", models.size());
            settings.put("fallback_drugs", List.copyOf(fallback.keySet()));
            settings.put("fallback_rule", String.format(Locale.ROOT, "fewer than %d training rows: the drug's training mean", MIN_ROWS));
            settings.put("threads", Math.max(1, threads));
            settings.put("per_drug", perDrug);
            return new SingleDrugModels(models, fallback, mean(prepared, trainRows), settings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fitting single-drug models", e);
        } catch (java.util.concurrent.ExecutionException e) {
            pending.values().forEach(f -> f.cancel(true));
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** A per-drug forest whose leaves the inner folds choose: the setting of lowest held-out squared error, refitted on all rows. */
    private static BaselineSet.Fitted forest(Cohort samples, int[] rows, long seed) {
        int folds = ElasticNetCV.Grid.DEFAULT.folds();
        int[] fold = ElasticNetCV.folds(InputRows.samples(samples, rows), folds, seed);
        double[] sse = new double[RF_LEAVES.length];
        for (int f = 0; f < folds; f++) {
            List<Integer> in = new ArrayList<>();
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < rows.length; i++) {
                (fold[i] == f ? out : in).add(rows[i]);
            }
            int[] inner = in.stream().mapToInt(Integer::intValue).toArray();
            int[] held = out.stream().mapToInt(Integer::intValue).toArray();
            for (int s = 0; s < RF_LEAVES.length; s++) {
                TreeEnsemble t = TreeEnsemble.forest(samples, inner, RF_LEAVES[s], RF_TREES, seed, 1);
                double[] p = t.predict(samples, held);
                for (int i = 0; i < held.length; i++) {
                    double e = p[i] - samples.targets()[held[i]];
                    sse[s] += e * e;
                }
            }
        }
        int best = 0;
        for (int s = 1; s < sse.length; s++) {
            best = sse[s] < sse[best] ? s : best;
        }
        TreeEnsemble t = TreeEnsemble.forest(samples, rows, RF_LEAVES[best], RF_TREES, seed, 1);
        Map<String, Object> settings = new LinkedHashMap<>(t.settings());
        settings.put("inner_cv_mse", RegressionMetrics.finite(sse[best] / rows.length));
        settings.put("inner_folds", folds);
        return BaselineSet.fitted(t::predict, settings);
    }

    @Override
    public double[] predict(Cohort prepared, int[] rows) {
        Cohort samples = samplesOnly(prepared);
        double[] out = new double[rows.length];
        Map<String, List<Integer>> positions = new TreeMap<>();
        for (int i = 0; i < rows.length; i++) {
            positions.computeIfAbsent(prepared.drugIds().get(prepared.rowDrug()[rows[i]]), d -> new ArrayList<>()).add(i);
        }
        positions.forEach((drug, at) -> {
            BaselineSet.Fitted model = models.get(drug);
            double constant = fallback.getOrDefault(drug, globalMean);
            double[] p = model == null ? null : model.predict(samples, at.stream().mapToInt(i -> rows[i]).toArray());
            for (int k = 0; k < at.size(); k++) {
                out[at.get(k)] = p == null ? constant : p[k];
            }
        });
        return out;
    }

    @Override
    public Map<String, Object> settings() {
        return settings;
    }

    /** The drugs that fell back to their training mean, by id. */
    @SuppressWarnings("unchecked")
    public List<String> fallbackDrugs() {
        return (List<String>) settings.get("fallback_drugs");
    }

    private static Cohort samplesOnly(Cohort c) {
        return c.withTables(c.sampleTables(), List.of());
    }

    /** A drug's index -> its training rows, drugs in index order (the fitted models are then keyed by drug id). */
    private static Map<Integer, int[]> byDrug(Cohort c, int[] rows) {
        Map<Integer, List<Integer>> m = new TreeMap<>();
        for (int r : rows) {
            m.computeIfAbsent(c.rowDrug()[r], d -> new ArrayList<>()).add(r);
        }
        Map<Integer, int[]> out = new LinkedHashMap<>();
        m.forEach((d, l) -> out.put(d, l.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    private static double mean(Cohort c, int[] rows) {
        double s = 0;
        for (int r : rows) {
            s += c.targets()[r];
        }
        return s / rows.length;
    }
}
