package org.oncobench.eval;

import org.oncobench.data.Cohort;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Naive predictors fitted on the training rows only, predicted for any rows (of this cohort or another study's, by
 * id): global mean (for classification: the class prior, the training positive rate); drug mean; cell (sample) mean;
 * the additive drug + cell model {@code drug_cell_additive}, DrEval's mean-effects predictor; and the tissue-aware
 * means DrEval found the strongest naive predictors under leave-cell-line-out: group mean and group x drug mean, over a
 * {@code data.groups} column (tissue by default).
 * <p>
 * The mean-effects predictor is drevalpy's {@code NaiveMeanEffectsPredictor} (daisybio/drevalpy,
 * drevalpy/models/baselines/naive_pred.py at commit f3afe3282643736921c5d91ff810bbcb80093cbd): overall mean +
 * (cell line mean - overall mean) + (drug mean - overall mean), every mean over the training rows, and the effect of a
 * cell line or drug not seen in training is 0. So an unseen cell line gets the drug mean, an unseen drug the cell-line
 * mean, both unseen the overall mean. (Before, this was drug mean + the cell line's mean residual from the drug means:
 * equal on a complete training matrix, different on an incomplete one and for unseen drugs.)
 * <p>
 * Fallbacks: an unseen drug, cell line or group falls back to the global mean; group x drug falls back to the drug
 * mean, then the group mean, then the global mean. That is exactly what a cell-blind or drug-blind split makes of them.
 */
public final class Baselines {
    public static final List<String> MEANS = List.of("global_mean", "class_prior", "drug_mean", "cell_mean", "drug_cell_additive", "group_mean",
            "group_drug_mean");

    private final double globalMean;
    private final Map<String, Double> drugMean;
    private final Map<String, Double> cellMean;
    private final String group;
    private final Map<String, Double> groupMean;
    private final Map<String, Double> groupDrugMean;

    private Baselines(double globalMean, Map<String, Double> drugMean, Map<String, Double> cellMean, String group, Map<String, Double> groupMean,
                      Map<String, Double> groupDrugMean) {
        this.globalMean = globalMean;
        this.drugMean = drugMean;
        this.cellMean = cellMean;
        this.group = group;
        this.groupMean = groupMean;
        this.groupDrugMean = groupDrugMean;
    }

    public static Baselines fit(Cohort cohort, int[] trainRows) {
        return fit(cohort, trainRows, null);
    }

    /** @param group the {@code data.groups} column the group baselines use, or null */
    public static Baselines fit(Cohort cohort, int[] trainRows, String group) {
        String[] groupOf = group == null ? null : cohort.groups().get(group);
        double sum = 0;
        Map<String, double[]> drug = new HashMap<>(); // id -> {sum, n}
        Map<String, double[]> cell = new HashMap<>();
        Map<String, double[]> grp = new HashMap<>();
        Map<String, double[]> grpDrug = new HashMap<>();
        for (int r : trainRows) {
            double y = cohort.targets()[r];
            sum += y;
            add(cell, sampleId(cohort, r), y);
            if (cohort.hasDrugs()) {
                add(drug, drugId(cohort, r), y);
            }
            if (groupOf != null) {
                String g = groupOf[cohort.rowSample()[r]];
                add(grp, g, y);
                if (cohort.hasDrugs()) {
                    add(grpDrug, g + "\u0000" + drugId(cohort, r), y);
                }
            }
        }
        return new Baselines(sum / trainRows.length, means(drug), means(cell), group, means(grp), means(grpDrug));
    }

    private static void add(Map<String, double[]> m, String key, double y) {
        double[] a = m.computeIfAbsent(key, k -> new double[2]);
        a[0] += y;
        a[1]++;
    }

    private static Map<String, Double> means(Map<String, double[]> sums) {
        Map<String, Double> out = new HashMap<>(sums.size() * 2);
        sums.forEach((k, a) -> out.put(k, a[0] / a[1]));
        return out;
    }

    private static String sampleId(Cohort c, int row) {
        return c.sampleIds().get(c.rowSample()[row]);
    }

    private static String drugId(Cohort c, int row) {
        return c.drugIds().get(c.rowDrug()[row]);
    }

    /** Predictions of one mean baseline for rows of {@code cohort} (the training one, or another study's with the same ids). */
    public double[] predict(String baseline, Cohort cohort, int[] rows) {
        String[] groupOf = group == null ? null : cohort.groups().get(group);
        if (baseline.startsWith("group") && groupOf == null) {
            throw new IllegalArgumentException(baseline + " needs the group column " + (group == null ? "(none was set)" : "'" + group + "'")
                    + " in the cohort");
        }
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            String c = sampleId(cohort, r);
            String d = cohort.hasDrugs() ? drugId(cohort, r) : null;
            double drugOrGlobal = d == null ? globalMean : drugMean.getOrDefault(d, globalMean);
            out[i] = switch (baseline) {
                case "global_mean", "class_prior" -> globalMean;
                case "drug_mean" -> drugOrGlobal;
                case "cell_mean" -> cellMean.getOrDefault(c, globalMean);
                case "drug_cell_additive" -> meanEffect(cellMean.get(c), d == null ? null : drugMean.get(d));
                case "group_mean" -> groupMean.getOrDefault(groupOf[cohort.rowSample()[r]], globalMean);
                case "group_drug_mean" -> {
                    String g = groupOf[cohort.rowSample()[r]];
                    Double gd = d == null ? null : groupDrugMean.get(g + "\u0000" + d);
                    yield gd != null ? gd : d != null && drugMean.containsKey(d) ? drugMean.get(d) : groupMean.getOrDefault(g, globalMean);
                }
                default -> throw new IllegalArgumentException("unknown baseline " + baseline);
            };
        }
        return out;
    }

    /**
     * overall mean + (cell-line mean - overall mean) + (drug mean - overall mean), an unseen one's effect 0: written so
     * that with one effect 0 the result is exactly the other mean (the cell-blind mean effects are the drug means to
     * the last bit, so the drug mean's metrics beyond them stay undefined instead of scoring rounding noise).
     */
    private double meanEffect(Double cell, Double drug) {
        if (cell != null && drug != null) {
            return cell + drug - globalMean;
        }
        return cell != null ? cell : drug != null ? drug : globalMean;
    }

    /**
     * DrEval's mean-effects predictor for the rows ({@code drug_cell_additive}: overall mean + cell-line effect + drug
     * effect): the reference its normalised metrics subtract.
     */
    public double[] meanEffects(Cohort cohort, int[] rows) {
        return predict("drug_cell_additive", cohort, rows);
    }
}
