package org.oncobench.eval;

import org.knowm.xchart.AnnotationTextPanel;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import org.oncobench.stats.PairMoments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The charts of run reports and notebooks, drawn with XChart (PNG in reports, inline images in notebooks). */
public final class Charts {
    static final int MAX_POINTS = 5000;
    /** Axis numbers with a leading zero and as many decimals as they need ("0.05", "0.125", "1.0"). */
    static final String DECIMALS = "0.0###";

    private Charts() {
    }

    /** Predicted against observed, with the y = x line, annotated with r and RMSE over every row (no intervals). */
    public static XYChart scatter(double[] observed, double[] predicted, String target) {
        return scatter(observed, predicted, target, null, null);
    }

    /**
     * Predicted against observed, with the y = x line (at most MAX_POINTS points, an even stride), annotated with
     * Pearson r and RMSE over every row (the title) and, when given, their 95% intervals (a panel in the corner).
     */
    public static XYChart scatter(double[] observed, double[] predicted, String target, Significance.Interval r, Significance.Interval rmse) {
        PairMoments all = PairMoments.of(observed, predicted, null);
        XYChart chart = new XYChartBuilder().width(640).height(560)
                .title(String.format(Locale.ROOT, "Predicted vs observed: r = %s, RMSE = %s (n = %d)", Formats.console(all.pearson()),
                        Formats.console(all.rmse()), observed.length)).xAxisTitle("observed " + target)
                .yAxisTitle("predicted " + target).build();
        if (r != null || rmse != null) {
            AnnotationTextPanel panel = new AnnotationTextPanel("r = " + Formats.interval(r) + "\nRMSE = " + Formats.interval(rmse)
                    + "\n(95% bootstrap intervals)", 70, 470, true); // screen space: inside the plot, top left
            chart.addAnnotation(panel);
        }
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setLegendVisible(false);
        int step = Math.max(1, observed.length / MAX_POINTS);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < observed.length; i += step) {
            x.add(observed[i]);
            y.add(predicted[i]);
            lo = Math.min(lo, Math.min(observed[i], predicted[i]));
            hi = Math.max(hi, Math.max(observed[i], predicted[i]));
        }
        chart.addSeries("test rows", x, y);
        XYSeries diagonal = chart.addSeries("y = x", new double[]{lo, hi}, new double[]{lo, hi});
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        diagonal.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    /** How the per-drug Pearson values spread, in bins of 0.2 from -1 to 1. */
    public static CategoryChart histogram(GroupedMetrics perDrug) {
        return histogram(perDrug.groups().values().stream().mapToDouble(Scores::groupMetric).toArray(), "Per-drug Pearson", "drugs");
    }

