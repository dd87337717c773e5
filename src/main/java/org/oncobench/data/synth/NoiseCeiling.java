package org.oncobench.data.synth;

import org.oncobench.stats.PairMoments;
import java.util.Locale;

/**
 * The best any model can score on a synthetic cohort: predicting the noise-free signal exactly. Computed on the
 * generated rows themselves, globally and per drug.
 */
public record NoiseCeiling(double rmse, double pearson, double r2, double perDrugPearsonMean, double drugMeanPearson) {

    static NoiseCeiling of(double[] signal, double[] observed, int[] rowDrug, int n, int drugs) {
        double se = 0;
        double[] drugSum = new double[drugs];
        int[] drugN = new int[drugs];
        for (int i = 0; i < n; i++) {
            double e = observed[i] - signal[i];
            se += e * e;
            drugSum[rowDrug[i]] += observed[i];
            drugN[rowDrug[i]]++;
        }
        double[] drugMean = new double[n];
        for (int i = 0; i < n; i++) {
            drugMean[i] = drugSum[rowDrug[i]] / drugN[rowDrug[i]];
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += observed[i];
        }
        mean /= n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (observed[i] - mean) * (observed[i] - mean);
        }
        double perDrug = 0;
        int counted = 0;
        for (int d = 0; d < drugs; d++) {
            int m = drugN[d];
            if (m < 3) {
                continue;
            }
            double[] s = new double[m];
            double[] o = new double[m];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (rowDrug[i] == d) {
                    s[k] = signal[i];
                    o[k++] = observed[i];
                }
            }
            perDrug += pearson(s, o, m);
            counted++;
        }
        return new NoiseCeiling(Math.sqrt(se / n), pearson(signal, observed, n), 1 - se / ss, perDrug / Math.max(1, counted),
                pearson(drugMean, observed, n));
    }

    static double pearson(double[] a, double[] b, int n) {
        return PairMoments.pearson(java.util.Arrays.copyOf(a, n), java.util.Arrays.copyOf(b, n));
    }

    String toJson(SynthSpec spec, int rows) {
        return String.format(Locale.ROOT, """
                {
                  "seed": %d,
                  "cell_lines": %d,
                  "drugs": %d,
                  "genes": %d,
                  "response_rows": %d,
                  "noise_sd": %.3f,
                  "best_rmse": %.4f,
                  "best_pearson": %.4f,
                  "best_r2": %.4f,
                  "best_per_drug_pearson_mean": %.4f,
                  "drug_mean_oracle_pearson": %.4f
                }
                """, spec.seed(), spec.cellLines(), spec.drugs(), spec.genes(), rows, SyntheticCohortGenerator.NOISE_SD, rmse, pearson, r2,
                perDrugPearsonMean, drugMeanPearson);
    }
}
