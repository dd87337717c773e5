package org.oncobench.data;

import java.util.stream.IntStream;

/**
 * Which part each cohort row belongs to: training, validation (monitoring, early stopping, baseline settings), test, or
 * calibration (rows that choose nothing and only calibrate prediction intervals).
 */
public record SplitAssignment(String kind, byte[] parts) {
    public static final byte TRAIN = 0;
    public static final byte VALIDATION = 1;
    public static final byte TEST = 2;
    /** Neither trained on nor scored (e.g. left out of a learning-curve point, or an external row that would leak). */
    public static final byte UNUSED = 3;
    /** A row of an external study: scored, never trained on. */
    public static final byte EXTERNAL = 4;
    /** Held out of training, validation and test: calibrates prediction intervals (split conformal) and nothing else. */
    public static final byte CALIBRATION = 5;

    /** The same split with an external study's rows left out (for retrainings that score only the primary test rows). */
    public SplitAssignment withoutExternal() {
        byte[] out = parts.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == EXTERNAL) {
                out[i] = UNUSED;
            }
        }
        return new SplitAssignment(kind, out);
    }

    public int[] rows(byte part) {
        return IntStream.range(0, parts.length).filter(i -> parts[i] == part).toArray();
    }

    public static String name(byte part) {
        return switch (part) {
            case TRAIN -> "train";
            case VALIDATION -> "validation";
            case TEST -> "test";
            case UNUSED -> "unused";
            case EXTERNAL -> "external";
            case CALIBRATION -> "calibration";
            default -> throw new IllegalArgumentException("part " + part);
        };
    }
}
