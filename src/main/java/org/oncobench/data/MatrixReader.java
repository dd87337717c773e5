package org.oncobench.data;

import org.oncobench.config.BadInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a sample x feature matrix (expression, mutations, copy number, any omics) as CSV/TSV, optionally gzipped.
 * Understands both DepMap expression layouts: older (first column unnamed = ModelID) and newer (SequencingID, ModelID,
 * IsDefaultEntryForModel, ModelConditionID, IsDefaultEntryForMC, often after an unnamed row-number column; only rows
 * with IsDefaultEntryForModel == Yes are kept, so duplicated sequencing runs never enter). Missing cells (empty, NA, NaN) are refused unless the table's
 * policy imputes them, in which case they are kept as NaN for {@link TransformFitter}.
 */
public final class MatrixReader {
    /** Columns of DepMap's newer expression layout that describe the sequencing run, not a gene. */
    static final List<String> DEPMAP_RUN_COLUMNS = List.of("SequencingID", "ModelID", "IsDefaultEntryForModel", "ModelConditionID",
            "IsDefaultEntryForMC");
    static final String DEFAULT_ENTRY = "IsDefaultEntryForModel";
    /** GDSC columns computed from the outcome; never features. */
    static final Map<String, String> OUTCOME_DERIVED = Map.of(
            "Z_SCORE", "LN_IC50 standardised per drug over all cell lines",
            "RMSE", "the fit quality of the dose-response curve the outcome comes from",
            "LN_IC50", "the outcome itself",
            "AUC", "the outcome itself");

    public FeatureTable read(String name, Path file, String idColumn, String configKey) {
        return read(name, file, idColumn, configKey, false);
    }

    public FeatureTable read(String name, Path file, String idColumn, String configKey, boolean allowMissing) {
        return read(name, file, idColumn, configKey, allowMissing, List.of(), false);
    }

    /** The header line that names the features, the reader left after the last of the file's {@code headerLines} header lines. */
    private static String[] headerNames(DelimitedFile in, Path file, String configKey, int headerLines, int namesLine) {
        String[] header = in.header();
        for (int h = 1; h < headerLines; h++) {
            String[] more = in.next();
            if (more == null) {
                throw new BadInputException(file + ": ends within its " + headerLines + " header lines (" + configKey + ".header_rows)");
            }
            if (h == namesLine) {
                header = more;
            }
        }
        return header;
    }

    /** DepMap's newer long layout (one row per screen, a default-entry flag beside ModelID). */
    private static boolean newerDepMap(String[] header) {
        return List.of(header).contains(DEFAULT_ENTRY) && List.of(header).contains("ModelID");
    }

    /** The id column: ModelID in the newer DepMap layout, the first column when its header cell is empty, else the configured one. */
    private static int idColumn(DelimitedFile in, String[] header, String idColumn, String configKey, boolean newerDepMap) {
        return newerDepMap ? in.column("ModelID", configKey + ".id")
                : header.length > 0 && header[0].isEmpty() ? 0 : in.column(idColumn, configKey + ".id");
    }

    /**
     * How many feature columns {@link #read} would take from the file, from its header alone (the network's input width
     * before training-time selection); the id column is checked as reading checks it.
     *
     * @param headerLines and {@code namesLine} as {@link #read} takes them (IMPROVE's multi-line headers)
     */
    public static int featureColumns(Path file, String idColumn, String configKey, List<String> ignore, int headerLines, int namesLine) {
        try (DelimitedFile in = DelimitedFile.open(file)) {
            String[] header = headerNames(in, file, configKey, headerLines, namesLine);
            boolean multiLine = headerLines > 1;
            boolean newerDepMap = !multiLine && newerDepMap(header);
            int idCol = multiLine ? 0 : idColumn(in, header, idColumn, configKey, newerDepMap);
            int n = 0;
            for (int c = 0; c < header.length; c++) {
                n += isFeature(header, c, idCol, newerDepMap, ignore) ? 1 : 0;
            }
            return n;
        }
    }

    /** Whether column {@code c} is a feature: not the id, not ignored, not one of DepMap's run-description columns. */
    private static boolean isFeature(String[] header, int c, int idCol, boolean newerDepMap, List<String> ignore) {
        return !(c == idCol || ignore.contains(header[c]) || (newerDepMap && (DEPMAP_RUN_COLUMNS.contains(header[c]) || header[c].isEmpty())));
    }

