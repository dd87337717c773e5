package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.MultiNormalizerStandardize;
import org.oncobench.config.BadInputException;
import org.oncobench.data.FingerprintReader;
import org.oncobench.data.GatheringIterator;
import org.oncobench.data.ImageTableReader;
import org.oncobench.eval.Calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A bundle's input contract and normalisation: the inputs in feeding order with their columns (by gene symbol or exact
 * name), how a request's domain values become each input's raw row (fill, fingerprints from SMILES, mean image tile),
 * the training standardisation, and the target transform back to the response's units (or the prevalence correction).
 */
final class InputSchema {
    private final JsonNode schema;
    private final MultiNormalizerStandardize normalizer;
    private final boolean classification;
    private final List<JsonNode> inputs = new ArrayList<>();
    private final List<Map<String, Integer>> columnIndex = new ArrayList<>();

    InputSchema(JsonNode schema, MultiNormalizerStandardize normalizer) {
        this.schema = schema;
        this.normalizer = normalizer;
        this.classification = "classification".equals(schema.path("task").asText());
        for (JsonNode in : schema.path("inputs")) {
            inputs.add(in);
            Map<String, Integer> index = new HashMap<>();
            JsonNode columns = in.path("columns");
            for (int i = 0; i < columns.size(); i++) {
                String c = columns.get(i).asText();
                index.put(c, i);
                int paren = c.indexOf(" (");
                if (paren > 0) {
                    index.putIfAbsent(c.substring(0, paren), i);
                }
            }
            columnIndex.add(index);
        }
    }

    JsonNode schema() {
        return schema;
    }

    boolean classification() {
        return classification;
    }

    /** The schema's inputs, in feeding order. */
    List<JsonNode> inputs() {
        return inputs;
    }

    /** Per input, the SMILES-to-fingerprint function its schema records (null for inputs that are not fingerprints). */
    List<Function<String, float[]>> fingerprinters() {
        List<Function<String, float[]>> out = new ArrayList<>();
        for (JsonNode in : inputs) {
            out.add("fingerprint".equals(in.path("kind").asText())
                    ? FingerprintReader.fingerprinter(in.path("fingerprint").path("radius").asInt(), in.path("fingerprint").path("bits").asInt()) : null);
        }
        return out;
    }

    /** Requests [from, from + size) as the network's inputs: raw rows, standardised with the bundle's normaliser. */
    INDArray[] standardised(Predictor.RowSource source, int from, int size) {
        INDArray[] features = new INDArray[inputs.size()];
        for (int k = 0; k < inputs.size(); k++) {
            int width = inputs.get(k).path("width").asInt();
            float[] buffer = new float[size * width];
            for (int r = 0; r < size; r++) {
                System.arraycopy(source.row(k, from + r), 0, buffer, r * width, width);
            }
            INDArray x = GatheringIterator.floats(buffer, size, width);
            x.subiRowVector(normalizer.getFeatureMean(k).castTo(x.dataType())).diviRowVector(normalizer.getFeatureStd(k).castTo(x.dataType()));
            features[k] = x;
        }
        return features;
    }

    /** The network's regression output in the target's units. */
    double restore(double z) {
        return z * labelStd() + normalizer.getLabelMean(0).getDouble(0);
    }

    /** The target's training standard deviation: one network unit in the target's units. */
    double labelStd() {
        return normalizer.getLabelStd(0).getDouble(0);
    }

    /** The network's balanced-weights probability at the training prevalence the schema records (as the run's predictions were). */
    double classProbability(double balanced) {
        JsonNode prior = schema.path("prior_correction").path("training_positive_rate");
        return prior.isNumber() ? Calibration.toTrainingPrevalence(balanced, prior.asDouble()) : balanced;
    }

    /** A column the schema does not list by name: a fingerprint bit as the run's tables name it (ecfp4_264), else its index. */
    static String featureName(JsonNode input, int f) {
        if ("fingerprint".equals(input.path("kind").asText())) {
            return "ecfp" + 2 * input.path("fingerprint").path("radius").asInt(2) + "_" + f;
        }
        return "f" + f;
    }

    /**
     * Input {@code k}'s raw row (not yet standardised) for request {@code index}, in the schema's column order; a missing or
     * bad value is refused naming the request and its field.
     */
    float[] row(int k, Predictor.Request request, int index, Function<String, float[]> fingerprinter) {
        JsonNode in = inputs.get(k);
        String where = "request " + index + " (" + (request.sample() == null ? "no sample" : "sample " + request.sample().id()) + ")";
        return switch (in.path("kind").asText()) {
            case "fingerprint" -> fingerprintRow(in, request.drug(), index, where, fingerprinter);
            case "image" -> imageRow(in, request, index, where);
            default -> tableRow(k, in, request, index, where);
        };
    }

