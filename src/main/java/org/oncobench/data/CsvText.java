package org.oncobench.data;

/** Writing CSV the way {@link DelimitedFile} reads it (RFC 4180): a field with a comma, quote or line break is quoted. */
public final class CsvText {
    private CsvText() {
    }

    public static String field(String value) {
        if (value == null) {
            return "";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + value.replace("\"", "\"\"") + '"';
            }
        }
        return value;
    }
}
