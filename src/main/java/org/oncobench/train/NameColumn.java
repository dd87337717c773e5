package org.oncobench.train;

import java.util.Collection;
import java.util.Locale;

/**
 * The width of the predictor-name column of the console tables: {@link #MIN} characters (what every table printed
 * before), wider when a name present is longer (e.g. {@code single_drug_elastic_net}), so columns stay aligned and
 * tables whose names fit print exactly as before.
 */
final class NameColumn {
    static final int MIN = 22;

    private NameColumn() {
    }

    /** The column width for these names (and the column's header). */
    static int width(Collection<String> names) {
        int w = MIN;
        for (String n : names) {
            w = Math.max(w, n.length());
        }
        return w;
    }

    /** The name left-aligned and padded to the width, after the tables' two-space indent. */
    static String cell(String name, int width) {
        return String.format(Locale.ROOT, "  %-" + width + "s", name);
    }
}
