package org.oncobench.export;

import java.util.List;

/** The entries of a model bundle; every one is listed with its SHA-256 in {@link #MANIFEST}. */
final class BundleFormat {
    static final String MODEL = "model.zip";
    static final String SCHEMA = "input_schema.json";
    /** The model as ONNX; absent (and not required) when the exporter refuses the network, and in older bundles. */
    static final String ONNX = "model.onnx";
    static final String EXPERIMENT = "experiment.yaml";
    static final String PROVENANCE = "provenance.json";
    static final String METRICS = "metrics.json";
    static final String CARD_MD = "model-card.md";
    static final String CARD_JSON = "model-card.json";
    static final String MANIFEST = "MANIFEST.sha256";
    static final List<String> ENTRIES = List.of(MODEL, SCHEMA, EXPERIMENT, PROVENANCE, METRICS, CARD_MD, CARD_JSON);
    /** Limits checked against each entry's declared size and again while it streams: a bundle never decompresses more. */
    static final long MAX_MODEL_BYTES = 1L << 30; // model.zip and model.onnx
    static final long MAX_ENTRY_BYTES = 16L << 20;

    private BundleFormat() {
    }

    /** An ensemble member's entry (bundles of runs with uncertainty.kind: ensemble). */
    static String member(int m) {
        return "ensemble/member-" + m + ".zip";
    }
}
