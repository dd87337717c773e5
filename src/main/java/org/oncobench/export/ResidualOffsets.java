package org.oncobench.export;

import com.fasterxml.jackson.databind.JsonNode;
import org.oncobench.data.Ids;

/**
 * The naive part a bundle adds back to its network's output when the run learned a residual target
 * ({@code model.target.residual_over}): the schema's {@code residual_target} table (see
 * {@link org.oncobench.eval.ResidualTarget}). Fallbacks, as the baselines': a drug the training rows lack gets the
 * overall training mean; every sample is one the bundle has not seen (it carries no sample ids), so mean_effects gives
 * the drug mean and group_drug_mean the mean of the request's group and drug (then the drug mean, as when the request
 * names no group).
 */
final class ResidualOffsets {
    private final JsonNode table;

    private ResidualOffsets(JsonNode table) {
        this.table = table;
    }

    /** The schema's offsets, or null when its network learned the response itself. */
    static ResidualOffsets of(JsonNode schema) {
        JsonNode t = schema.path("residual_target");
        return t.isObject() ? new ResidualOffsets(t) : null;
    }

    String over() {
        return table.path("residual_over").asText();
    }

    /** The naive prediction for a drug id (normalised like the training ids) and the sample's group (null: unknown). */
    double offset(String drug, String group) {
        String d = Ids.normalise(drug);
        JsonNode drugMean = table.path("drug_means").path(d);
        if ("group_drug_mean".equals(over()) && group != null) {
            JsonNode gd = table.path("group_drug_means").path(group).path(d);
            if (gd.isNumber()) {
                return gd.asDouble();
            }
            if (!drugMean.isNumber() && table.path("group_means").path(group).isNumber()) {
                return table.path("group_means").path(group).asDouble();
            }
        }
        return drugMean.isNumber() ? drugMean.asDouble() : table.path("global_mean").asDouble();
    }

    /** Per request, the drug id and group its naive part is looked up by. */
    @FunctionalInterface
    interface Keys {
        /** {drug id, group or null} of request {@code i}. */
        String[] of(int i);
    }

    /** Adds the naive part to {@code values} in place; a request without a drug id is refused naming it. */
    double[] addTo(double[] values, Keys keys) {
        if (keys == null) {
            throw new InputFieldException(0, "drug", "this bundle's network predicts the residual over the training " + over()
                    + " and adds it back per drug: requests must name the drug (use /predict, `oncobench predict` or the Java Predictor)");
        }
        for (int i = 0; i < values.length; i++) {
            String[] k = keys.of(i);
            if (k[0] == null) {
                throw new InputFieldException(i, "drug.id", "request " + i + ": the drug's id is missing; this bundle adds the training "
                        + over() + " of the request's drug back to the network's output");
            }
            values[i] += offset(k[0], k[1]);
        }
        return values;
    }
}
