package org.oncobench.model;

/**
 * An ensemble's prediction ({@code model.ensemble}): the members' values summed in member order 0..K-1, then divided by
 * K. The run (BatchPredictor) and a bundle (PointPredictor) both use it, so the two agree bit for bit.
 */
public final class EnsembleMean {
    private EnsembleMean() {
    }

    /** Row-wise mean of {@code each[member][row]}. */
    public static double[] of(double[][] each) {
        double[] out = new double[each[0].length];
        for (double[] member : each) {
            for (int i = 0; i < out.length; i++) {
                out[i] += member[i];
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= each.length;
        }
        return out;
    }
}