    /**
     * @param ignore columns that are neither the id nor features (skipped where present, e.g. DrEval's {@code cellosaurus_id})
     * @param log1p  store ln(1 + x) of every cell (TPM, counts); a negative cell, which has no such value, is refused
     */
    public FeatureTable read(String name, Path file, String idColumn, String configKey, boolean allowMissing, List<String> ignore,
                             boolean log1p) {
        return read(name, file, idColumn, configKey, allowMissing, ignore, log1p, 1, 0);
    }

    /**
     * @param headerLines header lines (IMPROVE's omics files have one per gene identifier system); with more than one, the
     *                    first column is the sample id, as improvelib reads them ({@code index_col=0})
     * @param namesLine   the header line (0-based) that names the features
     */
    public FeatureTable read(String name, Path file, String idColumn, String configKey, boolean allowMissing, List<String> ignore,
                             boolean log1p, int headerLines, int namesLine) {
        try (DelimitedFile in = DelimitedFile.open(file)) {
            String[] header = headerNames(in, file, configKey, headerLines, namesLine);
            boolean multiLine = headerLines > 1;
            boolean newerDepMap = !multiLine && newerDepMap(header);
            int idCol = multiLine ? 0 : idColumn(in, header, idColumn, configKey, newerDepMap);
            int defaultCol = newerDepMap ? in.column(DEFAULT_ENTRY, configKey) : -1;
            List<String> columns = new ArrayList<>(header.length - 1);
            List<Integer> featureCols = new ArrayList<>(header.length);
            for (int c = 0; c < header.length; c++) {
                if (!isFeature(header, c, idCol, newerDepMap, ignore)) {
                    continue;
                }
                if (OUTCOME_DERIVED.containsKey(header[c])) {
                    throw new BadInputException(file + ":1: column '" + header[c] + "' (" + configKey + ") is derived from the outcome ("
                            + OUTCOME_DERIVED.get(header[c]) + "), so it cannot be a feature; remove it from the table");
                }
                featureCols.add(c);
                columns.add(header[c]);
            }
            Map<String, Integer> firstOf = new java.util.HashMap<>();
            for (int c : featureCols) {
                Integer before = firstOf.putIfAbsent(header[c], c);
                if (before != null) {
                    throw new BadInputException(file + ":1: column '" + header[c] + "' appears twice (columns " + (before + 1) + " and " + (c + 1)
                            + ") in " + configKey + "; each gene must be one column, so a model's inputs can be named");
                }
            }
            if (columns.isEmpty()) {
                throw new BadInputException(file + ":1: no feature columns besides the id column '" + header[idCol] + "'");
            }
            int[] cols = featureCols.stream().mapToInt(Integer::intValue).toArray();
            List<String> ids = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            FloatBuffer values = new FloatBuffer(1 << 16);
            String[] row;
            while ((row = in.next()) != null) {
                if (newerDepMap && !"Yes".equalsIgnoreCase(row[defaultCol].trim())) {
                    continue;
                }
                String id = Ids.normalise(row[idCol]);
                if (id.isEmpty()) {
                    throw new BadInputException(file + ":" + in.line() + ": empty id in column '" + header[idCol] + "'");
                }
                if (!seen.add(id)) {
                    throw new BadInputException(file + ":" + in.line() + ": duplicated id '" + id + "'"
                            + (newerDepMap ? " with IsDefaultEntryForModel = Yes" : "") + "; each sample must appear once");
                }
                ids.add(id);
                for (int c : cols) {
                    float v = allowMissing && isMissing(row[c]) ? Float.NaN : in.number(row, c);
                    if (log1p && v < 0) {
                        throw new BadInputException(file + ":" + in.line() + ": column '" + header[c] + "': " + v + " is negative, so "
                                + configKey + ".transform: log1p has no value for it; it is meant for TPM or counts (remove the transform)");
                    }
                    values.add(log1p ? (float) Math.log1p(v) : v);
                }
            }
            if (ids.isEmpty()) {
                throw new BadInputException(file + ": no data rows after the header" + (newerDepMap ? " with IsDefaultEntryForModel = Yes" : ""));
            }
            return new FeatureTable(name, ids, columns, values.toArray());
        }
    }

    static boolean isMissing(String cell) {
        String c = cell.trim();
        return c.isEmpty() || c.equalsIgnoreCase("NA") || c.equalsIgnoreCase("NaN") || c.equalsIgnoreCase("null");
    }

    /** A growable int array. */
    static final class IntBuffer {
        private int[] data;
        private int size;

        IntBuffer(int capacity) {
            data = new int[capacity];
        }

        void add(int v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(data, size);
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
