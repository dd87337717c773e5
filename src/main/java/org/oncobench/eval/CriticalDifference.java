package org.oncobench.eval;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares k predictors over N blocks (drugs, or folds) as Demšar (JMLR 2006) and DrEval do: ranks within each block
 * (ties share their mean rank), the Friedman test of equal mean ranks (chi-square, and Iman and Davenport's F), then
 * the Nemenyi post-hoc critical difference {@code CD = q_alpha * sqrt(k (k + 1) / (6 N))}: two predictors whose mean
 * ranks differ by less than CD are not significantly different. {@code q_alpha} is the studentized range quantile at
 * infinite degrees of freedom over sqrt(2), computed here (it matches Demšar's table: 2.343 for k = 3 at 0.05).
 */
public final class CriticalDifference {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    /**
     * @param names       the predictors, in column order
     * @param meanRanks   mean rank per predictor (1 = best)
     * @param blocks      N, the blocks with a value for every predictor
     * @param cd          Nemenyi critical difference at alpha
     * @param cliques     groups of predictors (by index, best first) whose mean ranks lie within CD of each other
     */
    public record Result(List<String> names, double[] meanRanks, int blocks, double chiSquare, double friedmanP, double imanDavenportF,
                         double imanDavenportP, double alpha, double qAlpha, double cd, List<int[]> cliques) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Double> ranks = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                ranks.put(names.get(i), meanRanks[i]);
            }
            m.put("mean_ranks", ranks);
            m.put("blocks", blocks);
            m.put("friedman_chi2", chiSquare);
            m.put("friedman_p", friedmanP);
            m.put("iman_davenport_f", Double.isFinite(imanDavenportF) ? imanDavenportF : null);
            m.put("iman_davenport_p", Double.isFinite(imanDavenportP) ? imanDavenportP : null);
            m.put("alpha", alpha);
            m.put("nemenyi_q", qAlpha);
            m.put("critical_difference", cd);
            m.put("cliques", cliques.stream().map(c -> java.util.Arrays.stream(c).mapToObj(names::get).toList()).toList());
            return m;
        }
    }

    private CriticalDifference() {
    }

    /**
     * @param values        values[block][predictor]; blocks with a non-finite value are left out
     * @param lowerIsBetter RMSE (true) or Pearson / AUC (false)
     */
    public static Result of(List<String> names, double[][] values, boolean lowerIsBetter, double alpha) {
        int k = names.size();
        if (k < 2) {
            throw new IllegalArgumentException("a critical-difference comparison needs at least two predictors, got " + k);
        }
        List<double[]> complete = new ArrayList<>();
        for (double[] row : values) {
            if (row.length != k) {
                throw new IllegalArgumentException("a block has " + row.length + " values for " + k + " predictors");
            }
            if (java.util.Arrays.stream(row).allMatch(Double::isFinite)) {
                complete.add(row);
            }
        }
        int n = complete.size();
        if (n < 2) {
            throw new IllegalArgumentException("a critical-difference comparison needs at least two blocks with every predictor scored, got " + n);
        }
        double[] meanRanks = new double[k];
        for (double[] row : complete) {
            double[] r = ranks(row, lowerIsBetter);
            for (int j = 0; j < k; j++) {
                meanRanks[j] += r[j] / n;
            }
        }
        double sumSq = 0;
        for (double r : meanRanks) {
            sumSq += r * r;
        }
        double chi2 = 12.0 * n / (k * (k + 1.0)) * (sumSq - k * (k + 1.0) * (k + 1.0) / 4.0);
        double p = 1 - new ChiSquaredDistribution(null, k - 1).cumulativeProbability(chi2);
        double f = (n - 1) * chi2 / (n * (k - 1.0) - chi2);
        double fp = Double.isFinite(f) && f >= 0 ? 1 - new FDistribution(null, k - 1, (k - 1.0) * (n - 1)).cumulativeProbability(f) : Double.NaN;
        double q = nemenyiQ(k, alpha);
        double cd = q * Math.sqrt(k * (k + 1.0) / (6.0 * n));
        return new Result(List.copyOf(names), meanRanks, n, chi2, p, f, fp, alpha, q, cd, cliques(meanRanks, cd));
    }

    /** Ranks within one block, 1 = best; tied values share the mean of their ranks. */
    static double[] ranks(double[] row, boolean lowerIsBetter) {
        int k = row.length;
        Integer[] idx = new Integer[k];
        for (int i = 0; i < k; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> lowerIsBetter ? Double.compare(row[a], row[b]) : Double.compare(row[b], row[a]));
        double[] r = new double[k];
        for (int i = 0; i < k; ) {
            int j = i;
            while (j + 1 < k && row[idx[j + 1]] == row[idx[i]]) {
                j++;
            }
            double shared = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                r[idx[t]] = shared;
            }
            i = j + 1;
        }
        return r;
    }

    /** The Nemenyi test's critical value: the studentized range quantile (k means, infinite df) at 1 - alpha, over sqrt(2). */
    public static double nemenyiQ(int k, double alpha) {
        double lo = 0;
        double hi = 10;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (rangeCdf(mid, k) < 1 - alpha) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2 / Math.sqrt(2);
    }

    /** P(range of k standard normals <= q) = k * integral phi(z) (Phi(z + q) - Phi(z))^(k-1) dz (Simpson's rule on [-8, 8]). */
    static double rangeCdf(double q, int k) {
        int steps = 4000;
        double a = -8;
        double h = 16.0 / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double z = a + i * h;
            double v = NORMAL.density(z) * Math.pow(NORMAL.cumulativeProbability(z + q) - NORMAL.cumulativeProbability(z), k - 1);
            sum += v * (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2);
        }
        return k * sum * h / 3;
    }

    /** Maximal runs of predictors (sorted by mean rank) whose first and last lie within cd; those of one predictor are left out. */
    static List<int[]> cliques(double[] meanRanks, double cd) {
        Integer[] order = new Integer[meanRanks.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(meanRanks[a], meanRanks[b]));
        List<int[]> out = new ArrayList<>();
        int lastEnd = -1;
        for (int i = 0; i < order.length; i++) {
            int j = i;
            while (j + 1 < order.length && meanRanks[order[j + 1]] - meanRanks[order[i]] < cd) {
                j++;
            }
            if (j > i && j > lastEnd) {
                int[] c = new int[j - i + 1];
                for (int t = i; t <= j; t++) {
                    c[t - i] = order[t];
                }
                out.add(c);
                lastEnd = j;
            }
        }
        return out;
    }

    /**
     * The critical-difference diagram as SVG: the rank axis (1 = best, at the left), each predictor's mean rank with its
     * name, the CD bar, and a thick line under each clique of predictors not significantly different.
     */
    public static String svg(Result r) {
        int k = r.names().size();
        int width = 900;
        int left = 230;
        int right = width - 230; // room for names such as "drug_cell_additive (6.33)" either side
        int axisY = 70;
        int half = (k + 1) / 2;
        int height = axisY + 40 + half * 24 + r.cliques().size() * 10 + 30;
        java.util.function.DoubleUnaryOperator x = rank -> left + (rank - 1) / Math.max(1, k - 1) * (right - left);
        StringBuilder s = new StringBuilder();
        s.append(String.format(java.util.Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cd-diagram\" viewBox=\"0 0 %d %d\" "
                + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"13\">", width, height, width, height));
        s.append(String.format(java.util.Locale.ROOT, "<title>Critical-difference diagram: mean ranks over %d blocks; Friedman p %s; "
                + "Nemenyi CD = %.3f at alpha %.2f</title>", r.blocks(), pValue(r.friedmanP()), r.cd(), r.alpha()));
        // CD bar
        s.append(String.format(java.util.Locale.ROOT, "<line x1=\"%.1f\" y1=\"22\" x2=\"%.1f\" y2=\"22\" stroke=\"black\" stroke-width=\"2\"/>"
                + "<text x=\"%.1f\" y=\"16\" text-anchor=\"middle\">CD = %.2f</text>", x.applyAsDouble(1), x.applyAsDouble(1 + r.cd()),
                (x.applyAsDouble(1) + x.applyAsDouble(1 + r.cd())) / 2, r.cd()));
        // axis
        s.append(String.format(java.util.Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>", left, axisY, right, axisY));
        for (int t = 1; t <= k; t++) {
            double tx = x.applyAsDouble(t);
            s.append(String.format(java.util.Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>", tx, axisY - 5, tx, axisY, tx, axisY - 9, t));
        }
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(r.meanRanks()[a], r.meanRanks()[b]));
        int cliqueSpace = r.cliques().size() * 10;
        for (int pos = 0; pos < k; pos++) {
            int i = order[pos];
            double px = x.applyAsDouble(r.meanRanks()[i]);
            boolean leftSide = pos < half;
            int row = leftSide ? pos : k - 1 - pos;
            int y = axisY + 30 + cliqueSpace + row * 24;
            double tx = leftSide ? left - 10 : right + 10;
            s.append(String.format(java.util.Locale.ROOT, "<polyline class=\"cd-predictor\" data-name=\"%s\" data-rank=\"%.4f\" points=\"%.1f,%d %.1f,%d %.1f,%d\" "
                            + "fill=\"none\" stroke=\"#444\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s (%.2f)</text>", esc(r.names().get(i)),
                    r.meanRanks()[i], px, axisY, px, y, tx, y, leftSide ? tx - 4 : tx + 4, y + 4, leftSide ? "end" : "start",
                    esc(r.names().get(i)), r.meanRanks()[i]));
        }
        int cy = axisY + 14;
        for (int[] c : r.cliques()) {
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (int i : c) {
                lo = Math.min(lo, r.meanRanks()[i]);
                hi = Math.max(hi, r.meanRanks()[i]);
            }
            s.append(String.format(java.util.Locale.ROOT, "<line class=\"cd-clique\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" stroke-width=\"4\"/>",
                    x.applyAsDouble(lo) - 3, cy, x.applyAsDouble(hi) + 3, cy));
            cy += 10;
        }
        s.append(String.format(java.util.Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">Friedman chi2 = %.2f, p %s over %d blocks; "
                + "thick lines: within CD</text>", 10, height - 8, r.chiSquare(), pValue(r.friedmanP()), r.blocks()));
        s.append("</svg>");
        return s.toString();
    }

    /** "= 0.0123", or "< 1e-15" where the chi-square tail underflows to 0. */
    static String pValue(double p) {
        return p < 1e-15 ? "< 1e-15" : String.format(java.util.Locale.ROOT, "= %.3g", p);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
