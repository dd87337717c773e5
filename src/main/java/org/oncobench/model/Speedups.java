package org.oncobench.model;

/**
 * oncobench's replacements for DL4J's per-step code, each measured against DL4J's own ({@code oncobench bench --cases
 * levers}) and each with a parity test:
 *
 * @param leanLayers {@link LeanDenseLayer} and {@link LeanMergeVertex}: no recomputed pre-activation, no input gradient
 *                   where nothing reads it (bit-identical to DL4J's layers)
 * @param fastAdam   {@link FastAdam}: the Adam update as a Java loop (libnd4j's float arithmetic: bit-identical)
 * @param fastL2     {@link FastL2Regularization}: the L2 score summed in Java (same gradient; the loss to about 1e-5)
 * @param leanConv   {@link LeanConvolutionLayer} for convolutions fed by a network input: no input gradient, ReLU's
 *                   derivative from the forward output, the weight gradient by im2col and one GEMM instead of oneDNN's
 *                   {@code conv2d_bp} (parameters equal to DL4J's to float rounding: within 1e-5 after 63 steps)
 */
public record Speedups(boolean leanLayers, boolean fastAdam, boolean fastL2, boolean leanConv) {
    /** DL4J's own layers, updater and regularization: the reference the speed-ups are measured and tested against. */
    public static final Speedups NONE = new Speedups(false, false, false, false);

    /** These speed-ups with DL4J's own convolution layers. */
    public Speedups(boolean leanLayers, boolean fastAdam, boolean fastL2) {
        this(leanLayers, fastAdam, fastL2, false);
    }

    /**
     * The defaults, all on; {@code -Doncobench.layers=stock}, {@code -Doncobench.adam=dl4j}, {@code -Doncobench.l2=dl4j} and
     * {@code -Doncobench.conv=stock} switch one off (for A/B runs of whole experiments).
     */
    public static Speedups fromSystemProperties() {
        return new Speedups(!"stock".equals(System.getProperty("oncobench.layers")), !"dl4j".equals(System.getProperty("oncobench.adam")),
                !"dl4j".equals(System.getProperty("oncobench.l2")), !"stock".equals(System.getProperty("oncobench.conv")));
    }
}
