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

    /**
     * The prediction for one request: the response (regression) or the positive-class probability (classification); with
     * a bundle that carries a conformal calibration, the interval [low, high] at its level (regression) or the conformal
     * set of classes (classification); otherwise those are null.
     */
    public record Prediction(String sample, String drug, double value, double[] interval, List<String> set) {
        public Prediction(String sample, String drug, double value) {
            this(sample, drug, value, null, null);
        }
    }

    /** Integrated-gradient steps for explanations (the trapezoidal rule's intervals along the path). */
    static final int EXPLAIN_STEPS = 64;
    private org.oncobench.explain.InputGradients gradients;

    private final List<ComputationGraph> members = new ArrayList<>();

    Predictor(Bundle bundle) {
        this.schema = bundle.schema();
        if ("ensemble".equals(schema.path("uncertainty").path("kind").asText())) {
            for (int m = 1; m < schema.path("uncertainty").path("samples").asInt(); m++) {
                byte[] b = bundle.bytes(BundleFormat.member(m));
                if (b == null) {
                    throw new BadInputException(bundle.file() + ": the calibration names an ensemble but " + BundleFormat.member(m) + " is missing");
                }
                try {
                    members.add(ModelSerializer.restoreComputationGraph(new java.io.ByteArrayInputStream(b), false));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot load " + BundleFormat.member(m) + " from " + bundle.file(), e);
                }
            }
        }
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
        List<Function<String, float[]>> fingerprinters = fingerprinters();
        RowSource source = (k, i) -> row(k, inputs.get(k), requests.get(i), i, fingerprinters.get(k));
        double[] values = predictRows(requests.size(), source);
        double[][] intervals = hasCalibration() && !classification ? intervals(requests.size(), source, values) : null;
        List<Prediction> out = new ArrayList<>(requests.size());
        for (int i = 0; i < values.length; i++) {
            Request q = requests.get(i);
            out.add(new Prediction(q.sample() == null ? null : q.sample().id(), q.drug() == null ? null : q.drug().id(), values[i],
                    intervals == null ? null : intervals[i], hasCalibration() && classification ? conformalSet(values[i]) : null));
        }
        return out;
    }

    /** Per input, the SMILES-to-fingerprint function its schema records (null for inputs that are not fingerprints). */
    private List<Function<String, float[]>> fingerprinters() {
        List<Function<String, float[]>> out = new ArrayList<>();
        for (JsonNode in : inputs) {
            out.add("fingerprint".equals(in.path("kind").asText())
                    ? FingerprintReader.fingerprinter(in.path("fingerprint").path("radius").asInt(), in.path("fingerprint").path("bits").asInt()) : null);
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
            INDArray output = net.outputSingle(false, standardised(source, from, size));
            for (int r = 0; r < size; r++) {
                double value = classification ? classProbability(output.getDouble(r, 1)) : restore(output.getDouble(r, 0));
                if (!Double.isFinite(value)) {
                    throw new InputFieldException(from + r, "output", "request " + (from + r) + ": the model's output is " + value
                            + " for these inputs; check that they are on the training data's scale (e.g. log2(TPM+1))");
                }
                out[from + r] = value;
            }
        }
        return out;
    }

    private org.oncobench.explain.McDropout sampler;

    /** Monte Carlo dropout as the run calibrated it: the run's sampling seed, each row's masks seeded by its own inputs. */
    private org.oncobench.explain.McDropout sampler() {
        if (sampler == null) {
            sampler = new org.oncobench.explain.McDropout(net, schema.path("uncertainty").path("sampling_seed").asLong(0));
        }
        return sampler;
    }

    /** A column the schema does not list by name: a fingerprint bit as the run's tables name it (ecfp4_264), else its index. */
    private static String featureName(JsonNode input, int f) {
        if ("fingerprint".equals(input.path("kind").asText())) {
            return "ecfp" + 2 * input.path("fingerprint").path("radius").asInt(2) + "_" + f;
        }
        return "f" + f;
    }

    /** Whether the bundle carries a conformal calibration (the run had evaluation.uncertainty). */
    public boolean hasCalibration() {
        return schema.path("uncertainty").path("q").isObject();
    }

    /** The calibrated level of the intervals (e.g. 0.9), or NaN without a calibration. */
    public double intervalLevel() {
        return hasCalibration() ? schema.path("uncertainty").path("level").asDouble() : Double.NaN;
    }

    private double q() {
        JsonNode u = schema.path("uncertainty");
        return u.path("q").path(org.oncobench.explain.Uncertainty.levelKey(u.path("level").asDouble())).asDouble(Double.POSITIVE_INFINITY);
    }

    /** The conformal set at the bundle's level: every class whose score 1 - p is within the calibrated quantile. */
    private List<String> conformalSet(double probability) {
        double q = q();
        List<String> set = new ArrayList<>();
        if (1 - probability <= q) {
            set.add(schema.path("positive").asText("positive"));
        }
        if (probability <= q) {
            set.add("not " + schema.path("positive").asText("positive"));
        }
        return set;
    }

    /**
     * Regression intervals at the bundle's level: value ± q sigma(x), sigma the spread of the calibration's Monte Carlo
     * dropout passes (each row's masks seeded by its own inputs, so a row gets the same interval alone or in any request),
     * of the ensemble's members, or 1 for constant-width intervals.
     */
    synchronized double[][] intervals(int n, RowSource source, double[] values) {
        JsonNode u = schema.path("uncertainty");
        boolean mc = "mc_dropout".equals(u.path("kind").asText());
        boolean ensemble = "ensemble".equals(u.path("kind").asText());
        int samples = u.path("samples").asInt(30);
        double floor = u.path("sigma_floor").asDouble(0);
        double q = q();
        double labelStd = normalizer.getLabelStd(0).getDouble(0);
        double[][] out = new double[n][];
        for (int from = 0; from < n; from += BATCH) {
            int size = Math.min(n, from + BATCH) - from;
            double[] sigma = new double[size];
            java.util.Arrays.fill(sigma, 1);
            if (ensemble) {
                INDArray[] x = standardised(source, from, size);
                double[][] passes = new double[members.size() + 1][];
                passes[0] = net.outputSingle(false, x).getColumn(0).toDoubleVector();
                for (int m = 0; m < members.size(); m++) {
                    passes[m + 1] = members.get(m).outputSingle(false, x).getColumn(0).toDoubleVector();
                }
                sigma = org.oncobench.explain.Uncertainty.spread(passes, size, labelStd);
            } else if (mc) {
                double[][] passes = sampler().passes(standardised(source, from, size), samples, 0);
                sigma = org.oncobench.explain.Uncertainty.spread(passes, size, labelStd);
            }
            for (int r = 0; r < size; r++) {
                double half = q * Math.max(sigma[r], floor);
                out[from + r] = new double[]{values[from + r] - half, values[from + r] + half};
            }
        }
        return out;
    }

    /** The network's regression output in the target's units. */
    private double restore(double z) {
        return z * normalizer.getLabelStd(0).getDouble(0) + normalizer.getLabelMean(0).getDouble(0);
    }

    /** Requests [from, from + size) as the network's inputs: raw rows, standardised with the bundle's normaliser. */
    private INDArray[] standardised(RowSource source, int from, int size) {
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

    /** One feature's part in a prediction: its input, name, raw value and attribution (in the output's units). */
    public record Attribution(String input, String feature, double value, double attribution) {
    }

    /**
     * A prediction with its explanation: the value, the output at the baseline (every input at the training mean: zero
     * after standardisation), the {@code topK} features with the largest |attribution| (integrated gradients, 64 steps,
     * every input), and how far the attributions' sum is from value - baseline (the integration's error).
     */
    public record Explanation(String sample, String drug, double value, double baselineValue, List<Attribution> top, double completenessError) {
    }

    /**
     * Explains each request (integrated gradients of the network with respect to every input; see the README's Explain
     * section). Regression attributions are in the target's units; classification ones in the network's class-balanced
     * probability of the positive class, which {@code value} then moves to the training prevalence.
     */
    public synchronized List<Explanation> explain(List<Request> requests, int topK) {
        List<Function<String, float[]>> fingerprinters = fingerprinters();
        List<float[][]> raw = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            float[][] rows = new float[inputs.size()][];
            for (int k = 0; k < inputs.size(); k++) {
                rows[k] = row(k, inputs.get(k), requests.get(i), i, fingerprinters.get(k));
            }
            raw.add(rows);
        }
        List<Explanation> unnamed = explainRows(requests.size(), (k, i) -> raw.get(i)[k], topK);
        List<Explanation> out = new ArrayList<>();
        for (int i = 0; i < unnamed.size(); i++) {
            Request q = requests.get(i);
            Explanation e = unnamed.get(i);
            out.add(new Explanation(q.sample() == null ? null : q.sample().id(), q.drug() == null ? null : q.drug().id(), e.value(), e.baselineValue(),
                    e.top(), e.completenessError()));
        }
        return out;
    }

    /** Explains {@code n} rows whose raw inputs come from {@code source} (batch scoring's route); ids are left null. */
    synchronized List<Explanation> explainRows(int n, RowSource source, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        if (gradients == null) {
            gradients = new org.oncobench.explain.InputGradients(net, classification ? 1 : 0);
        }
        org.oncobench.explain.IntegratedGradients ig = new org.oncobench.explain.IntegratedGradients(gradients, EXPLAIN_STEPS);
        double scale = classification ? 1 : normalizer.getLabelStd(0).getDouble(0);
        List<Explanation> out = new ArrayList<>();
        int batch = 32;
        for (int from = 0; from < n; from += batch) {
            int size = Math.min(n, from + batch) - from;
            INDArray[] x = standardised(source, from, size);
            org.oncobench.explain.IntegratedGradients.Result r = ig.explainComplete(x, org.oncobench.explain.IntegratedGradients.zeroBaselines(x),
                    org.oncobench.explain.RunExplainer.COMPLETENESS, org.oncobench.explain.RunExplainer.MAX_STEPS);
            double[] sums = r.sums();
            for (int i = 0; i < size; i++) {
                List<Attribution> all = new ArrayList<>();
                for (int k = 0; k < inputs.size(); k++) {
                    INDArray a = r.attributions()[k];
                    JsonNode columns = inputs.get(k).path("columns");
                    float[] raw = source.row(k, from + i);
                    for (int f = 0; f < a.size(1); f++) {
                        double v = a.getDouble(i, f) * scale;
                        if (v != 0) {
                            all.add(new Attribution(inputs.get(k).path("name").asText(), f < columns.size() ? columns.get(f).asText() : featureName(inputs.get(k), f),
                                    raw[f], v));
                        }
                    }
                }
                all.sort(java.util.Comparator.comparingDouble((Attribution a) -> -Math.abs(a.attribution())));
                double delta = (r.output()[i] - r.baselineOutput()[i]) * scale;
                double value = classification ? classProbability(r.output()[i]) : restore(r.output()[i]);
                double base = classification ? classProbability(r.baselineOutput()[i]) : restore(r.baselineOutput()[i]);
                out.add(new Explanation(null, null, value, base, List.copyOf(all.subList(0, Math.min(topK, all.size()))), Math.abs(sums[i] * scale - delta)));
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
