package org.oncobench.eval;

import org.oncobench.data.Cohort;

import java.util.List;

/**
 * Naive predictors fitted on the training rows only, predicted for any rows:
 * global mean (for classification: the class prior, the training positive rate); drug mean; cell (sample) mean; and the additive drug + cell model (drug mean + cell's mean residual).
 * A drug or cell unseen in training falls back to the global mean (or to the available half of the additive model),
 * which is exactly what a cell-blind or drug-blind split makes of them.
 */
public final class Baselines {
    public static final List<String> ALL = List.of("global_mean", "drug_mean", "cell_mean", "drug_cell_additive");

    private final double globalMean;
    private final double[] drugMean;
    private final boolean[] drugSeen;
    private final double[] cellMean;
    private final boolean[] cellSeen;
    private final double[] cellResidual;

    private Baselines(double globalMean, double[] drugMean, boolean[] drugSeen, double[] cellMean, boolean[] cellSeen, double[] cellResidual) {
        this.globalMean = globalMean;
        this.drugMean = drugMean;
        this.drugSeen = drugSeen;
        this.cellMean = cellMean;
        this.cellSeen = cellSeen;
        this.cellResidual = cellResidual;
    }

    public static Baselines fit(Cohort cohort, int[] trainRows) {
        int nd = Math.max(1, cohort.drugIds().size());
        int ns = cohort.sampleIds().size();
        double sum = 0;
        double[] dSum = new double[nd];
        int[] dN = new int[nd];
        double[] cSum = new double[ns];
        int[] cN = new int[ns];
        for (int r : trainRows) {
            double y = cohort.targets()[r];
            sum += y;
            int d = Math.max(0, cohort.rowDrug()[r]);
            dSum[d] += y;
            dN[d]++;
            cSum[cohort.rowSample()[r]] += y;
            cN[cohort.rowSample()[r]]++;
        }
        double global = sum / trainRows.length;
        double[] dMean = new double[nd];
        boolean[] dSeen = new boolean[nd];
        for (int d = 0; d < nd; d++) {
            dSeen[d] = dN[d] > 0;
            dMean[d] = dSeen[d] ? dSum[d] / dN[d] : global;
        }
        double[] cMean = new double[ns];
        boolean[] cSeen = new boolean[ns];
        for (int c = 0; c < ns; c++) {
            cSeen[c] = cN[c] > 0;
            cMean[c] = cSeen[c] ? cSum[c] / cN[c] : global;
        }
        double[] resSum = new double[ns];
        for (int r : trainRows) {
            resSum[cohort.rowSample()[r]] += cohort.targets()[r] - dMean[Math.max(0, cohort.rowDrug()[r])];
        }
        double[] cRes = new double[ns];
        for (int c = 0; c < ns; c++) {
            cRes[c] = cSeen[c] ? resSum[c] / cN[c] : 0;
        }
        return new Baselines(global, dMean, dSeen, cMean, cSeen, cRes);
    }

    public double[] predict(String baseline, Cohort cohort, int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int d = Math.max(0, cohort.rowDrug()[rows[i]]);
            int c = cohort.rowSample()[rows[i]];
            out[i] = switch (baseline) {
                case "global_mean", "class_prior" -> globalMean;
                case "drug_mean" -> drugMean[d];
                case "cell_mean" -> cellMean[c];
                case "drug_cell_additive" -> drugMean[d] + cellResidual[c];
                default -> throw new IllegalArgumentException("unknown baseline " + baseline);
            };
        }
        return out;
    }
}
