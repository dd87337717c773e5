package org.oncobench.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * Draws a {@link CriticalDifference} result as an SVG critical-difference diagram (Demšar 2006): the rank axis (1 = best,
 * at the left), each predictor's mean rank with its name, the CD bar, and a thick line under each clique of predictors
 * not significantly different. The statistics are {@link CriticalDifference}'s; this class only draws.
 */
public final class CriticalDifferenceChart {
    private static final int WIDTH = 900;
    private static final int LEFT = 230;
    private static final int RIGHT = WIDTH - 230; // room for names such as "drug_cell_additive (6.33)" either side
    private static final int AXIS_Y = 70;

    private CriticalDifferenceChart() {
    }

    /** The diagram as an SVG element. */
    public static String svg(CriticalDifference.Result r) {
        int k = r.names().size();
        int half = (k + 1) / 2;
        int height = AXIS_Y + 40 + half * 24 + r.cliques().size() * 10 + 30;
        DoubleUnaryOperator x = rank -> LEFT + (rank - 1) / Math.max(1, k - 1) * (RIGHT - LEFT);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cd-diagram\" viewBox=\"0 0 %d %d\" "
                + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"13\">", WIDTH, height, WIDTH, height));
        s.append(String.format(Locale.ROOT, "<title>Critical-difference diagram: mean ranks over %d blocks; Friedman p %s; "
                + "Nemenyi CD = %.3f at alpha %.2f</title>", r.blocks(), pValue(r.friedmanP()), r.cd(), r.alpha()));
        axis(s, r, k, x);
        predictors(s, r, k, half, x);
        cliques(s, r, x);
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">Friedman chi2 = %.2f, p %s over %d blocks; "
                + "thick lines: within CD</text>", 10, height - 8, r.chiSquare(), pValue(r.friedmanP()), r.blocks()));
        s.append("</svg>");
        return s.toString();
    }

    /** The CD bar above the axis, and the axis with a tick per rank. */
    private static void axis(StringBuilder s, CriticalDifference.Result r, int k, DoubleUnaryOperator x) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"22\" x2=\"%.1f\" y2=\"22\" stroke=\"black\" stroke-width=\"2\"/>"
                + "<text x=\"%.1f\" y=\"16\" text-anchor=\"middle\">CD = %.2f</text>", x.applyAsDouble(1), x.applyAsDouble(1 + r.cd()),
                (x.applyAsDouble(1) + x.applyAsDouble(1 + r.cd())) / 2, r.cd()));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>", LEFT, AXIS_Y, RIGHT, AXIS_Y));
        for (int t = 1; t <= k; t++) {
            double tx = x.applyAsDouble(t);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>", tx, AXIS_Y - 5, tx, AXIS_Y, tx, AXIS_Y - 9, t));
        }
    }

    /** Each predictor's mean rank, its line down to its name, the better half on the left. */
    private static void predictors(StringBuilder s, CriticalDifference.Result r, int k, int half, DoubleUnaryOperator x) {
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(r.meanRanks()[a], r.meanRanks()[b]));
        int cliqueSpace = r.cliques().size() * 10;
        for (int pos = 0; pos < k; pos++) {
            int i = order[pos];
            double px = x.applyAsDouble(r.meanRanks()[i]);
            boolean leftSide = pos < half;
            int row = leftSide ? pos : k - 1 - pos;
            int y = AXIS_Y + 30 + cliqueSpace + row * 24;
            double tx = leftSide ? LEFT - 10 : RIGHT + 10;
            s.append(String.format(Locale.ROOT, "<polyline class=\"cd-predictor\" data-name=\"%s\" data-rank=\"%.4f\" points=\"%.1f,%d %.1f,%d "
                            + "%.1f,%d\" fill=\"none\" stroke=\"#444\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s (%.2f)</text>",
                    esc(r.names().get(i)), r.meanRanks()[i], px, AXIS_Y, px, y, tx, y, leftSide ? tx - 4 : tx + 4, y + 4, leftSide ? "end" : "start",
                    esc(r.names().get(i)), r.meanRanks()[i]));
        }
    }

    /** A thick line under each clique of predictors whose ranks differ by less than the CD. */
    private static void cliques(StringBuilder s, CriticalDifference.Result r, DoubleUnaryOperator x) {
        int cy = AXIS_Y + 14;
        for (int[] c : r.cliques()) {
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (int i : c) {
                lo = Math.min(lo, r.meanRanks()[i]);
                hi = Math.max(hi, r.meanRanks()[i]);
            }
            s.append(String.format(Locale.ROOT, "<line class=\"cd-clique\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" "
                    + "stroke-width=\"4\"/>", x.applyAsDouble(lo) - 3, cy, x.applyAsDouble(hi) + 3, cy));
            cy += 10;
        }
    }

    /** "= 0.0123", or "< 1e-15" where the chi-square tail underflows to 0. */
    static String pValue(double p) {
        return p < 1e-15 ? "< 1e-15" : String.format(Locale.ROOT, "= %.3g", p);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