    private static float[] fingerprintRow(JsonNode in, Predictor.Drug drug, int index, String where, Function<String, float[]> fingerprinter) {
        if (drug == null) {
            throw new InputFieldException(index, "drug", where + ": drug: missing; this model needs a drug (SMILES or fingerprint)");
        }
        if (drug.fingerprint() != null) {
            if (drug.fingerprint().length != in.path("width").asInt()) {
                throw new InputFieldException(index, "drug.fingerprint", where + ": drug.fingerprint: " + drug.fingerprint().length
                        + " bits where the model expects " + in.path("width").asInt());
            }
            return drug.fingerprint();
        }
        boolean noSmiles = drug.smiles() == null || drug.smiles().isBlank();
        float[] known = noSmiles ? knownDrug(in, drug.id()) : null;
        if (known != null) {
            return known; // a drug the model was trained on, named by its id: the fingerprint the bundle recorded for it
        }
        if ("precomputed".equals(in.path("fingerprint").path("kind").asText())) {
            throw new InputFieldException(index, "drug.fingerprint", where + ": drug.fingerprint: missing (drug " + drug.id() + "); this model was "
                    + "trained on precomputed fingerprints (" + in.path("width").asInt() + " bits), which no SMILES reproduces; send them, or the id "
                    + "of a drug it was trained on");
        }
        if (noSmiles) {
            throw new InputFieldException(index, "drug.smiles", where + ": drug.smiles: missing (drug " + drug.id() + (in.has("known_drugs")
                    ? " is not one of the " + in.path("known_drugs").size() + " drugs the model was trained on, which an id alone names" : "") + ")");
        }
        try {
            return fingerprinter.apply(drug.smiles());
        } catch (BadInputException e) {
            throw new InputFieldException(index, "drug.smiles", where + ": drug.smiles: " + e.getMessage());
        } catch (RuntimeException e) { // CDK fails on some structures it parses: still the request's SMILES at fault
            throw new InputFieldException(index, "drug.smiles", where + ": drug.smiles: CDK cannot fingerprint '" + drug.smiles()
                    + "' (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /** The fingerprint the schema records for a drug the run trained on, or null (unknown id, or a bundle without them). */
    static float[] knownDrug(JsonNode in, String id) {
        JsonNode d = id == null ? null : in.path("known_drugs").get(id);
        if (d == null) {
            return null;
        }
        float[] row = new float[in.path("width").asInt()];
        if (d.has("bits")) {
            for (JsonNode b : d.path("bits")) {
                row[b.asInt()] = 1f;
            }
        } else {
            JsonNode values = d.path("values");
            for (int c = 0; c < row.length && c < values.size(); c++) {
                row[c] = (float) values.get(c).asDouble();
            }
        }
        return row;
    }

    private static float[] imageRow(JsonNode in, Predictor.Request request, int index, String where) {
        String name = in.path("name").asText();
        List<Path> tiles = request.sample() == null ? null : request.sample().images().get(name);
        if (tiles == null || tiles.isEmpty()) {
            throw new InputFieldException(index, "sample.images." + name, where + ": sample.images." + name + ": missing; this model needs image tiles");
        }
        JsonNode size = in.path("image_size");
        return ImageTableReader.meanTile(tiles, size.get(0).asInt(), size.get(1).asInt(), size.get(2).asInt());
    }

    /** A table's values by gene: every column the model uses, filled with the training median where the schema allows it. */
    private float[] tableRow(int k, JsonNode in, Predictor.Request request, int index, String where) {
        String name = in.path("name").asText();
        Map<String, Double> values = request.sample() == null ? null : request.sample().tables().get(name);
        if (values == null) {
            throw new InputFieldException(index, "sample." + name, where + ": sample." + name + ": missing; this model needs "
                    + in.path("width").asInt() + " values of " + name + " by gene");
        }
        JsonNode columns = in.path("columns");
        JsonNode fill = in.path("fill");
        float[] row = new float[columns.size()];
        boolean[] set = new boolean[columns.size()];
        Map<String, Integer> byName = columnIndex.get(k);
        for (Map.Entry<String, Double> e : values.entrySet()) {
            Integer c = byName.get(e.getKey());
            if (c == null || e.getValue() == null) {
                continue; // genes the model does not use, or left out on purpose
            }
            double v = e.getValue();
            if (!Double.isFinite(v) || Math.abs(v) > Float.MAX_VALUE) {
                String field = "sample." + name + "." + e.getKey();
                throw new InputFieldException(index, field, where + ": " + field + ": " + v + (Double.isFinite(v)
                        ? " is outside the range of the model's 32-bit floats (about ±3.4e38)" : " is not a finite number")
                        + "; send the measured value" + (fill.isArray() ? ", or leave the gene out to use the training median" : ""));
            }
            boolean log1p = "log1p".equals(in.path("transform").asText());
            if (log1p && v < 0) {
                String field = "sample." + name + "." + e.getKey();
                throw new InputFieldException(index, field, where + ": " + field + ": " + v + " is negative; this model takes ln(1 + x) of "
                        + name + " (TPM or counts)");
            }
            row[c] = log1p ? (float) Math.log1p(v) : (float) v;
            set[c] = true;
        }
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < row.length; c++) {
            if (!set[c]) {
                if (fill.isArray()) {
                    row[c] = (float) fill.get(c).asDouble();
                } else {
                    missing.add(columns.get(c).asText());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new InputFieldException(index, "sample." + name, where + ": sample." + name + ": " + missing.size() + " of the model's " + row.length
                    + " genes are missing and the bundle records no fill policy: " + String.join(", ", missing.subList(0,
                    Math.min(20, missing.size()))) + (missing.size() > 20 ? ", ..." : ""));
        }
        return row;
    }
}
