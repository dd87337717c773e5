package org.oncobench.eval;

import org.oncobench.data.Cohort;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A residual target for the network ({@code model.target.residual_over}, issue 28): one of the naive predictors of
 * {@link Baselines} (drug_mean, mean_effects = {@code drug_cell_additive}, group_drug_mean), fitted on the training rows
 * only, with the same meaning and fallbacks as the baselines of that name and as {@code evaluation.residual_over}. The
 * network trains on y - naive (its target normaliser sees the residuals) and every prediction is net + naive.
 * <p>
 * {@link #table()} is what a bundle carries to serve net + naive: the overall, drug, group and group x drug means.
 * It holds no sample identifiers (a bundle must not), so a bundle treats every sample as one it has not seen: under
 * mean_effects a request gets the drug mean (as every test cell line of a cell-blind split does in the run), under
 * group_drug_mean the mean of the request's group and drug when the request names a group, else the drug mean.
 * An unseen drug gets the overall training mean, as in the baselines.
 */
public final class ResidualTarget {
    private final String over;
    private final String baseline;
    private final String group;
    private final Baselines means;
    private final Map<String, Object> table;

    private ResidualTarget(String over, String baseline, String group, Baselines means, Map<String, Object> table) {
        this.over = over;
        this.baseline = baseline;
        this.group = group;
        this.means = means;
        this.table = table;
    }

    /** The name of the {@link Baselines} predictor behind a {@code residual_over} value. */
    public static String baselineOf(String residualOver) {
        return residualOver.equals("mean_effects") ? "drug_cell_additive" : residualOver;
    }

    /**
     * Fits the naive predictor on {@code trainRows} of the cohort (only their targets are read).
     *
     * @param group the data.groups column of group_drug_mean (null otherwise)
     */
    public static ResidualTarget fit(String residualOver, String group, Cohort cohort, int[] trainRows) {
        if (!cohort.hasDrugs()) {
            throw new IllegalArgumentException("residual targets need rows with a drug");
        }
        String baseline = baselineOf(residualOver);
        String g = baseline.equals("group_drug_mean") ? group : null;
        Baselines means = Baselines.fit(cohort, trainRows, g);
        return new ResidualTarget(residualOver, baseline, g, means, table(residualOver, g, means, cohort, trainRows));
    }

    /** The drug, group and group x drug means exactly as {@link Baselines} predicts them for the training rows. */
    private static Map<String, Object> table(String over, String group, Baselines means, Cohort cohort, int[] trainRows) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("residual_over", over);
        t.put("global_mean", means.predict("global_mean", cohort, new int[]{trainRows[0]})[0]);
        t.put("drug_means", byKey(means.predict("drug_mean", cohort, trainRows), trainRows, r -> drugId(cohort, r)));
        if (group != null) {
            String[] groupOf = cohort.groups().get(group);
            t.put("group", group);
            t.put("group_means", byKey(means.predict("group_mean", cohort, trainRows), trainRows, r -> groupOf[cohort.rowSample()[r]]));
            double[] gd = means.predict("group_drug_mean", cohort, trainRows);
            Map<String, Map<String, Double>> nested = new TreeMap<>();
            for (int i = 0; i < trainRows.length; i++) {
                int r = trainRows[i];
                nested.computeIfAbsent(groupOf[cohort.rowSample()[r]], k -> new TreeMap<>()).put(drugId(cohort, r), gd[i]);
            }
            t.put("group_drug_means", nested);
        }
        t.put("unseen", "a drug the training rows lack gets global_mean; every sample is treated as unseen"
                + (over.equals("mean_effects") ? " (its cell-line effect is 0: the drug mean)" : "")
                + (group != null ? "; a request without a known group gets the drug mean" : ""));
        return t;
    }

    private static Map<String, Double> byKey(double[] values, int[] rows, java.util.function.IntFunction<String> key) {
        Map<String, Double> out = new TreeMap<>();
        for (int i = 0; i < rows.length; i++) {
            out.put(key.apply(rows[i]), values[i]);
        }
        return out;
    }

    private static String drugId(Cohort c, int row) {
        return c.drugIds().get(c.rowDrug()[row]);
    }

    /** drug_mean, mean_effects or group_drug_mean. */
    public String over() {
        return over;
    }

    /** The naive predictions for rows of the cohort (or of another study's, by id), as the baseline of that name gives them. */
    public double[] naive(Cohort cohort, int[] rows) {
        return means.predict(baseline, cohort, rows);
    }

    /** The cohort with every row's target replaced by its residual over the naive predictor (features untouched). */
    public Cohort residuals(Cohort cohort) {
        int[] all = java.util.stream.IntStream.range(0, cohort.size()).toArray();
        double[] naive = naive(cohort, all);
        float[] y = new float[all.length];
        for (int r = 0; r < all.length; r++) {
            y[r] = (float) (cohort.targets()[r] - naive[r]);
        }
        return cohort.withTargets(y);
    }

    /** The network's predictions (in the target's units) with the naive predictions of the same rows added back. */
    public double[] addBack(double[] network, Cohort cohort, int[] rows) {
        double[] naive = naive(cohort, rows);
        double[] out = new double[rows.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = network[i] + naive[i];
        }
        return out;
    }

    /** What a bundle carries to add the naive part back (see the class comment); no sample identifiers. */
    public Map<String, Object> table() {
        return table;
    }

    /** The data.groups column group_drug_mean averages over (null for the others). */
    public String group() {
        return group;
    }
}
