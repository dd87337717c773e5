package org.oncobench.model;

/**
 * oncobench's replacements for DL4J's per-step code, each measured against DL4J's own ({@code oncobench bench --cases
 * levers}) and each with a parity test:
 *
 * @param leanLayers {@link LeanDenseLayer} and {@link LeanMergeVertex}: no recomputed pre-activation, no input gradient
 *                   where nothing reads it (bit-identical to DL4J's layers)
 * @param fastAdam   {@link FastAdam}: the Adam update as a Java loop (within 1e-5 of DL4J's op, not bit-identical)
 */
public record Speedups(boolean leanLayers, boolean fastAdam) {
    /** DL4J's own layers and updater: the reference the speed-ups are measured and tested against. */
    public static final Speedups NONE = new Speedups(false, false);

    /**
     * The defaults, which {@code -Doncobench.layers=stock} and {@code -Doncobench.adam=fast|dl4j} override (for A/B runs
     * of whole experiments): lean layers on, FastAdam off.
     */
    public static Speedups fromSystemProperties() {
        return new Speedups(!"stock".equals(System.getProperty("oncobench.layers")), "fast".equals(System.getProperty("oncobench.adam")));
    }
}
