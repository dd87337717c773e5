package org.oncobench.stats;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Seeded shuffles, one algorithm: Fisher-Yates from the last position down (Durstenfeld), drawing j in [0, i] with
 * the caller's generator ({@code java.util.Random::nextInt} or {@code SplittableRandom::nextInt}), so every shuffle in
 * oncobench reproduces for its seed and a shuffle here equals one written out where the generator lives.
 */
public final class Shuffles {
    private Shuffles() {
    }

    /** A permutation of 0..n-1. {@code bounded.applyAsInt(b)} must return a uniform int in [0, b). */
    public static int[] permutation(int n, IntUnaryOperator bounded) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, bounded);
        return p;
    }

    /** Shuffles {@code values} in place. */
    public static void shuffle(int[] values, IntUnaryOperator bounded) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = bounded.applyAsInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** Shuffles a list in place. */
    public static <T> void shuffle(List<T> values, IntUnaryOperator bounded) {
        for (int i = values.size() - 1; i > 0; i--) {
            int j = bounded.applyAsInt(i + 1);
            T t = values.get(i);
            values.set(i, values.get(j));
            values.set(j, t);
        }
    }
}
