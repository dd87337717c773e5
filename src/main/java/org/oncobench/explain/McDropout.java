package org.oncobench.explain;

import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Monte Carlo dropout (Gal and Ghahramani 2016) as runs and bundles both sample it: the one function behind a run's
 * calibration and a served interval. Samples a copy of the trained network in which only dropout is random: batch
 * normalisation is folded into the affine map it computes at inference (its running statistics, never the batch's, so
 * a one-row request is treated as a row of a large one), and every dropout layer draws each row's mask from a seed of
 * that row's own inputs (their bits) and {@code seed}. A row therefore gets the same passes, and the same interval,
 * alone or inside any request. Thread-safe.
 */
public final class McDropout {
    private final ComputationGraph sampling;
    private final RowSeededDropout.Passes passes = new RowSeededDropout.Passes();
    private final long seed;

    /**
     * @param trained the trained network (not modified); it must have dropout somewhere
     * @param seed    the sampling seed (runs use the experiment's seed; a bundle records it with its calibration)
     */
    public McDropout(ComputationGraph trained, long seed) {
        long[] layer = {0};
        this.sampling = InferenceCopy.of(trained, d -> {
            if (!(d instanceof Dropout plain) || plain.getPSchedule() != null) {
                throw new IllegalArgumentException("mc_dropout samples DL4J's plain Dropout; this network has " + d);
            }
            return new RowSeededDropout(plain.getP(), ++layer[0], passes);
        });
        if (layer[0] == 0) {
            throw new IllegalArgumentException("mc_dropout needs dropout in the network; it has none (model.dropout is 0)");
        }
        this.seed = seed;
    }

    /**
     * {@code samples} stochastic passes over one batch of network inputs (standardised as the network was trained):
     * {@code out[pass][row]}, the output's column {@code column} in the network's units.
     */
    public synchronized double[][] passes(INDArray[] inputs, int samples, int column) {
        long[] rowSeeds = rowSeeds(inputs, seed);
        double[][] out = new double[samples][];
        for (int s = 0; s < samples; s++) {
            passes.set(rowSeeds, s);
            out[s] = sampling.outputSingle(true, inputs).getColumn(column).toDoubleVector();
        }
        passes.set(new long[0], 0);
        return out;
    }

    /** Each row's seed: {@code seed} mixed with the bits of every value the row feeds the network. */
    static long[] rowSeeds(INDArray[] inputs, long seed) {
        int rows = (int) inputs[0].size(0);
        long[] out = new long[rows];
        Arrays.fill(out, seed);
        for (INDArray x : inputs) {
            int perRow = (int) (x.length() / Math.max(1, rows));
            float[] v = x.dup('c').data().asFloat();
            for (int r = 0; r < rows; r++) {
                long h = out[r];
                for (int j = r * perRow, end = j + perRow; j < end; j++) {
                    h = h * 0x100000001B3L ^ Float.floatToIntBits(v[j] + 0.0f); // + 0.0f: -0 and 0 are one value
                }
                out[r] = h;
            }
        }
        return out;
    }

    /** SplitMix64's finaliser over a row seed, the pass and the layer: well-spread seeds from close inputs. */
    static long mix(long rowSeed, int pass, long layer) {
        long z = rowSeed + 0x9E3779B97F4A7C15L * (pass + 1) + 0xBF58476D1CE4E5B9L * layer;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
