package org.oncobench.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A dense entity x feature table (row-major floats) with the entity ids and feature names. One per input:
 * expression, mutations, drug fingerprints. Rows of the cohort point into it by index; nothing is repeated per pair.
 */
public final class FeatureTable {
    private final String name;
    private final List<String> ids;
    private final List<String> columns;
    private final float[] values;
    private final Map<String, Integer> rowOf;

    public FeatureTable(String name, List<String> ids, List<String> columns, float[] values) {
        if ((long) ids.size() * columns.size() != values.length) {
            throw new IllegalArgumentException(name + ": " + ids.size() + " x " + columns.size() + " != " + values.length);
        }
        this.name = name;
        this.ids = List.copyOf(ids);
        this.columns = List.copyOf(columns);
        this.values = values;
        this.rowOf = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            rowOf.put(ids.get(i), i);
        }
    }

    public String name() {
        return name;
    }

    public List<String> ids() {
        return ids;
    }

    public List<String> columns() {
        return columns;
    }

    public int rows() {
        return ids.size();
    }

    public int width() {
        return columns.size();
    }

    /** Row index of an id, or -1. */
    public int rowOf(String id) {
        Integer r = rowOf.get(id);
        return r == null ? -1 : r;
    }

    public float get(int row, int column) {
        return values[row * columns.size() + column];
    }

    /** Copies one row into {@code dest} at {@code offset}. */
    public void copyRow(int row, float[] dest, int offset) {
        System.arraycopy(values, row * columns.size(), dest, offset, columns.size());
    }

    /** A new table with the given rows (in that order), e.g. aligned to the cohort's entities. */
    public FeatureTable selectRows(int[] rows, List<String> newIds) {
        int w = width();
        float[] out = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(values, rows[i] * w, out, i * w, w);
        }
        return new FeatureTable(name, newIds, columns, out);
    }

    /** A new table with the given columns (in that order). */
    public FeatureTable selectColumns(int[] cols) {
        int w = width();
        float[] out = new float[rows() * cols.length];
        for (int r = 0; r < rows(); r++) {
            int base = r * w;
            int ob = r * cols.length;
            for (int c = 0; c < cols.length; c++) {
                out[ob + c] = values[base + cols[c]];
            }
        }
        String[] names = new String[cols.length];
        for (int c = 0; c < cols.length; c++) {
            names[c] = columns.get(cols[c]);
        }
        return new FeatureTable(name, ids, Arrays.asList(names), out);
    }

    /** A new table with (x - mean) / sd applied per column; NaN cells first become {@code fill} (when given). */
    public FeatureTable standardised(float[] mean, float[] sd, float[] fill) {
        int w = width();
        float[] out = new float[values.length];
        for (int r = 0; r < rows(); r++) {
            int base = r * w;
            for (int c = 0; c < w; c++) {
                float x = values[base + c];
                if (fill != null && Float.isNaN(x)) {
                    x = fill[c];
                }
                out[base + c] = (x - mean[c]) / sd[c];
            }
        }
        return new FeatureTable(name, ids, columns, out);
    }
}
