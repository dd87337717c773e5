package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.oncobench.explain.McDropout;
import org.oncobench.explain.Uncertainty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bundle's calibrated uncertainty, when the run had {@code evaluation.uncertainty}: regression intervals at the
 * calibrated level (value ± q sigma(x), sigma the spread of Monte Carlo dropout passes or of the ensemble's members, or 1
 * for constant widths) and, for classification, the conformal set of classes.
 */
final class IntervalPredictor {
    private static final int BATCH = Predictor.BATCH_ROWS;
    private final ComputationGraph net;
    private final List<ComputationGraph> members;
    private final InputSchema schema;
    private final JsonNode calibration;
    private McDropout sampler;

    IntervalPredictor(ComputationGraph net, List<ComputationGraph> members, InputSchema schema) {
        this.net = net;
        this.members = List.copyOf(members);
        this.schema = schema;
        this.calibration = schema.schema().path("uncertainty");
    }

    /** Whether the bundle carries a conformal calibration (the run had evaluation.uncertainty). */
    boolean hasCalibration() {
        return calibration.path("q").isObject();
    }

    /** The calibrated level of the intervals (e.g. 0.9), or NaN without a calibration. */
    double level() {
        return hasCalibration() ? calibration.path("level").asDouble() : Double.NaN;
    }

    private double q() {
        return calibration.path("q").path(Uncertainty.levelKey(calibration.path("level").asDouble())).asDouble(Double.POSITIVE_INFINITY);
    }

    /** The conformal set at the bundle's level: every class whose score 1 - p is within the calibrated quantile. */
    List<String> conformalSet(double probability) {
        double q = q();
        List<String> set = new ArrayList<>();
        String positive = schema.schema().path("positive").asText("positive");
        if (1 - probability <= q) {
            set.add(positive);
        }
        if (probability <= q) {
            set.add("not " + positive);
        }
        return set;
    }

    /**
     * Regression intervals at the bundle's level around {@code values}: each row's Monte Carlo dropout passes are seeded by
     * its own inputs, so a row gets the same interval alone or in any request.
     */
    double[][] intervals(int n, Predictor.RowSource source, double[] values) {
        double floor = calibration.path("sigma_floor").asDouble(0);
        double q = q();
        double[][] out = new double[n][];
        for (int from = 0; from < n; from += BATCH) {
            int size = Math.min(n, from + BATCH) - from;
            double[] sigma = sigma(source, from, size);
            for (int r = 0; r < size; r++) {
                double half = q * Math.max(sigma[r], floor);
                out[from + r] = new double[]{values[from + r] - half, values[from + r] + half};
            }
        }
        return out;
    }

    /** Each row's spread in the target's units: over the ensemble's members, over dropout passes, or 1. */
    private double[] sigma(Predictor.RowSource source, int from, int size) {
        String kind = calibration.path("kind").asText();
        if ("ensemble".equals(kind)) {
            INDArray[] x = schema.standardised(source, from, size);
            double[][] passes = new double[members.size() + 1][];
            passes[0] = net.outputSingle(false, x).getColumn(0).toDoubleVector();
            for (int m = 0; m < members.size(); m++) {
                passes[m + 1] = members.get(m).outputSingle(false, x).getColumn(0).toDoubleVector();
            }
            return Uncertainty.spread(passes, size, schema.labelStd());
        }
        if ("mc_dropout".equals(kind)) {
            double[][] passes = sampler().passes(schema.standardised(source, from, size), calibration.path("samples").asInt(30), 0);
            return Uncertainty.spread(passes, size, schema.labelStd());
        }
        double[] ones = new double[size];
        Arrays.fill(ones, 1);
        return ones;
    }

    /** Monte Carlo dropout as the run calibrated it: the run's sampling seed, each row's masks seeded by its own inputs. */
    private McDropout sampler() {
        if (sampler == null) {
            sampler = new McDropout(net, calibration.path("sampling_seed").asLong(0));
        }
        return sampler;
    }
}
