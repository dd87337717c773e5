package org.oncobench.model;

/**
 * Seeds for ND4J's native random generator. libnd4j's generator takes a state of 0 to mean "no seed" and seeds itself
 * from the clock instead ({@code RandomGenerator::setStates}), so an experiment whose seed (or a seed derived from it,
 * such as k-fold's seed + fold) works out to 0 would initialise and drop out differently on every run. Every seed that
 * reaches ND4J goes through {@link #nd4j(long)}: any other value passes unchanged (runs under other seeds keep their
 * results), and 0 becomes a fixed non-zero constant.
 */
public final class Seeds {
    /** What a seed of 0 becomes: the golden ratio's 64-bit fraction (shared with no small seed anyone types). */
    static final long ZERO = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** {@code seed} as ND4J must receive it: never 0. */
    public static long nd4j(long seed) {
        return seed == 0 ? ZERO : seed;
    }

    /** The step between ensemble members' seeds (a prime, so k-fold's seed + fold never lands on another member's). */
    static final long MEMBER_STEP = 7_919L;

    /**
     * Member {@code m}'s seed in an ensemble trained under {@code seed}: member 0 keeps it (a one-member ensemble is the
     * plain network), member m gets seed + 7919 m ({@code model.ensemble}'s members and {@code uncertainty.kind: ensemble}'s
     * own members alike). Its bootstrap sample, with bagging, is drawn from the same seed.
     */
    public static long member(long seed, int m) {
        return seed + MEMBER_STEP * m;
    }

    /** Seeds ND4J's generator of the calling thread (initialisation, dropout) with {@code seed}, 0 included. */
    public static void seedNd4j(long seed) {
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(nd4j(seed));
    }
}
