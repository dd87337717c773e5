package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import org.oncobench.config.BadInputException;
import org.oncobench.data.CsvText;
import org.oncobench.data.DelimitedFile;
import org.oncobench.data.FingerprintReader;
import org.oncobench.data.FeatureTable;
import org.oncobench.data.Ids;
import org.oncobench.data.ImageTableReader;
import org.oncobench.data.MatrixReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code oncobench predict BUNDLE --input ... --out predictions.csv}: reads prediction inputs laid out like the training
 * files and scores them. Inputs are files named after the bundle's inputs: {@code <input>.csv} (a sample x gene
 * matrix, first column the sample id), {@code <input>/<sample id>/*.png} for image inputs, {@code drugs.csv} (the
 * schema's id and SMILES columns) and optionally {@code pairs.csv} (sample, drug); without pairs every sample is
 * scored with every drug. {@code --input} takes a folder holding them, or the files themselves.
 */
public final class BatchScoring {

    public record Scored(Path out, int rows) {
    }

    public Scored score(Bundle bundle, List<Path> inputs, Path out) {
        return score(bundle, inputs, out, 0);
    }

    /**
     * @param explain the top features (integrated gradients) to add to every prediction's line: top1_input, top1_feature,
     *                top1_value, top1_attribution, ... (0: none)
     */
    public Scored score(Bundle bundle, List<Path> inputs, Path out, int explain) {
        return score(bundle, bundle.predictor(), inputs, out, explain);
    }

    /**
     * As {@link #score(Bundle, List, Path, int)} with {@code predictor}, the bundle's, made once by a caller that scores
     * many batches (Spark's executors: {@code cluster.SparkScoring}).
     */
    public Scored score(Bundle bundle, Predictor predictor, List<Path> inputs, Path out, int explain) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p) && !isImageDir(bundle, p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.forEach(f -> files.put(baseName(f), f));
                } catch (IOException e) {
                    throw new BadInputException(p + ": cannot list (" + e.getMessage() + ")");
                }
            } else if (Files.exists(p)) {
                files.put(baseName(p), p);
            } else {
                throw new BadInputException(p + ": --input not found");
            }
        }
        List<JsonNode> schemaInputs = predictor.inputs();
        // per input: each sample's (or drug's) row in the schema's column order, computed once however many pairs use it
        List<Map<String, float[]>> rowsOf = new ArrayList<>();
        Set<String> samples = new LinkedHashSet<>();
        Map<String, String> drugs = new LinkedHashMap<>();
        for (JsonNode in : schemaInputs) {
            String name = in.path("name").asText();
            Map<String, float[]> rows = new LinkedHashMap<>();
            switch (in.path("kind").asText()) {
                case "matrix" -> {
                    Path f = require(files, name, "a sample x gene table " + name + ".csv (first column: sample id)");
                    // missing cells are allowed only where the model can fill them (training medians); elsewhere the reader
                    // names the file, line and column of the first one
                    boolean fills = in.path("fill").isArray();
                    List<String> ignore = new ArrayList<>();
                    in.path("ignore").forEach(c -> ignore.add(c.asText()));
                    FeatureTable t = new MatrixReader().read(name, f, in.path("id_column").asText(), "--input " + f.getFileName(), fills, ignore,
                            "log1p".equals(in.path("transform").asText()), in.path("header_rows").asInt(1),
                            in.path("name_row").asInt(in.path("header_rows").asInt(1) - 1));
                    int[] source = alignColumns(in, t, f);
                    for (int r = 0; r < t.rows(); r++) {
                        float[] row = new float[source.length];
                        for (int c = 0; c < source.length; c++) {
                            float v = source[c] < 0 ? Float.NaN : t.get(r, source[c]);
                            row[c] = Float.isNaN(v) ? (float) in.path("fill").get(c).asDouble() : v;
                        }
                        rows.put(t.ids().get(r), row);
                        samples.add(t.ids().get(r));
                    }
                }
                case "image" -> {
                    Path dir = require(files, name, "a folder " + name + "/<sample id>/ of image tiles");
                    JsonNode size = in.path("image_size");
                    try (Stream<Path> s = Files.list(dir)) {
                        for (Path sampleDir : s.filter(Files::isDirectory).sorted().toList()) {
                            String id = Ids.normalise(sampleDir.getFileName().toString());
                            rows.put(id, ImageTableReader.meanTile(ImageTableReader.tilesIn(sampleDir), size.get(0).asInt(), size.get(1).asInt(),
                                    size.get(2).asInt()));
                            samples.add(id);
                        }
                    } catch (IOException e) {
                        throw new BadInputException(dir + ": cannot list (" + e.getMessage() + ")");
                    }
                }
                case "fingerprint" -> {
                    // a drug the model was trained on may come by its id alone (empty SMILES, no SMILES column, or no drugs.csv:
                    // then every trained drug); the bundle records its fingerprint
                    String smilesColumn = in.path("fingerprint").path("smiles_column").asText();
                    if (!files.containsKey("drugs") && in.path("known_drugs").size() > 0) {
                        in.path("known_drugs").fieldNames().forEachRemaining(id -> {
                            rows.put(id, InputSchema.knownDrug(in, id));
                            drugs.put(id, "");
                        });
                        break;
                    }
                    if ("precomputed".equals(in.path("fingerprint").path("kind").asText())) {
                        readPrecomputed(in, require(files, "drugs", "drugs.csv with column " + in.path("id_column").asText() + " and the "
                                + in.path("width").asInt() + " bit columns the model was trained on (" + in.path("fingerprint").path("columns")
                                .get(0).asText() + ", ...)"), rows, drugs);
                        break;
                    }
                    Path f = require(files, "drugs", "drugs.csv with columns " + in.path("id_column").asText() + " and " + smilesColumn
                            + (in.has("known_drugs") ? " (SMILES may be left out for the drugs the model was trained on)" : ""));
                    java.util.function.Function<String, float[]> fingerprint = FingerprintReader.fingerprinter(
                            in.path("fingerprint").path("radius").asInt(), in.path("fingerprint").path("bits").asInt());
                    try (DelimitedFile d = DelimitedFile.open(f)) {
                        int idCol = d.column(in.path("id_column").asText(), "drugs.csv");
                        boolean hasSmiles = java.util.Arrays.asList(d.header()).contains(smilesColumn);
                        int smilesCol = hasSmiles || !in.has("known_drugs") ? d.column(smilesColumn, "drugs.csv") : -1;
                        String[] row;
                        while ((row = d.next()) != null) {
                            String id = Ids.normalise(row[idCol]);
                            String smiles = smilesCol < 0 ? "" : row[smilesCol].trim();
                            if (smiles.isEmpty()) {
                                float[] known = InputSchema.knownDrug(in, id);
                                if (known == null) {
                                    throw new BadInputException(f + ":" + d.line() + ": drug '" + id + "': no " + smilesColumn + ", and it is not one of the "
                                            + in.path("known_drugs").size() + " drugs the model was trained on (which an id alone names)");
                                }
                                rows.put(id, known);
                                drugs.put(id, smiles);
                                continue;
                            }
                            try {
                                rows.put(id, fingerprint.apply(smiles));
                            } catch (RuntimeException e) {
                                throw new BadInputException(f + ":" + d.line() + ": drug '" + id + "': " + e.getMessage());
                            }
                            drugs.put(id, smiles);
                        }
                    }
                }
                default -> throw new BadInputException(bundle.file() + ": unknown input kind " + in.path("kind"));
            }
            rowsOf.add(rows);
        }
        List<String[]> pairs = new ArrayList<>();
        if (files.containsKey("pairs")) {
            try (DelimitedFile p = DelimitedFile.open(files.get("pairs"))) {
                int s = p.column("sample", "pairs.csv");
                int d = predictor.needsDrug() ? p.column("drug", "pairs.csv") : -1;
                String[] row;
                while ((row = p.next()) != null) {
                    String sample = Ids.normalise(row[s]);
                    String drug = d < 0 ? null : Ids.normalise(row[d]);
                    if (!samples.contains(sample)) {
                        throw new BadInputException(files.get("pairs") + ":" + p.line() + ": sample '" + sample + "' is in none of the input tables");
                    }
                    if (drug != null && !drugs.containsKey(drug)) {
                        throw new BadInputException(files.get("pairs") + ":" + p.line() + ": drug '" + drug + "' is not in drugs.csv");
                    }
                    pairs.add(new String[]{sample, drug});
                }
            }
        } else {
            for (String s : samples) {
                if (predictor.needsDrug()) {
                    drugs.keySet().forEach(d -> pairs.add(new String[]{s, d}));
                } else {
                    pairs.add(new String[]{s, null});
                }
            }
        }
        Predictor.RowSource source = (k, i) -> {
            boolean drugInput = "fingerprint".equals(schemaInputs.get(k).path("kind").asText());
            String id = pairs.get(i)[drugInput ? 1 : 0];
            float[] row = rowsOf.get(k).get(id);
            if (row == null) {
                throw new BadInputException("sample '" + id + "' has no " + schemaInputs.get(k).path("name").asText()
                        + " input (it is missing from " + schemaInputs.get(k).path("name").asText() + (drugInput ? "" : ".csv or its image folder") + ")");
            }
            return row;
        };
        ResidualOffsets.Keys keys = i -> new String[]{pairs.get(i)[1], null};
        double[] predicted = predictor.predictRows(pairs.size(), source, keys);
        double[][] intervals = predictor.hasCalibration() && !"classification".equals(bundle.schema().path("task").asText())
                ? predictor.intervals(pairs.size(), source, predicted) : null;
        List<Predictor.Explanation> explanations = explain > 0 ? predictor.explainRows(pairs.size(), source, explain, keys) : null;
        Path target = out.toAbsolutePath().normalize();
        try {
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            try (java.io.BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                StringBuilder header = new StringBuilder("sample,drug,predicted" + (intervals != null ? ",low,high" : ""));
                for (int j = 1; j <= explain; j++) {
                    header.append(String.format(Locale.ROOT, ",top%1$d_input,top%1$d_feature,top%1$d_value,top%1$d_attribution", j));
                }
                w.write(header.append('\n').toString());
                for (int i = 0; i < predicted.length; i++) {
                    StringBuilder line = new StringBuilder(CsvText.field(pairs.get(i)[0]) + "," + CsvText.field(pairs.get(i)[1]) + ","
                            + String.format(Locale.ROOT, "%.6f", predicted[i])
                            + (intervals != null ? String.format(Locale.ROOT, ",%.6f,%.6f", intervals[i][0], intervals[i][1]) : ""));
                    for (int j = 0; j < explain; j++) {
                        List<Predictor.Attribution> top = explanations.get(i).top();
                        if (j < top.size()) {
                            Predictor.Attribution a = top.get(j);
                            line.append(',').append(CsvText.field(a.input())).append(',').append(CsvText.field(a.feature()))
                                    .append(String.format(Locale.ROOT, ",%.6g,%.6g", a.value(), a.attribution()));
                        } else {
                            line.append(",,,,");
                        }
                    }
                    w.write(line.append('\n').toString());
                }
            }
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BadInputException("cannot write " + out + " (" + e.getMessage() + ")");
        }
        return new Scored(out, predicted.length);
    }

    /**
     * For each schema column, the table column holding it (exact name, or the gene symbol before " (ENTREZ)"), or -1
     * when absent; absent columns are refused, listed, unless the schema records a fill.
     */
    private static int[] alignColumns(JsonNode in, FeatureTable t, Path file) {
        Map<String, Integer> byName = new java.util.HashMap<>();
        for (int c = 0; c < t.width(); c++) {
            String col = t.columns().get(c);
            byName.put(col, c);
            int paren = col.indexOf(" (");
            if (paren > 0) {
                byName.putIfAbsent(col.substring(0, paren), c);
            }
        }
        JsonNode columns = in.path("columns");
        int[] source = new int[columns.size()];
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < source.length; c++) {
            String col = columns.get(c).asText();
            int paren = col.indexOf(" (");
            Integer at = byName.get(col);
            if (at == null && paren > 0) {
                at = byName.get(col.substring(0, paren));
            }
            source[c] = at == null ? -1 : at;
            if (at == null) {
                missing.add(col);
            }
        }
        if (!missing.isEmpty() && !in.path("fill").isArray()) {
            throw new BadInputException(file + ": " + missing.size() + " of the model's " + source.length + " genes are not columns here and "
                    + "the bundle records no fill policy: " + String.join(", ", missing.subList(0, Math.min(20, missing.size())))
                    + (missing.size() > 20 ? ", ..." : ""));
        }
        return source;
    }

    private static boolean isImageDir(Bundle bundle, Path p) {
        for (JsonNode in : bundle.schema().path("inputs")) {
            if ("image".equals(in.path("kind").asText()) && p.getFileName().toString().equals(in.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private static Path require(Map<String, Path> files, String name, String what) {
        Path p = files.get(name);
        if (p == null) {
            throw new BadInputException("--input: no '" + name + "' among " + files.keySet() + "; the model needs " + what);
        }
        return p;
    }

    private static String baseName(Path p) {
        String n = p.getFileName().toString();
        for (String ext : List.of(".csv.gz", ".tsv.gz", ".txt.gz", ".csv", ".tsv", ".txt")) {
            if (n.toLowerCase(Locale.ROOT).endsWith(ext)) {
                return n.substring(0, n.length() - ext.length());
            }
        }
        return n;
    }

    /** Precomputed bits (DrEval's fingerprints, IMPROVE's ECFP4 file) in one row per drug: the id, then the model's bit columns by name. */
    private static void readPrecomputed(JsonNode in, Path f, Map<String, float[]> rows, Map<String, String> drugs) {
        try (DelimitedFile d = DelimitedFile.open(f)) {
            int idCol = d.column(in.path("id_column").asText(), "drugs.csv");
            JsonNode names = in.path("fingerprint").path("columns");
            int[] cols = new int[names.size()];
            for (int c = 0; c < cols.length; c++) {
                cols[c] = d.column(names.get(c).asText(), "drugs.csv (the model's bit columns)");
            }
            String[] row;
            while ((row = d.next()) != null) {
                float[] bits = new float[cols.length];
                for (int c = 0; c < cols.length; c++) {
                    bits[c] = d.number(row, cols[c]);
                }
                String id = Ids.normalise(row[idCol]);
                rows.put(id, bits);
                drugs.put(id, "");
            }
        }
    }
}
