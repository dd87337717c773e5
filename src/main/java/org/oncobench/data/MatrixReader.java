package org.oncobench.data;

import org.oncobench.config.BadInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a sample x feature matrix (expression, mutations, copy number) in DepMap's layout: one row per sample, an id
 * column, then one numeric column per feature (e.g. {@code TP53 (7157)}). When the first header cell is empty (older
 * DepMap releases), the first column holds the ids whatever {@code id} says.
 */
public final class MatrixReader {

    public FeatureTable read(String name, Path file, String idColumn, String configKey) {
        try (DelimitedFile in = DelimitedFile.open(file)) {
            String[] header = in.header();
            int idCol = header.length > 0 && header[0].isEmpty() ? 0 : in.column(idColumn, configKey + ".id");
            List<String> columns = new ArrayList<>(header.length - 1);
            int[] featureCols = new int[header.length - 1];
            int k = 0;
            for (int c = 0; c < header.length; c++) {
                if (c != idCol) {
                    featureCols[k++] = c;
                    columns.add(header[c]);
                }
            }
            if (columns.isEmpty()) {
                throw new BadInputException(file + ":1: no feature columns besides the id column '" + idColumn + "'");
            }
            List<String> ids = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            FloatBuffer values = new FloatBuffer(1 << 16);
            String[] row;
            while ((row = in.next()) != null) {
                String id = Ids.normalise(row[idCol]);
                if (id.isEmpty()) {
                    throw new BadInputException(file + ":" + in.line() + ": empty id in column '" + header[idCol] + "'");
                }
                if (!seen.add(id)) {
                    throw new BadInputException(file + ":" + in.line() + ": duplicated id '" + id + "'; each sample must appear once");
                }
                ids.add(id);
                for (int c : featureCols) {
                    values.add(in.number(row, c));
                }
            }
            if (ids.isEmpty()) {
                throw new BadInputException(file + ": no data rows after the header");
            }
            return new FeatureTable(name, ids, columns, values.toArray());
        }
    }

    /** A growable float array, so tables of millions of cells are not boxed. */
    static final class FloatBuffer {
        private float[] data;
        private int size;

        FloatBuffer(int capacity) {
            data = new float[capacity];
        }

        void add(float v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, data.length * 2L));
            }
            data[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
