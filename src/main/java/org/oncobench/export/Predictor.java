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
    /**
     * A sample (cell line or patient): omics values per table (gene to value), image tiles per image table, and its group
     * (e.g. tissue; null when unknown), which only a bundle whose network learned the residual over group_drug_mean reads.
     */
    public record Sample(String id, Map<String, Map<String, Double>> tables, Map<String, List<Path>> images, String group) {
        public Sample(String id, Map<String, Map<String, Double>> tables) {
            this(id, tables, Map.of());
        }

        public Sample(String id, Map<String, Map<String, Double>> tables, Map<String, List<Path>> images) {
            this(id, tables, images, null);
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

    /**
     * The rows scored in one network call (point predictions and intervals). Floating-point results depend on a batch's
     * composition in the last digits, so a caller that splits a scoring job (Spark) cuts it at multiples of this to
     * predict exactly what one machine predicts.
     */
    public static final int BATCH_ROWS = 512;
    /** Integrated-gradient steps for explanations (the trapezoidal rule's intervals along the path). */
    static final int EXPLAIN_STEPS = 64;
    private final InputSchema schema;
    private final PointPredictor points;
    private final IntervalPredictor intervals;
    private final ExplanationPredictor explanations;
    private final ResidualOffsets residual;
    private final boolean ensemble;

    /**
     * How many networks a bundle's schema names: model.ensemble's members (the served value is their mean), else
     * uncertainty.kind: ensemble's samples (member 0 serves the value, the others widen the intervals), else 1.
     */
    static int members(JsonNode schema) {
        if (schema.path("ensemble").path("members").isInt()) {
            return schema.path("ensemble").path("members").asInt();
        }
        return "ensemble".equals(schema.path("uncertainty").path("kind").asText()) ? schema.path("uncertainty").path("samples").asInt() : 1;
    }

    private static List<ComputationGraph> all(ComputationGraph first, List<ComputationGraph> others) {
        List<ComputationGraph> all = new ArrayList<>();
        all.add(first);
        all.addAll(others);
        return all;
    }

    Predictor(Bundle bundle) {
        JsonNode json = bundle.schema();
        List<ComputationGraph> members = new ArrayList<>();
        int count = members(json);
        if (count > 1) {
            for (int m = 1; m < count; m++) {
                byte[] b = bundle.bytes(BundleFormat.member(m));
                if (b == null) {
                    throw new BadInputException(bundle.file() + ": the " + (json.has("ensemble") ? "schema" : "calibration") + " names an ensemble of "
                            + count + " but " + BundleFormat.member(m) + " is missing");
                }
                try {
                    members.add(ModelSerializer.restoreComputationGraph(new java.io.ByteArrayInputStream(b), false));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot load " + BundleFormat.member(m) + " from " + bundle.file(), e);
                }
            }
        }
        ComputationGraph net;
        MultiNormalizerStandardize normalizer;
        try {
            net = ModelSerializer.restoreComputationGraph(bundle.modelFile().toFile(), false);
            normalizer = ModelSerializer.restoreNormalizerFromFile(bundle.modelFile().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model from " + bundle.file(), e);
        }
        this.schema = new InputSchema(json, normalizer);
        this.ensemble = json.has("ensemble");
        // model.ensemble: the served value is the members' mean; uncertainty.kind: ensemble alone keeps member 0's value
        this.points = new PointPredictor(ensemble ? all(net, members) : List.of(net), schema);
        this.intervals = new IntervalPredictor(net, members, schema);
        this.explanations = new ExplanationPredictor(net, schema);
        this.residual = ResidualOffsets.of(json);
    }

    /** Request i's {drug id, group} for the residual target's naive part. */
    private static ResidualOffsets.Keys keys(List<Request> requests) {
        return i -> new String[]{requests.get(i).drug() == null ? null : requests.get(i).drug().id(),
                requests.get(i).sample() == null ? null : requests.get(i).sample().group()};
    }

    /** The network's values with the residual target's naive part added back (unchanged for a network that learned y). */
    private double[] withNaive(double[] values, ResidualOffsets.Keys keys) {
        return residual == null ? values : residual.addTo(values, keys);
    }

    /** Explanations with the naive part added to the value and to the baseline's value (it is a constant per drug: no feature's). */
    private List<Explanation> withNaive(List<Explanation> explained, ResidualOffsets.Keys keys) {
        if (residual == null) {
            return explained;
        }
        double[] offsets = residual.addTo(new double[explained.size()], keys);
        List<Explanation> out = new ArrayList<>(explained.size());
        for (int i = 0; i < explained.size(); i++) {
            Explanation e = explained.get(i);
            out.add(new Explanation(e.sample(), e.drug(), e.value() + offsets[i], e.baselineValue() + offsets[i], e.top(), e.completenessError()));
        }
        return out;
    }

    public JsonNode schema() {
        return schema.schema();
    }

    public boolean needsDrug() {
        return schema.schema().path("drug_input").asBoolean();
    }

    public synchronized List<Prediction> predict(List<Request> requests) {
        List<Function<String, float[]>> fingerprinters = schema.fingerprinters();
        RowSource source = (k, i) -> schema.row(k, requests.get(i), i, fingerprinters.get(k));
        double[] values = withNaive(points.predictRows(requests.size(), source), keys(requests));
        boolean classification = schema.classification();
        double[][] bounds = intervals.hasCalibration() && !classification ? intervals.intervals(requests.size(), source, values) : null;
        List<Prediction> out = new ArrayList<>(requests.size());
        for (int i = 0; i < values.length; i++) {
            Request q = requests.get(i);
            out.add(new Prediction(q.sample() == null ? null : q.sample().id(), q.drug() == null ? null : q.drug().id(), values[i],
                    bounds == null ? null : bounds[i], intervals.hasCalibration() && classification ? intervals.conformalSet(values[i]) : null));
        }
        return out;
    }

    /** Supplies the raw (not yet standardised) values of input {@code k} for request {@code i}, in the schema's column order. */
    @FunctionalInterface
    interface RowSource {
        float[] row(int k, int i);
    }

    /** The schema's inputs, in feeding order. */
    List<JsonNode> inputs() {
        return schema.inputs();
    }

    /** Scores {@code n} rows whose raw inputs come from {@code source} (batch scoring's and the Open Inference Protocol's route). */
    synchronized double[] predictRows(int n, RowSource source) {
        return predictRows(n, source, null);
    }

    /** As above, {@code keys} naming each row's drug (and group) for a bundle with a residual target (null: rows without ids). */
    synchronized double[] predictRows(int n, RowSource source, ResidualOffsets.Keys keys) {
        return withNaive(points.predictRows(n, source), keys);
    }

    /** Whether the bundle carries a conformal calibration (the run had evaluation.uncertainty). */
    public boolean hasCalibration() {
        return intervals.hasCalibration();
    }

    /** The calibrated level of the intervals (e.g. 0.9), or NaN without a calibration. */
    public double intervalLevel() {
        return intervals.level();
    }

    /** Regression intervals at the bundle's level around {@code values} for rows from {@code source}. */
    synchronized double[][] intervals(int n, RowSource source, double[] values) {
        return intervals.intervals(n, source, values);
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
        refuseEnsembleExplanations();
        List<Function<String, float[]>> fingerprinters = schema.fingerprinters();
        List<float[][]> raw = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            float[][] rows = new float[schema.inputs().size()][];
            for (int k = 0; k < rows.length; k++) {
                rows[k] = schema.row(k, requests.get(i), i, fingerprinters.get(k));
            }
            raw.add(rows);
        }
        List<Explanation> unnamed = withNaive(explanations.explainRows(requests.size(), (k, i) -> raw.get(i)[k], topK), keys(requests));
        List<Explanation> out = new ArrayList<>();
        for (int i = 0; i < unnamed.size(); i++) {
            Request q = requests.get(i);
            Explanation e = unnamed.get(i);
            out.add(new Explanation(q.sample() == null ? null : q.sample().id(), q.drug() == null ? null : q.drug().id(), e.value(), e.baselineValue(),
                    e.top(), e.completenessError()));
        }
        return out;
    }

    /** Explanations attribute one network: a model.ensemble bundle refuses them rather than explaining member 0 as the mean. */
    private void refuseEnsembleExplanations() {
        if (ensemble) {
            throw new BadInputException("this bundle serves the mean of an ensemble of " + members(schema.schema())
                    + " networks (model.ensemble); explanations of an ensemble are not supported yet");
        }
    }

    /** Explains {@code n} rows whose raw inputs come from {@code source} (batch scoring's route); ids are left null. */
    synchronized List<Explanation> explainRows(int n, RowSource source, int topK) {
        return explainRows(n, source, topK, null);
    }

    synchronized List<Explanation> explainRows(int n, RowSource source, int topK, ResidualOffsets.Keys keys) {
        refuseEnsembleExplanations();
        return withNaive(explanations.explainRows(n, source, topK), keys);
    }
}
