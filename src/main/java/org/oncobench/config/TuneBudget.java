package org.oncobench.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search's time budget as written on the command line ({@code --tune 10m}) or in {@code model.tune.budget}: hours,
 * minutes and seconds in that order, each optional but at least one ({@code 90s}, {@code 10m}, {@code 1h30m},
 * {@code 2m30s}), from {@link #MIN_SECONDS} to {@link #MAX_SECONDS}.
 */
public final class TuneBudget {
    public static final long MIN_SECONDS = 30;
    public static final long MAX_SECONDS = 24 * 3600;
    /** What {@link #seconds} accepts, for error messages. */
    public static final String FORMS = "a duration such as 90s, 10m, 1h or 1h30m (hours h, minutes m, seconds s), from 30s to 24h";
    private static final Pattern FORM = Pattern.compile("(?:(\\d{1,3})h)?(?:(\\d{1,5})m)?(?:(\\d{1,6})s)?");

    private TuneBudget() {
    }

    /**
     * The budget in seconds.
     *
     * @param where what to name in the message ("--tune", "model.tune.budget")
     * @throws BadInputException naming {@code where}, the value and {@link #FORMS}
     */
    public static long seconds(String text, String where) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = FORM.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw new BadInputException(where + " '" + text + "': not a duration; give " + FORMS);
        }
        long s = part(m.group(1)) * 3600 + part(m.group(2)) * 60 + part(m.group(3));
        if (s < MIN_SECONDS || s > MAX_SECONDS) {
            throw new BadInputException(where + " '" + text + "': " + s + " s is outside 30s..24h; give " + FORMS);
        }
        return s;
    }

    private static long part(String g) {
        return g == null ? 0 : Long.parseLong(g);
    }
}