    /** A histogram of correlations (values in [-1, 1]; NaN skipped), in 10 bins. */
    public static CategoryChart histogram(double[] correlations, String title, String yTitle) {
        int bins = 10;
        int[] counts = new int[bins];
        for (double r : correlations) {
            if (Double.isFinite(r)) {
                int b = (int) Math.min(bins - 1, Math.max(0, Math.floor((r + 1) / 2 * bins)));
                counts[b]++;
            }
        }
        List<String> labels = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            // each bar is labelled by the bin it counts, [start, end) (the last one closed), not by a tick at its start
            labels.add(binLabel(-1 + 2.0 * b / bins, -1 + 2.0 * (b + 1) / bins));
            values.add(counts[b]);
        }
        CategoryChart chart = new CategoryChartBuilder().width(720).height(400).title(title).xAxisTitle("Pearson (bin)")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("drugs", labels, values);
        return chart;
    }

    /** A bin's label: its start and end with one decimal ("0.4 to 0.6"). */
    static String binLabel(double start, double end) {
        return String.format(Locale.ROOT, "%.1f to %.1f", start + 0.0, end + 0.0);
    }

    /** Measured test coverage of the prediction intervals (or sets) against their nominal level, beside the diagonal. */
    @SuppressWarnings("unchecked")
    public static XYChart coverage(Map<String, Object> uncertainty) {
        List<Double> nominal = new ArrayList<>();
        List<Double> measured = new ArrayList<>();
        ((Map<String, Object>) uncertainty.get("levels")).forEach((level, v) -> {
            nominal.add(Double.parseDouble(level));
            measured.add(((Number) ((Map<String, Object>) v).get("coverage")).doubleValue());
        });
        XYChart chart = new XYChartBuilder().width(520).height(460).title("Coverage of the prediction intervals").xAxisTitle("nominal level")
                .yAxisTitle("test coverage").build();
        chart.addSeries("ideal", List.of(0.4, 1.0), List.of(0.4, 1.0)).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        chart.addSeries("measured", nominal, measured);
        return chart;
    }

    /** The 15 features with the largest mean |attribution| across every input table (metrics.json's explain section). */
    @SuppressWarnings("unchecked")
    public static CategoryChart importance(Map<String, Object> explain) {
        List<Object[]> all = new ArrayList<>();
        ((Map<String, Object>) explain.get("tables")).forEach((table, v) -> {
            for (Map<String, Object> f : (List<Map<String, Object>>) ((Map<String, Object>) v).get("top")) {
                all.add(new Object[]{table + ": " + f.get("feature"), ((Number) f.get("mean_abs_attribution")).doubleValue()});
            }
        });
        all.sort((a, b) -> Double.compare((double) b[1], (double) a[1]));
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Object[] f : all.subList(0, Math.min(15, all.size()))) {
            labels.add((String) f[0]);
            values.add((double) f[1]);
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(460).title("Global importance").xAxisTitle("feature")
                .yAxisTitle("mean |attribution|").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setYAxisDecimalPattern(DECIMALS); // "0.05", never ".05"
        chart.addSeries("importance", labels, values);
        return chart;
    }

    /** Training loss and the validation metric per epoch, without naming the target's unit. */
    public static XYChart curves(double[] trainLoss, double[] validation, String validationName) {
        return curves(trainLoss, validation, validationName, null, false);
    }

    /**
     * Training loss (left axis) and the validation metric (right axis) per epoch: the loss is on the standardised target
     * (regression: MSE or Huber of the target in standard deviations; classification: cross-entropy) and the
     * validation RMSE is in the target's own units, so they never share an axis.
     *
     * @param target the target's name, for the unit of a validation RMSE (null: none named)
     */
    public static XYChart curves(double[] trainLoss, double[] validation, String validationName, String target, boolean classification) {
        XYChart chart = new XYChartBuilder().width(720).height(400).title("Training").xAxisTitle("epoch")
                .yAxisTitle(classification ? "training loss (cross-entropy)" : "training loss (on the standardised target)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisDecimalPattern(DECIMALS);
        double[] epochs = new double[trainLoss.length];
        for (int i = 0; i < epochs.length; i++) {
            epochs[i] = i + 1;
        }
        chart.addSeries("training loss (left axis)", epochs, trainLoss).setMarker(SeriesMarkers.NONE);
        if (validation.length == trainLoss.length && java.util.Arrays.stream(validation).allMatch(Double::isFinite)) {
            XYSeries v = chart.addSeries("validation " + validationName + " (right axis)", epochs, validation);
            v.setMarker(SeriesMarkers.NONE);
            v.setYAxisGroup(1);
            String unit = "AUC".equalsIgnoreCase(validationName) ? "" : target == null ? " (target units)" : " (" + target + " units)";
            chart.setYAxisGroupTitle(1, "validation " + validationName + unit);
            chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
            chart.getStyler().putYAxisGroupDecimalPatternMap(1, DECIMALS);
        }
        return chart;
    }

    /** The ROC curve of scores against 0/1 labels, with the chance line. */
    public static XYChart roc(double[] observed, double[] score) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        double pos = 0;
        for (double o : observed) {
            pos += o > 0.5 ? 1 : 0;
        }
        double neg = observed.length - pos;
        List<Double> fpr = new ArrayList<>(List.of(0.0));
        List<Double> tpr = new ArrayList<>(List.of(0.0));
        double tp = 0;
        double fp = 0;
        for (int k = 0; k < order.length; k++) {
            if (observed[order[k]] > 0.5) {
                tp++;
            } else {
                fp++;
            }
            if (k == order.length - 1 || score[order[k + 1]] != score[order[k]]) {
                fpr.add(neg == 0 ? 0 : fp / neg);
                tpr.add(pos == 0 ? 0 : tp / pos);
            }
        }
        XYChart chart = new XYChartBuilder().width(560).height(560).title(String.format(Locale.ROOT, "ROC (AUC %.3f)",
                ClassificationMetrics.auc(observed, score))).xAxisTitle("false positive rate").yAxisTitle("true positive rate").build();
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("model", fpr, tpr).setMarker(SeriesMarkers.NONE);
        chart.addSeries("chance", new double[]{0, 1}, new double[]{0, 1}).setMarker(SeriesMarkers.NONE);
        return chart;
    }

    /** One line per named series of per-epoch values (e.g. validation curves of several runs). */
    public static XYChart lines(String title, String yTitle, Map<String, double[]> series) {
        XYChart chart = new XYChartBuilder().width(640).height(400).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] y = e.getValue();
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (Double.isFinite(y[i])) {
                    xs.add(i + 1.0);
                    ys.add(y[i]);
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }

    /** Test headline metric against the number of training units, one line per predictor (metrics.json's learning_curve). */
    @SuppressWarnings("unchecked")
    public static XYChart learningCurve(Map<String, Object> curve) {
        String headline = String.valueOf(curve.get("headline"));
        XYChart chart = new XYChartBuilder().width(640).height(400).title("Learning curve").xAxisTitle("training " + curve.get("unit"))
                .yAxisTitle("test " + headline.toUpperCase(java.util.Locale.ROOT)).build();
        Map<String, List<double[]>> series = new java.util.LinkedHashMap<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) curve.get("points")) {
            double units = ((Number) p.get("units")).doubleValue();
            ((Map<String, Object>) p.get("scores")).forEach((name, s) -> {
                Object v = ((Map<String, Object>) s).get(headline);
                if (v instanceof Number n) {
                    series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[]{units, n.doubleValue()});
                }
            });
        }
        series.forEach((name, pts) -> chart.addSeries(name, pts.stream().map(x -> x[0]).toList(), pts.stream().map(x -> x[1]).toList()));
        return chart;
    }

    /** Horizontal comparison of one value per label (e.g. per-drug Pearson of a run), labels in the given order. */
    public static CategoryChart bars(String title, String yTitle, List<String> labels, Map<String, double[]> series) {
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(640, 22 * labels.size() * Math.max(1, series.size()))).height(420)
                .title(title).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLabelRotation(60);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (double v : e.getValue()) {
                values.add(Double.isFinite(v) ? v : 0.0);
            }
            chart.addSeries(e.getKey(), labels, values);
        }
        return chart;
    }

    /** Reliability diagram: observed positive rate against mean predicted probability per bin, per predictor, and y = x. */
    public static XYChart reliability(Map<String, List<Map<String, Object>>> bins) {
        XYChart chart = new XYChartBuilder().width(560).height(520).title("Calibration").xAxisTitle("mean predicted probability")
                .yAxisTitle("observed positive rate").build();
        chart.addSeries("perfect", new double[]{0, 1}, new double[]{0, 1}).setMarker(SeriesMarkers.NONE);
        for (Map.Entry<String, List<Map<String, Object>>> e : bins.entrySet()) {
            if (e.getValue().size() < 2) {
                continue; // a constant predictor (the class prior) is one point
            }
            double[] x = e.getValue().stream().mapToDouble(b -> ((Number) b.get("mean_predicted")).doubleValue()).toArray();
            double[] y = e.getValue().stream().mapToDouble(b -> ((Number) b.get("observed_rate")).doubleValue()).toArray();
            chart.addSeries(e.getKey(), x, y);
        }
        return chart;
    }

    /** An N x N table as a heat map (rows: y, columns: x), e.g. the cross-study table of one metric; NaN cells left empty. */
    public static org.knowm.xchart.HeatMapChart heatMap(String title, List<String> rows, List<String> columns, double[][] values) {
        org.knowm.xchart.HeatMapChart chart = new org.knowm.xchart.HeatMapChartBuilder().width(200 + 90 * columns.size())
                .height(100 + 70 * rows.size()).title(title).xAxisTitle("scored on").yAxisTitle("trained on").build();
        chart.getStyler().setPlotContentSize(1);
        chart.getStyler().setShowValue(true);
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                if (Double.isFinite(values[r][c])) {
                    cells.add(new Number[]{c, rows.size() - 1 - r, Math.round(values[r][c] * 1000) / 1000.0}); // first row on top
                }
            }
        }
        List<String> bottomUp = new ArrayList<>(rows);
        java.util.Collections.reverse(bottomUp);
        chart.addSeries(title, columns, bottomUp, cells);
        return chart;
    }
}
