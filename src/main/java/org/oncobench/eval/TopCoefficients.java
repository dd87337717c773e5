package org.oncobench.eval;

import org.oncobench.data.Cohort;
import org.oncobench.data.FeatureTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A linear baseline's importances: its largest coefficients by absolute value, with the names of their features
 * ({@code table:column}), recorded in metrics.json beside the baseline's settings. The inputs are the prepared ones
 * (sample features standardised on the training rows, fingerprint bits 0/1), so the coefficients are comparable across
 * the sample features. Ties keep the feature order; zero coefficients are never listed.
 */
final class TopCoefficients {
    private TopCoefficients() {
    }

    /** The input names in the order the baselines see them (sample tables, then drug tables unless samples only). */
    static List<String> names(Cohort c, boolean samplesOnly) {
        List<String> out = new ArrayList<>();
        for (FeatureTable t : InputRows.tables(c, samplesOnly)) {
            for (String col : t.columns()) {
                out.add(t.name() + ":" + col);
            }
        }
        return out;
    }

    /** At most {@code k} nonzero coefficients of {@code beta} (its first names.size() entries), largest |value| first. */
    static List<Map<String, Object>> of(double[] beta, List<String> names, int k) {
        int p = Math.min(beta.length, names.size());
        List<Map<String, Object>> out = new ArrayList<>();
        IntStream.range(0, p).filter(j -> beta[j] != 0).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -Math.abs(beta[j])).thenComparingInt(j -> j))
                .limit(k)
                .forEach(j -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("feature", names.get(j));
                    m.put("coefficient", beta[j]);
                    out.add(m);
                });
        return out;
    }
}
