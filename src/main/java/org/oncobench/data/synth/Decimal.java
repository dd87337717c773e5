package org.oncobench.data.synth;

/** Fast, locale-free fixed-point formatting for writing millions of cells reproducibly. */
final class Decimal {
    private static final long[] POW10 = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000};

    private Decimal() {
    }

    static void append(StringBuilder sb, double value, int decimals) {
        long scaled = Math.round(value * POW10[decimals]);
        if (scaled < 0) {
            sb.append('-');
            scaled = -scaled;
        }
        long whole = scaled / POW10[decimals];
        long frac = scaled % POW10[decimals];
        sb.append(whole);
        if (decimals > 0) {
            sb.append('.');
            String f = Long.toString(frac);
            for (int i = f.length(); i < decimals; i++) {
                sb.append('0');
            }
            sb.append(f);
        }
    }

    static String format(double value, int decimals) {
        StringBuilder sb = new StringBuilder();
        append(sb, value, decimals);
        return sb.toString();
    }
}
