package org.oncobench.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Rows of named values (metrics, per-drug results, history, predictions): filter, sort, take a column, and show as an
 * HTML table in a notebook or as aligned text elsewhere. Immutable: every operation returns a new table.
 */
public final class Table implements HtmlDisplayable {
    private static final int SHOWN = 50;
    private final String title;
    private final List<String> columns;
    private final List<Map<String, Object>> rows;

    public Table(String title, List<String> columns, List<Map<String, Object>> rows) {
        this.title = title;
        this.columns = List.copyOf(columns);
        this.rows = List.copyOf(rows);
    }

    /** A table whose columns are the keys of its rows, in order of first appearance. */
    public static Table of(String title, List<Map<String, Object>> rows) {
        List<String> columns = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            r.keySet().forEach(k -> {
                if (!columns.contains(k)) {
                    columns.add(k);
                }
            });
        }
        return new Table(title, columns, rows);
    }

    public String title() {
        return title;
    }

    public List<String> columns() {
        return columns;
    }

    public List<Map<String, Object>> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    /** One row's value. */
    public Object get(int row, String column) {
        return rows.get(row).get(requireColumn(column));
    }

    /** A numeric column (NaN where a row has no number). */
    public double[] column(String name) {
        requireColumn(name);
        return rows.stream().mapToDouble(r -> r.get(name) instanceof Number n ? n.doubleValue() : Double.NaN).toArray();
    }

    /** The values of a column as text. */
    public List<String> labels(String name) {
        requireColumn(name);
        return rows.stream().map(r -> r.get(name) == null ? "" : String.valueOf(r.get(name))).toList();
    }

    public Table filter(Predicate<Map<String, Object>> keep) {
        return new Table(title, columns, rows.stream().filter(keep).toList());
    }

    /** Rows whose {@code column} equals {@code value} (compared as text). */
    public Table where(String column, Object value) {
        requireColumn(column);
        return filter(r -> String.valueOf(r.get(column)).equals(String.valueOf(value)));
    }

    /** Sorted by a column, ascending; numbers before text, missing values last. */
    public Table sortBy(String column) {
        requireColumn(column);
        Comparator<Map<String, Object>> byValue = (a, b) -> compare(a.get(column), b.get(column));
        return new Table(title, columns, rows.stream().sorted(byValue).toList());
    }

    public Table sortByDescending(String column) {
        requireColumn(column);
        List<Map<String, Object>> sorted = new ArrayList<>(sortBy(column).rows);
        List<Map<String, Object>> present = new ArrayList<>(sorted.stream().filter(r -> r.get(column) != null).toList());
        java.util.Collections.reverse(present);
        present.addAll(sorted.stream().filter(r -> r.get(column) == null).toList());
        return new Table(title, columns, present);
    }

    public Table head(int n) {
        return new Table(title, columns, rows.subList(0, Math.min(n, rows.size())));
    }

    /** Only the named columns, in that order. */
    public Table select(String... names) {
        for (String n : names) {
            requireColumn(n);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String n : names) {
                m.put(n, r.get(n));
            }
            out.add(m);
        }
        return new Table(title, List.of(names), out);
    }

    private String requireColumn(String name) {
        if (!columns.contains(name)) {
            throw new IllegalArgumentException("no column '" + name + "' in " + title + "; columns: " + String.join(", ", columns));
        }
        return name;
    }

    private static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Number) {
            return -1;
        }
        if (b instanceof Number) {
            return 1;
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    static String format(Object v) {
        if (v == null) {
            return "–";
        }
        if (v instanceof Double d || v instanceof Float) {
            double x = ((Number) v).doubleValue();
            return !Double.isFinite(x) ? "–" : Math.abs(x) >= 1e5 || (x != 0 && Math.abs(x) < 1e-3)
                    ? String.format(Locale.ROOT, "%.3g", x) : String.format(Locale.ROOT, "%.3f", x);
        }
        return String.valueOf(v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<table class=\"oncobench\">");
        if (title != null) {
            sb.append("<caption style=\"text-align:left;font-weight:bold\">").append(esc(title)).append(" (").append(rows.size())
                    .append(rows.size() == 1 ? " row" : " rows").append(")</caption>");
        }
        sb.append("<thead><tr>");
        columns.forEach(c -> sb.append("<th>").append(esc(c)).append("</th>"));
        sb.append("</tr></thead><tbody>");
        for (Map<String, Object> r : rows.subList(0, Math.min(SHOWN, rows.size()))) {
            sb.append("<tr>");
            for (String c : columns) {
                Object v = r.get(c);
                sb.append(v instanceof Number ? "<td style=\"text-align:right\">" : "<td>").append(esc(format(v))).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table>");
        if (rows.size() > SHOWN) {
            sb.append("<p><i>first ").append(SHOWN).append(" of ").append(rows.size()).append(" rows; .head(n), .filter(...) or .rows() for more</i></p>");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        List<String> header = columns;
        int[] width = new int[header.size()];
        List<Map<String, Object>> shown = rows.subList(0, Math.min(SHOWN, rows.size()));
        for (int c = 0; c < header.size(); c++) {
            width[c] = header.get(c).length();
            for (Map<String, Object> r : shown) {
                width[c] = Math.max(width[c], format(r.get(header.get(c))).length());
            }
        }
        StringBuilder sb = new StringBuilder(title == null ? "" : title + " (" + rows.size() + " rows)\n");
        for (int c = 0; c < header.size(); c++) {
            sb.append(String.format(Locale.ROOT, c == 0 ? "%-" + width[c] + "s" : "  %" + width[c] + "s", header.get(c)));
        }
        sb.append('\n');
        for (Map<String, Object> r : shown) {
            for (int c = 0; c < header.size(); c++) {
                sb.append(String.format(Locale.ROOT, c == 0 ? "%-" + width[c] + "s" : "  %" + width[c] + "s", format(r.get(header.get(c)))));
            }
            sb.append('\n');
        }
        if (rows.size() > SHOWN) {
            sb.append("... ").append(rows.size() - SHOWN).append(" more rows\n");
        }
        return sb.toString();
    }
}
