package org.oncobench.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Adam with its update written as one Java loop over the gradient and state buffers. DL4J 1.0.0-M2.1 applies Adam with
 * the native {@code adamUpdater} op, which the released libnd4jcpu compiles as scalar code (about 15 cycles per
 * element); this loop computes the same update (libnd4j's formula: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * update = alpha_t m / (sqrt(v) + eps), alpha_t = lr sqrt(1 - b2^(t+1)) / (1 - b1^(t+1))) over heap copies of the
 * buffers, a loop the JIT vectorises. Every constant and every operation is libnd4j's, in float and in its order, so
 * the parameters are DL4J's to the bit (FastAdamTest: 40 steps, with and without a schedule). Same state layout as
 * {@link Adam} (m then v), so checkpoints and saved models load either way; float parameters only (anything else falls
 * back to DL4J's op). Registered by class name in the configuration JSON. The default ({@link Speedups}).
 */
public class FastAdam extends Adam {

    public FastAdam() {
        super();
    }

    public FastAdam(double learningRate) {
        super(learningRate);
    }

    public FastAdam(ISchedule schedule) {
        super(schedule);
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        return wrap((AdamUpdater) super.instantiate(viewArray, initializeViewArray)); // DL4J lays out (and initialises) the state
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        return wrap((AdamUpdater) super.instantiate(updaterState, initializeStateArrays));
    }

    private Updater wrap(AdamUpdater stock) {
        Updater u = new Updater(this);
        u.setM(stock.getM());
        u.setV(stock.getV());
        u.setGradientReshapeOrder(stock.getGradientReshapeOrder());
        return u;
    }

    @Override
    public FastAdam clone() {
        FastAdam c = new FastAdam(getLearningRate());
        c.setLearningRateSchedule(getLearningRateSchedule() == null ? null : getLearningRateSchedule().clone());
        c.setBeta1(getBeta1());
        c.setBeta2(getBeta2());
        c.setEpsilon(getEpsilon());
        return c;
    }

    /** The update over the buffers; DL4J's op where the arrays are not contiguous float arrays. */
    static final class Updater extends AdamUpdater {
        /** Scratch copies of the gradient and the two moments, kept between steps (one updater per parameter block). */
        private float[] gs;
        private float[] ms;
        private float[] vs;

        Updater(Adam config) {
            super(config);
        }

        /** Whether {@link #applyUpdater} runs the loop for this gradient (else DL4J's op). */
        boolean fastPath(INDArray gradient) {
            INDArray m = getM();
            INDArray v = getV();
            return m != null && gradient.dataType() == DataType.FLOAT && m.dataType() == DataType.FLOAT && plain(gradient) && plain(m) && plain(v)
                    && gradient.length() == m.length();
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (!fastPath(gradient)) {
                super.applyUpdater(gradient, iteration, epoch);
                return;
            }
            INDArray m = getM();
            INDArray v = getV();
            Adam c = getConfig();
            // libnd4j's arithmetic, step for step in float (adamUpdater_ with T = float), so the result is DL4J's to the bit:
            // its constants are the double settings cast to float, 1 - beta in float, the bias correction from float
            // powers with the 1 - beta2^t under the square root taken in double and cast, the division in double
            float lr = (float) c.getLearningRate(iteration, epoch);
            float fb1 = (float) c.getBeta1();
            float fb2 = (float) c.getBeta2();
            float feps = (float) c.getEpsilon();
            float t = (float) iteration + 1f;
            float beta1T = (float) Math.pow(fb1, t);
            float beta2T = (float) Math.pow(fb2, t);
            float alpha = (float) ((double) (lr * (float) Math.sqrt((float) (1.0 - beta2T))) / (1.0 - beta1T));
            if (Float.isNaN(alpha) || alpha == 0f || Float.isInfinite(alpha)) {
                alpha = feps;
            }
            float ob1 = 1f - fb1;
            float ob2 = 1f - fb2;
            FloatBuffer g = gradient.data().asNioFloat();
            FloatBuffer mb = m.data().asNioFloat();
            FloatBuffer vb = v.data().asNioFloat();
            int go = (int) gradient.offset();
            int mo = (int) m.offset();
            int vo = (int) v.offset();
            int n = (int) gradient.length();
            if (gs == null || gs.length < n) {
                gs = new float[n];
                ms = new float[n];
                vs = new float[n];
            }
            float[] ga = gs;
            float[] ma = ms;
            float[] va = vs;
            // bulk copies to and from heap arrays (memcpy speed), so the loop is over plain arrays, which C2 vectorises
            // (the same loop through FloatBuffer get/put ran element by element)
            g.get(go, ga, 0, n);
            mb.get(mo, ma, 0, n);
            vb.get(vo, va, 0, n);
            for (int i = 0; i < n; i++) {
                float gi = ga[i];
                float mi = fb1 * ma[i] + gi * ob1;
                float vi = fb2 * va[i] + gi * gi * ob2;
                ma[i] = mi;
                va[i] = vi;
                ga[i] = (mi * alpha) / ((float) Math.sqrt(vi) + feps);
            }
            mb.put(mo, ma, 0, n);
            vb.put(vo, va, 0, n);
            g.put(go, ga, 0, n);
        }

        /** A contiguous array: its elements are length consecutive floats from its offset. */
        private static boolean plain(INDArray a) {
            return a.isView() ? a.elementWiseStride() == 1 && (a.isRowVector() || a.isVector() || a.ordering() == 'c') : a.elementWiseStride() == 1;
        }
    }
}
