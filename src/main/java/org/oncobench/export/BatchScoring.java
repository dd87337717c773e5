package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import org.oncobench.config.BadInputException;
import org.oncobench.data.DelimitedFile;
import org.oncobench.data.FeatureTable;
import org.oncobench.data.Ids;
import org.oncobench.data.ImageTableReader;
import org.oncobench.data.MatrixReader;

import java.io.IOException;
import java.io.UncheckedIOException;
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
        Predictor predictor = bundle.predictor();
        JsonNode schema = bundle.schema();
        Map<String, Map<String, Map<String, Double>>> tables = new LinkedHashMap<>(); // sample -> table -> gene -> value
        Map<String, Map<String, List<Path>>> images = new LinkedHashMap<>();
        Set<String> samples = new LinkedHashSet<>();
        Map<String, String> drugs = new LinkedHashMap<>();
        for (JsonNode in : schema.path("inputs")) {
            String name = in.path("name").asText();
            switch (in.path("kind").asText()) {
                case "matrix" -> {
                    Path f = require(files, name, "a sample x gene table " + name + ".csv (first column: sample id)");
                    // missing cells are allowed only where the model can fill them (training medians); elsewhere the reader
                    // names the file, line and column of the first one
                    boolean fills = in.path("fill").isArray();
                    FeatureTable t = new MatrixReader().read(name, f, in.path("id_column").asText(), "--input " + f.getFileName(), fills);
                    for (int r = 0; r < t.rows(); r++) {
                        Map<String, Double> values = new LinkedHashMap<>();
                        for (int c = 0; c < t.width(); c++) {
                            float v = t.get(r, c);
                            if (!Float.isNaN(v)) {
                                values.put(t.columns().get(c), (double) v);
                            }
                        }
                        tables.computeIfAbsent(t.ids().get(r), k -> new LinkedHashMap<>()).put(name, values);
                        samples.add(t.ids().get(r));
                    }
                }
                case "image" -> {
                    Path dir = require(files, name, "a folder " + name + "/<sample id>/ of image tiles");
                    try (Stream<Path> s = Files.list(dir)) {
                        for (Path sampleDir : s.filter(Files::isDirectory).sorted().toList()) {
                            String id = Ids.normalise(sampleDir.getFileName().toString());
                            images.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(name, ImageTableReader.tilesIn(sampleDir));
                            samples.add(id);
                        }
                    } catch (IOException e) {
                        throw new BadInputException(dir + ": cannot list (" + e.getMessage() + ")");
                    }
                }
                case "fingerprint" -> {
                    Path f = require(files, "drugs", "drugs.csv with columns " + in.path("id_column").asText() + " and "
                            + in.path("fingerprint").path("smiles_column").asText());
                    try (DelimitedFile d = DelimitedFile.open(f)) {
                        int idCol = d.column(in.path("id_column").asText(), "drugs.csv");
                        int smilesCol = d.column(in.path("fingerprint").path("smiles_column").asText(), "drugs.csv");
                        String[] row;
                        while ((row = d.next()) != null) {
                            drugs.put(Ids.normalise(row[idCol]), row[smilesCol].trim());
                        }
                    }
                }
                default -> throw new BadInputException(bundle.file() + ": unknown input kind " + in.path("kind"));
            }
        }
        List<String[]> pairs = new ArrayList<>();
        if (files.containsKey("pairs")) {
            try (DelimitedFile p = DelimitedFile.open(files.get("pairs"))) {
                int s = p.column("sample", "pairs.csv");
                int d = predictor.needsDrug() ? p.column("drug", "pairs.csv") : -1;
                String[] row;
                while ((row = p.next()) != null) {
                    pairs.add(new String[]{Ids.normalise(row[s]), d < 0 ? null : Ids.normalise(row[d])});
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
        List<Predictor.Request> requests = new ArrayList<>();
        for (String[] pair : pairs) {
            if (!samples.contains(pair[0])) {
                throw new BadInputException("pairs.csv: sample '" + pair[0] + "' is in none of the input tables");
            }
            if (pair[1] != null && !drugs.containsKey(pair[1])) {
                throw new BadInputException("pairs.csv: drug '" + pair[1] + "' is not in drugs.csv");
            }
            requests.add(new Predictor.Request(new Predictor.Sample(pair[0], tables.getOrDefault(pair[0], Map.of()),
                    images.getOrDefault(pair[0], Map.of())), pair[1] == null ? null : Predictor.Drug.ofSmiles(pair[1], drugs.get(pair[1]))));
        }
        List<Predictor.Prediction> predictions = predictor.predict(requests);
        StringBuilder sb = new StringBuilder("sample,drug,predicted\n");
        for (Predictor.Prediction p : predictions) {
            sb.append(p.sample()).append(',').append(p.drug() == null ? "" : p.drug()).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", p.value())).append('\n');
        }
        try {
            Path target = out.toAbsolutePath().normalize();
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Files.writeString(target, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        return new Scored(out, predictions.size());
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
}
