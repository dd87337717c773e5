package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.oncobench.explain.InputGradients;
import org.oncobench.explain.IntegratedGradients;
import org.oncobench.explain.RunExplainer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A bundle's explanations: integrated gradients of the network with respect to every input, each feature's attribution
 * in the output's units beside its raw value, the largest first.
 */
final class ExplanationPredictor {
    private final ComputationGraph net;
    private final InputSchema schema;
    private InputGradients gradients;

    ExplanationPredictor(ComputationGraph net, InputSchema schema) {
        this.net = net;
        this.schema = schema;
    }

    /** Explains {@code n} rows whose raw inputs come from {@code source}; ids are left null. */
    List<Predictor.Explanation> explainRows(int n, Predictor.RowSource source, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        boolean classification = schema.classification();
        if (gradients == null) {
            gradients = new InputGradients(net, classification ? 1 : 0);
        }
        IntegratedGradients ig = new IntegratedGradients(gradients, Predictor.EXPLAIN_STEPS);
        double scale = classification ? 1 : schema.labelStd();
        List<Predictor.Explanation> out = new ArrayList<>();
        int batch = 32;
        for (int from = 0; from < n; from += batch) {
            int size = Math.min(n, from + batch) - from;
            INDArray[] x = schema.standardised(source, from, size);
            IntegratedGradients.Result r = ig.explainComplete(x, IntegratedGradients.zeroBaselines(x), RunExplainer.COMPLETENESS, RunExplainer.MAX_STEPS);
            double[] sums = r.sums();
            for (int i = 0; i < size; i++) {
                List<Predictor.Attribution> all = attributions(r, source, from, i, scale);
                double delta = (r.output()[i] - r.baselineOutput()[i]) * scale;
                double value = classification ? schema.classProbability(r.output()[i]) : schema.restore(r.output()[i]);
                double base = classification ? schema.classProbability(r.baselineOutput()[i]) : schema.restore(r.baselineOutput()[i]);
                out.add(new Predictor.Explanation(null, null, value, base, List.copyOf(all.subList(0, Math.min(topK, all.size()))),
                        Math.abs(sums[i] * scale - delta)));
            }
        }
        return out;
    }

    /** Row {@code i} of the batch: every feature with a non-zero attribution, the largest |attribution| first. */
    private List<Predictor.Attribution> attributions(IntegratedGradients.Result r, Predictor.RowSource source, int from, int i, double scale) {
        List<Predictor.Attribution> all = new ArrayList<>();
        List<JsonNode> inputs = schema.inputs();
        for (int k = 0; k < inputs.size(); k++) {
            INDArray a = r.attributions()[k];
            JsonNode columns = inputs.get(k).path("columns");
            float[] raw = source.row(k, from + i);
            for (int f = 0; f < a.size(1); f++) {
                double v = a.getDouble(i, f) * scale;
                if (v != 0) {
                    all.add(new Predictor.Attribution(inputs.get(k).path("name").asText(), f < columns.size() ? columns.get(f).asText()
                            : InputSchema.featureName(inputs.get(k), f), raw[f], v));
                }
            }
        }
        all.sort(Comparator.comparingDouble((Predictor.Attribution a) -> -Math.abs(a.attribution())));
        return all;
    }
}
