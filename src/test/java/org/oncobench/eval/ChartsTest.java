package org.oncobench.eval;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's charts say what they show: axes with units, bins by their range, the scatter's r and RMSE, "0.05" ticks. */
class ChartsTest {

    @Test
    void trainingLossAndValidationRmseHaveAnAxisEachWithItsUnit() {
        XYChart chart = Charts.curves(new double[]{0.9, 0.4, 0.3}, new double[]{1.07, 0.95, 0.91}, "RMSE", "LN_IC50", false);
        assertEquals(0, chart.getSeriesMap().get("training loss (left axis)").getYAxisGroup());
        assertEquals(1, chart.getSeriesMap().get("validation RMSE (right axis)").getYAxisGroup());
        assertTrue(chart.getYAxisTitle().contains("standardised"), chart.getYAxisTitle());
        assertEquals("validation RMSE (LN_IC50 units)", chart.getYAxisGroupTitle(1));
    }

    @Test
    void histogramBarsAreLabelledByTheirBin() {
        CategoryChart chart = Charts.histogram(new double[]{0.45, 0.5, 0.95, 1.0, -1.0}, "Per-drug Pearson", "drugs");
        List<Object> labels = new ArrayList<>(chart.getSeriesMap().get("drugs").getXData());
        List<Number> counts = new ArrayList<>(chart.getSeriesMap().get("drugs").getYData());
        assertEquals(10, labels.size());
        assertEquals("-1.0 to -0.8", labels.get(0));
        assertEquals("0.4 to 0.6", labels.get(7));
        assertEquals("0.8 to 1.0", labels.get(9));
        assertEquals(2, counts.get(7).intValue());
        assertEquals(2, counts.get(9).intValue(), "1.0 falls in the last, closed bin");
        assertEquals(1, counts.get(0).intValue());
    }

    @Test
    void predictedVsObservedCarriesPearsonAndRmse() {
        double[] o = {1, 2, 3, 4, 5, 6};
        double[] p = {1.5, 1.8, 3.3, 3.9, 5.4, 5.8};
        XYChart chart = Charts.scatter(o, p, "LN_IC50", new Significance.Interval(0.98, 0.9, 0.99), new Significance.Interval(0.33, 0.2, 0.4));
        double rmse = org.oncobench.stats.PairMoments.of(o, p, null).rmse();
        double r = org.oncobench.stats.PairMoments.of(o, p, null).pearson();
        assertEquals(String.format(Locale.ROOT, "Predicted vs observed: r = %.3f, RMSE = %.3f (n = 6)", r, rmse), chart.getTitle());
    }

    @Test
    void importanceTicksHaveALeadingZero() {
        CategoryChart chart = Charts.importance(Map.of("tables", Map.of("expression", Map.of("top", List.of(
                Map.of("feature", "EGFR", "mean_abs_attribution", 0.05), Map.of("feature", "TP53", "mean_abs_attribution", 0.125))))));
        String pattern = chart.getStyler().getYAxisDecimalPattern();
        assertNotNull(pattern, "XChart's default pattern prints .05");
        DecimalFormat f = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
        assertEquals("0.05", f.format(0.05));
        assertEquals("0.125", f.format(0.125));
        assertEquals("1.0", f.format(1.0));
    }
}
