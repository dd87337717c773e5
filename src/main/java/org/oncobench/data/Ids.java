package org.oncobench.data;

/** Normalises ids read from different sources so they join: trims, and turns "683665.0" into "683665". */
public final class Ids {
    private Ids() {
    }

    public static String normalise(String raw) {
        String id = raw.trim();
        int dot = id.indexOf('.');
        if (dot > 0 && id.chars().limit(dot).allMatch(Character::isDigit) && id.substring(dot + 1).chars().allMatch(c -> c == '0')
                && dot < id.length() - 1) {
            return id.substring(0, dot);
        }
        return id;
    }
}
