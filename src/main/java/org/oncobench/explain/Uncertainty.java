package org.oncobench.explain;

import org.oncobench.stats.Quantiles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How sure each prediction is: split conformal prediction (Vovk et al.; Lei et al. 2018) calibrated on the split's
 * calibration rows, which the network never trained on and which chose nothing (not the epoch, not a baseline's
 * settings, not a study's trial: validation rows did that, and calibrating on them would void the guarantee). Regression: the nonconformity of a row is |y - y_hat| / sigma(x), where
 * sigma is the spread of {@code samples} Monte Carlo dropout passes (Gal and Ghahramani 2016; {@link McDropout}) — so
 * intervals are wider where the network is less sure — or 1 without dropout; the interval at level L is
 * y_hat ± q_L sigma(x) with q_L the ceil((n + 1) L)-th smallest calibration score, which covers a new row with
 * probability at least L when rows are exchangeable. Classification: the score is 1 - p(true class), the set at level L holds every class with 1 - p <= q_L.
 * The run reports each level's measured test coverage and mean width (or set size), at the reported grid
 * {@link #LEVELS} and exactly at the configured level.
 */
public final class Uncertainty {
    /** Nominal levels calibrated and reported beside the configured one; the bundle answers with the configured one. */
    public static final double[] LEVELS = {0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
    private final String kind;
    private final int samples;
    private final double level;
    private final List<ComputationGraph> members;

    public Uncertainty(String kind, int samples, double level) {
        this(kind, samples, level, List.of());
    }

    /** @param members for {@code ensemble}: the other networks (trained under other seeds on the same rows and transforms) */
    public Uncertainty(String kind, int samples, double level, List<ComputationGraph> members) {
        this(kind, samples, level, members, null);
    }

    /**
     * @param point the point predictions of the given rows in the target's units when they are not {@code net}'s alone
     *              (model.ensemble: the members' mean); null: {@code net}'s
     */
    public Uncertainty(String kind, int samples, double level, List<ComputationGraph> members, java.util.function.Function<int[], double[]> point) {
        this.kind = kind;
        this.samples = samples;
        this.level = level;
        this.members = List.copyOf(members);
        this.point = point;
    }

    private final java.util.function.Function<int[], double[]> point;

    /** The calibration a bundle carries, and what the run measured with it. */
    public record Result(Map<String, Object> summary, Map<String, Object> calibration, double[] low, double[] high) {
    }

    /**
     * Calibrates on {@code calibrationRows} and measures coverage on {@code testRows}.
     *
     * @param seed the Monte Carlo dropout sampling seed (recorded in the calibration, so a bundle samples alike)
     */
    public Result run(ComputationGraph net, Cohort prepared, FittedTransforms transforms, int[] calibrationRows, int[] testRows, long seed) {
        if (calibrationRows.length < minimumRows(level)) {
            throw new IllegalArgumentException("conformal calibration at level " + levelKey(level) + " needs at least " + minimumRows(level)
                    + " calibration rows; the split left " + calibrationRows.length);
        }
        boolean classification = transforms.classification();
        double[] yCal = Arrays.stream(calibrationRows).mapToDouble(r -> prepared.targets()[r]).toArray();
        double[] yTest = Arrays.stream(testRows).mapToDouble(r -> prepared.targets()[r]).toArray();
        Map<String, Object> levels = new LinkedHashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<String, Object> calibration = new LinkedHashMap<>();
        summary.put("kind", kind);
        summary.put("calibration_rows", calibrationRows.length);
        summary.put("calibrated_on", "the split's calibration part (rows that chose nothing)");
        double[] grid = levels(level);
        double[] low = new double[testRows.length];
        double[] high = new double[testRows.length];
        if (classification) {
            double[] pCal = point != null ? point.apply(calibrationRows) : probabilities(net, prepared, calibrationRows, transforms);
            double[] pTest = point != null ? point.apply(testRows) : probabilities(net, prepared, testRows, transforms);
            double[] scores = new double[yCal.length];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = 1 - (yCal[i] > 0.5 ? pCal[i] : 1 - pCal[i]);
            }
            Map<String, Double> qs = new LinkedHashMap<>();
            for (double l : grid) {
                double q = quantile(scores, l);
                qs.put(levelKey(l), q);
                int covered = 0;
                double size = 0;
                for (int i = 0; i < yTest.length; i++) {
                    boolean positive = 1 - pTest[i] <= q;
                    boolean negative = pTest[i] <= q;
                    size += (positive ? 1 : 0) + (negative ? 1 : 0);
                    covered += (yTest[i] > 0.5 ? positive : negative) ? 1 : 0;
                }
                levels.put(levelKey(l), ordered("coverage", (double) covered / yTest.length, "mean_set_size", size / yTest.length, "q", q));
            }
            calibration.put("kind", "conformal_sets");
            calibration.put("q", qs);
            summary.put("method", "split conformal prediction sets on the calibrated probability (score 1 - p(true class))");
        } else {
            double[][] cal = spread(net, prepared, calibrationRows, transforms, seed);
            double[][] test = spread(net, prepared, testRows, transforms, seed);
            double floor = floor(cal[1]);
            double[] scores = new double[yCal.length];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = Math.abs(yCal[i] - cal[0][i]) / Math.max(cal[1][i], floor);
            }
            Map<String, Double> qs = new LinkedHashMap<>();
            for (double l : grid) {
                double q = quantile(scores, l);
                qs.put(levelKey(l), q);
                int covered = 0;
                double width = 0;
                for (int i = 0; i < yTest.length; i++) {
                    double half = q * Math.max(test[1][i], floor);
                    covered += Math.abs(yTest[i] - test[0][i]) <= half ? 1 : 0;
                    width += 2 * half;
                    if (Math.abs(l - level) < 1e-9) {
                        low[i] = test[0][i] - half;
                        high[i] = test[0][i] + half;
                    }
                }
                levels.put(levelKey(l), ordered("coverage", (double) covered / yTest.length, "mean_width", width / yTest.length, "q", q));
            }
            calibration.put("kind", kind);
            calibration.put("samples", "ensemble".equals(kind) ? members.size() + 1 : samples);
            calibration.put("sigma_floor", floor);
            if ("mc_dropout".equals(kind)) {
                calibration.put("sampling_seed", seed);
            }
            calibration.put("q", qs);
            summary.put("method", "mc_dropout".equals(kind) ? "split conformal intervals scaled by the spread of " + samples
                    + " Monte Carlo dropout passes" : "ensemble".equals(kind) ? "split conformal intervals scaled by the spread of an ensemble of "
                    + (members.size() + 1) + " networks (seeds)" : "split conformal intervals of constant width");
        }
        calibration.put("level", level);
        summary.put("level", level);
        summary.put("levels", levels);
        @SuppressWarnings("unchecked")
        Map<String, Object> at = (Map<String, Object>) levels.get(levelKey(level));
        summary.put("coverage", at == null ? null : at.get("coverage"));
        summary.put(classification ? "mean_set_size" : "mean_width", at == null ? null : at.get(classification ? "mean_set_size" : "mean_width"));
        return new Result(summary, calibration, low, high);
    }

    /** Three named values in this order (Map.of's order changes from one JVM to the next, and so would metrics.json's). */
    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2, String k3, Object v3) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        m.put(k3, v3);
        return m;
    }

    /** A level's key in the calibration and the summary: two decimals ("0.90"), more where the level has them ("0.875"). */
    public static String levelKey(double level) {
        java.math.BigDecimal exact = java.math.BigDecimal.valueOf(level).stripTrailingZeros();
        return exact.scale() <= 2 ? String.format(java.util.Locale.ROOT, "%.2f", level) : exact.toPlainString();
    }

    /** The reported grid with the configured level in it, ascending. */
    static double[] levels(double configured) {
        return java.util.stream.DoubleStream.concat(Arrays.stream(LEVELS), java.util.stream.DoubleStream.of(configured))
                .boxed().map(Uncertainty::levelKey).distinct().mapToDouble(Double::parseDouble).sorted().toArray();
    }

    /**
     * The fewest calibration rows with which the level's quantile is finite: ceil((n + 1) level) <= n, i.e.
     * n >= level / (1 - level); at least 10 whatever the level.
     */
    public static int minimumRows(double level) {
        return Math.max(10, (int) Math.ceil(level / (1 - level) - 1e-9));
    }

    /** The ceil((n + 1) level)-th smallest score (infinite when that exceeds n: too few rows for the level). */
    static double quantile(double[] scores, double level) {
        return Quantiles.conformal(scores, level);
    }

    /** A floor under sigma: 1% of the median spread (a row where every pass agrees must not get a zero-width interval). */
    static double floor(double[] sigma) {
        double[] s = sigma.clone();
        Arrays.sort(s);
        double median = s.length == 0 ? 1 : s[s.length / 2];
        return median > 0 ? median * 0.01 : 1e-6;
    }

    /**
     * Row-wise point prediction (dropout off, as predictions.csv) and spread: the standard deviation over {@code samples}
     * passes with dropout on (seeded), or 1 without Monte Carlo dropout. Target units.
     */
    double[][] spread(ComputationGraph net, Cohort prepared, int[] rows, FittedTransforms transforms, long seed) {
        double[] point = new double[rows.length];
        double[] sd = new double[rows.length];
        double scale = transforms.restoreTarget(1) - transforms.restoreTarget(0);
        McDropout sampler = "mc_dropout".equals(kind) ? new McDropout(net, seed) : null;
        for (int from = 0; from < rows.length; from += 1024) {
            int to = Math.min(rows.length, from + 1024);
            INDArray[] x = GatheringIterator.gatherFeatures(prepared, rows, from, to);
            INDArray out = net.outputSingle(false, x);
            List<double[]> passes = new ArrayList<>(); // one array of rows per pass
            if ("ensemble".equals(kind)) {
                passes.add(out.getColumn(0).toDoubleVector());
                for (ComputationGraph m : members) {
                    passes.add(m.outputSingle(false, x).getColumn(0).toDoubleVector());
                }
            } else if (sampler != null) {
                passes.addAll(Arrays.asList(sampler.passes(x, samples, 0)));
            }
            double[] spread = passes.isEmpty() ? null : spread(passes.toArray(double[][]::new), to - from, Math.abs(scale));
            for (int i = from; i < to; i++) {
                point[i] = transforms.restoreTarget(out.getDouble(i - from, 0));
                sd[i] = spread == null ? 1 : spread[i - from];
            }
        }
        return new double[][]{this.point == null ? point : this.point.apply(rows), sd};
    }

    /**
     * Per row, the standard deviation over the passes ({@code passes[pass][row]}: MC-dropout samples or ensemble members)
     * times {@code scale} (the target's units); the run's calibration and a bundle's served intervals both use it.
     */
    public static double[] spread(double[][] passes, int rows, double scale) {
        double[] sd = new double[rows];
        double[] v = new double[passes.length];
        for (int i = 0; i < rows; i++) {
            for (int s = 0; s < passes.length; s++) {
                v[s] = passes[s][i];
            }
            double mean = Arrays.stream(v).average().orElse(0);
            sd[i] = Math.sqrt(Arrays.stream(v).map(d -> (d - mean) * (d - mean)).sum() / Math.max(1, v.length - 1)) * scale;
        }
        return sd;
    }

    /** The positive class's probability at the training prevalence, as the run's predictions. */
    private static double[] probabilities(ComputationGraph net, Cohort prepared, int[] rows, FittedTransforms transforms) {
        double[] p = new double[rows.length];
        for (int from = 0; from < rows.length; from += 1024) {
            int to = Math.min(rows.length, from + 1024);
            INDArray out = net.outputSingle(false, GatheringIterator.gatherFeatures(prepared, rows, from, to));
            for (int i = from; i < to; i++) {
                p[i] = org.oncobench.eval.Calibration.toTrainingPrevalence(out.getDouble(i - from, 1), transforms.positiveRate());
            }
        }
        return p;
    }
}
