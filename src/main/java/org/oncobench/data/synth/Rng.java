package org.oncobench.data.synth;

/**
 * A small deterministic generator (SplitMix64) with Box-Muller normals in StrictMath, so the same seed gives the same
 * bytes on every JVM. Each part of the generator uses its own stream.
 */
final class Rng {
    private long state;
    private double spare = Double.NaN;

    Rng(long seed, long stream) {
        state = mix(seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double uniform() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * uniform();
    }

    int nextInt(int bound) {
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    double normal() {
        if (!Double.isNaN(spare)) {
            double s = spare;
            spare = Double.NaN;
            return s;
        }
        double u1 = 1.0 - uniform();
        double u2 = uniform();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        spare = r * StrictMath.sin(2 * StrictMath.PI * u2);
        return r * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    double normal(double mean, double sd) {
        return mean + sd * normal();
    }
}
