package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.MultiNormalizerStandardize;
import org.oncobench.config.BadInputException;
import org.oncobench.data.FingerprintReader;
import org.oncobench.data.GatheringIterator;
import org.oncobench.data.ImageTableReader;
import org.oncobench.eval.Calibration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Predicts from domain inputs with a bundle's model: a sample's omics values by gene symbol (or exact column name),
 * its image tiles, and a drug's SMILES or ready-made fingerprint. Applies exactly the training transforms recorded in
 * the bundle (column order, median fill where the schema allows it, standardisation, ECFP settings) and returns the
 * response in its own units, or the positive-class probability. Thread-safe; requests are scored in batches.
 */
public final class Predictor {
    private static final int BATCH = 512;
    private final ComputationGraph net;
    private final MultiNormalizerStandardize normalizer;
    private final JsonNode schema;
    private final boolean classification;
    private final List<JsonNode> inputs = new ArrayList<>();
    private final List<Map<String, Integer>> columnIndex = new ArrayList<>();

    /** A sample (cell line or patient): omics values per table (gene to value), image tiles per image table. */
    public record Sample(String id, Map<String, Map<String, Double>> tables, Map<String, List<Path>> images) {
        public Sample(String id, Map<String, Map<String, Double>> tables) {
            this(id, tables, Map.of());
        }
    }

    /** A drug by SMILES, or by a fingerprint already computed with the schema's settings. */
    public record Drug(String id, String smiles, float[] fingerprint) {
        public static Drug ofSmiles(String id, String smiles) {
            return new Drug(id, smiles, null);
        }
    }

    public record Request(Sample sample, Drug drug) {
    }

    /** The prediction for one request: the response (regression) or the positive-class probability (classification). */
    public record Prediction(String sample, String drug, double value) {
    }

    Predictor(Bundle bundle) {
        this.schema = bundle.schema();
        this.classification = "classification".equals(schema.path("task").asText());
        try {
            this.net = ModelSerializer.restoreComputationGraph(bundle.modelFile().toFile(), false);
            this.normalizer = ModelSerializer.restoreNormalizerFromFile(bundle.modelFile().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model from " + bundle.file(), e);
        }
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

    public JsonNode schema() {
        return schema;
    }

    public boolean needsDrug() {
        return schema.path("drug_input").asBoolean();
    }

    public synchronized List<Prediction> predict(List<Request> requests) {
        List<Function<String, float[]>> fingerprinters = new ArrayList<>();
        for (JsonNode in : inputs) {
            fingerprinters.add("fingerprint".equals(in.path("kind").asText())
                    ? FingerprintReader.fingerprinter(in.path("fingerprint").path("radius").asInt(), in.path("fingerprint").path("bits").asInt()) : null);
        }
        double[] values = predictRows(requests.size(), (k, i) -> row(k, inputs.get(k), requests.get(i), i, fingerprinters.get(k)));
        List<Prediction> out = new ArrayList<>(requests.size());
        for (int i = 0; i < values.length; i++) {
            Request q = requests.get(i);
            out.add(new Prediction(q.sample() == null ? null : q.sample().id(), q.drug() == null ? null : q.drug().id(), values[i]));
        }
        return out;
    }

    /** Supplies the raw (not yet standardised) values of input {@code k} for request {@code i}, in the schema's column order. */
    @FunctionalInterface
    interface RowSource {
        float[] row(int k, int i);
    }

    /** The network's balanced-weights probability at the training prevalence the schema records (as the run's predictions were). */
    private double classProbability(double balanced) {
        JsonNode prior = schema.path("prior_correction").path("training_positive_rate");
        return prior.isNumber() ? Calibration.toTrainingPrevalence(balanced, prior.asDouble()) : balanced;
    }

    /** The schema's inputs, in feeding order. */
    List<JsonNode> inputs() {
        return inputs;
    }

    /**
     * Scores {@code n} requests whose inputs come from {@code source}, in batches: standardises each input with the
     * bundle's normaliser, runs the network, restores the target's units. A non-finite output is refused.
     */
    synchronized double[] predictRows(int n, RowSource source) {
        double[] out = new double[n];
        for (int from = 0; from < n; from += BATCH) {
            int size = Math.min(n, from + BATCH) - from;
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
            INDArray output = net.outputSingle(false, features);
            for (int r = 0; r < size; r++) {
                double value = classification ? classProbability(output.getDouble(r, 1))
                        : output.getDouble(r, 0) * normalizer.getLabelStd(0).getDouble(0) + normalizer.getLabelMean(0).getDouble(0);
                if (!Double.isFinite(value)) {
                    throw new InputFieldException(from + r, "output", "request " + (from + r) + ": the model's output is " + value
                            + " for these inputs; check that they are on the training data's scale (e.g. log2(TPM+1))");
                }
                out[from + r] = value;
            }
        }
        return out;
    }

    private float[] row(int k, JsonNode in, Request request, int index, Function<String, float[]> fingerprinter) {
        String name = in.path("name").asText();
        String where = "request " + index + " (" + (request.sample() == null ? "no sample" : "sample " + request.sample().id()) + ")";
        switch (in.path("kind").asText()) {
            case "fingerprint" -> {
                Drug drug = request.drug();
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
                if (drug.smiles() == null || drug.smiles().isBlank()) {
                    throw new InputFieldException(index, "drug.smiles", where + ": drug.smiles: missing (drug " + drug.id() + ")");
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
            case "image" -> {
                List<Path> tiles = request.sample() == null ? null : request.sample().images().get(name);
                if (tiles == null || tiles.isEmpty()) {
                    throw new InputFieldException(index, "sample.images." + name, where + ": sample.images." + name + ": missing; this model needs image tiles");
                }
                JsonNode size = in.path("image_size");
                return ImageTableReader.meanTile(tiles, size.get(0).asInt(), size.get(1).asInt(), size.get(2).asInt());
            }
            default -> {
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
                    row[c] = (float) v;
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
    }
}
