package org.oncobench.model;

/**
 * oncobench's replacements for DL4J's per-step code, each measured against DL4J's own ({@code oncobench bench --cases
 * levers}) and each with a parity test:
 *
 * @param leanLayers {@link LeanDenseLayer} and {@link LeanMergeVertex}: no recomputed pre-activation, no input gradient
 *                   where nothing reads it (bit-identical to DL4J's layers)
 * @param fastAdam   {@link FastAdam}: the Adam update as a Java loop (libnd4j's float arithmetic: bit-identical)
 * @param fastL2     {@link FastL2Regularization}: the L2 score summed in Java (same gradient; the loss to about 1e-5)
 */
public record Speedups(boolean leanLayers, boolean fastAdam, boolean fastL2) {
    /** DL4J's own layers, updater and regularization: the reference the speed-ups are measured and tested against. */
    public static final Speedups NONE = new Speedups(false, false, false);

    /**
     * The defaults, all on; {@code -Doncobench.layers=stock}, {@code -Doncobench.adam=dl4j} and {@code -Doncobench.l2=dl4j}
     * switch one off (for A/B runs of whole experiments).
     */
    public static Speedups fromSystemProperties() {
        return new Speedups(!"stock".equals(System.getProperty("oncobench.layers")), !"dl4j".equals(System.getProperty("oncobench.adam")),
                !"dl4j".equals(System.getProperty("oncobench.l2")));
    }
}
