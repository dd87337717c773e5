package org.oncobench.data;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.RowsConfig;
import org.oncobench.config.ExperimentConfig.TaskConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row per (sample, drug) pair, or per sample in a per-sample task. Response files repeat pairs (replicate screens,
 * two COSMIC ids of one cell line); kept as separate rows, a mixed split could train on one copy and test on the other.
 * {@code data.rows.replicates}: {@code mean} averages the responses (classification: keeps the label when every copy
 * agrees and refuses when they conflict), {@code first} keeps the first row in file order, {@code refuse} stops.
 * Merged rows sit where the pair first appears, so a file without replicates gives the cohort it always gave.
 *
 * @param pairs      how many pairs had more than one row
 * @param mergedRows how many rows were merged into their pair's first row
 * @param mergedOf   per input row, the row it became (its pair's)
 */
record Replicates(int[] rowSample, int[] rowDrug, float[] targets, int pairs, int mergedRows, int[] mergedOf) {
    private static final int SHOWN = 5;

    static Replicates merge(RowsConfig rows, TaskConfig task, int[] rowSample, int[] rowDrug, float[] targets, List<String> sampleLabels,
                            List<String> drugIds) {
        Map<Long, List<Integer>> byPair = new LinkedHashMap<>();
        for (int i = 0; i < targets.length; i++) {
            byPair.computeIfAbsent(((long) rowSample[i] << 32) | (rowDrug[i] & 0xffffffffL), k -> new ArrayList<>(1)).add(i);
        }
        if (byPair.size() == targets.length) {
            return new Replicates(rowSample, rowDrug, targets, 0, 0, java.util.stream.IntStream.range(0, targets.length).toArray());
        }
        int[] mergedOf = new int[targets.length];
        String policy = rows.replicates() == null ? "mean" : rows.replicates();
        List<String> repeated = new ArrayList<>();
        List<String> conflicting = new ArrayList<>();
        int conflicts = 0;
        int pairs = 0;
        int n = byPair.size();
        int[] s = new int[n];
        int[] d = new int[n];
        float[] y = new float[n];
        int k = 0;
        for (List<Integer> copies : byPair.values()) {
            int first = copies.get(0);
            for (int i : copies) {
                mergedOf[i] = k;
            }
            s[k] = rowSample[first];
            d[k] = rowDrug[first];
            if (copies.size() > 1) {
                pairs++;
                String name = sampleLabels.get(rowSample[first]) + (rows.hasDrug() ? " x " + drugIds.get(rowDrug[first]) : "");
                if (repeated.size() < SHOWN) {
                    repeated.add(name + " (" + copies.size() + " rows)");
                }
                if (task.isClassification() && !copies.stream().allMatch(i -> targets[i] == targets[first])) {
                    conflicts++;
                    if (conflicting.size() < SHOWN) {
                        conflicting.add(name);
                    }
                }
            }
            y[k] = "first".equals(policy) || copies.size() == 1 ? targets[first] : mean(targets, copies);
            k++;
        }
        int merged = targets.length - n;
        if ("refuse".equals(policy)) {
            throw new BadInputException(rows.file() + ": " + pairs + " " + unit(rows) + " appear more than once (" + merged + " extra rows), e.g. "
                    + String.join(", ", repeated) + "; data.rows.replicates: refuse stops here (mean averages them, first keeps the first)");
        }
        if ("mean".equals(policy) && conflicts > 0) {
            throw new BadInputException(rows.file() + ": " + conflicts + " " + unit(rows) + " have conflicting labels in their replicate rows, e.g. "
                    + String.join(", ", conflicting)
                    + "; a mean of labels is no label: fix the file, or set data.rows.replicates: first to keep each one's first row");
        }
        return new Replicates(s, d, y, pairs, merged, mergedOf);
    }

    private static float mean(float[] targets, List<Integer> copies) {
        double sum = 0;
        for (int i : copies) {
            sum += targets[i];
        }
        return (float) (sum / copies.size());
    }

    private static String unit(RowsConfig rows) {
        return rows.hasDrug() ? "(sample, drug) pairs" : "samples";
    }

    /** e.g. "116 (sample, drug) pairs appear more than once (233 extra rows): their responses are averaged (data.rows.replicates: mean)". */
    static String describe(RowsConfig rows, int pairs, int mergedRows) {
        String policy = rows.replicates() == null ? "mean" : rows.replicates();
        return String.format(Locale.ROOT, "%d %s appear more than once (%d extra rows): %s (data.rows.replicates: %s)", pairs, unit(rows), mergedRows,
                "first".equals(policy) ? "the first row of each is kept" : "each becomes one row with the mean response", policy);
    }
}
