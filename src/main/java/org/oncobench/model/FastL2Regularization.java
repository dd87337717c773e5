package org.oncobench.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.nio.FloatBuffer;

/**
 * DL4J's L2 regularization with its score (0.5 l2 sum w^2, added to every mini-batch's loss) summed in Java. DL4J
 * 1.0.0-M2.1 computes it on every step ({@code ComputationGraph.computeGradientAndScore} always calls
 * {@code calcRegularizationScore}) with a native norm2 reduction per weight array, 5.5% of the quickstart MLP's step in
 * JFR. The sum here reads the weights in 4,096-float chunks and accumulates in double. The gradient term
 * ({@link #apply}) is DL4J's, so training is unchanged (the quickstart's predictions and validation curve are the same
 * bytes). The reported loss differs from DL4J's in the sixth digit on the quickstart (0.8836047 against 0.8836025 after
 * the first epoch): DL4J sums the squares in float, this sum in double. Registered by class name in the
 * configuration JSON.
 *
 * <p>Why not skip the score on steps where no listener reads it, as DL4J issue threads suggest: oncobench's progress
 * listener averages every step's loss into the epoch's training loss, so every step reads it.
 */
public class FastL2Regularization extends L2Regularization {
    private static final int CHUNK = 4096;

    public FastL2Regularization(double l2) {
        super(l2);
    }

    public FastL2Regularization(@JsonProperty("l2") ISchedule l2) {
        super(l2);
    }

    @Override
    public double score(INDArray param, int iteration, int epoch) {
        // element-wise stride 1: the array is one run of length floats from its offset, in either ordering, and the sum
        // of squares does not depend on the order (DL4J's weight views are 'f'-ordered runs of the parameter vector)
        if (param.dataType() != DataType.FLOAT || param.elementWiseStride() != 1 || param.length() > Integer.MAX_VALUE) {
            return super.score(param, iteration, epoch);
        }
        return getL2().valueAt(iteration, epoch) * 0.5 * sumOfSquares(param.data().asNioFloat(), (int) param.offset(), (int) param.length());
    }

    static double sumOfSquares(FloatBuffer buffer, int offset, int length) {
        float[] chunk = new float[Math.min(CHUNK, Math.max(1, length))];
        // eight independent sums: the additions of one do not wait for another's (the JIT does not reorder
        // floating-point sums by itself), about 4x the throughput of one running sum
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        for (int start = 0; start < length; start += chunk.length) {
            int n = Math.min(chunk.length, length - start);
            buffer.get(offset + start, chunk, 0, n);
            int i = 0;
            for (; i + 7 < n; i += 8) {
                s0 += (double) chunk[i] * chunk[i];
                s1 += (double) chunk[i + 1] * chunk[i + 1];
                s2 += (double) chunk[i + 2] * chunk[i + 2];
                s3 += (double) chunk[i + 3] * chunk[i + 3];
                s4 += (double) chunk[i + 4] * chunk[i + 4];
                s5 += (double) chunk[i + 5] * chunk[i + 5];
                s6 += (double) chunk[i + 6] * chunk[i + 6];
                s7 += (double) chunk[i + 7] * chunk[i + 7];
            }
            for (; i < n; i++) {
                s0 += (double) chunk[i] * chunk[i];
            }
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    @Override
    public Regularization clone() {
        return new FastL2Regularization(getL2().clone());
    }
}
