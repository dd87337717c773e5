package org.oncobench.eval;

import java.util.Locale;

/** How numbers and intervals look in the console summary and the report (three decimals; "-" for none). */
public final class Formats {
    private Formats() {
    }

    /** Console: any number with three decimals, "-" when it is missing or not finite. */
    public static String console(Object v) {
        return v instanceof Number n && Double.isFinite(n.doubleValue()) ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "-";
    }

    /** Report: whole numbers as they are, others with three decimals, "-" when missing or not finite. */
    public static String report(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        return console(v);
    }

    /** An interval as the console shows it: "0.831 [0.793, 0.873]", the estimate alone when it has no bounds. */
    public static String interval(Significance.Interval i) {
        return i == null || !Double.isFinite(i.estimate()) ? "-" : Double.isFinite(i.low()) ? i.format() : console(i.estimate()) + " [-]";
    }
}
