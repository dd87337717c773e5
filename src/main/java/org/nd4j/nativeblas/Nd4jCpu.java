package org.nd4j.nativeblas;

/**
 * Compatibility shim for a DL4J 1.0.0-M2.1 bug: {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name, but M2.1 moved that class to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings}, so the check always failed and DL4J never used oneDNN for its layers
 * (convolution, pooling, batch norm) even with nd4j-native's oneDNN build. This class answers the old name with the
 * new class's answer. Nothing else uses it.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The part of the old {@code Nd4jCpu.Environment} that DL4J's helper check calls. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** The CPU backend's answer; false on other backends (the class is looked up, as the CUDA build lacks it). */
        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Object instance = env.getMethod("getInstance").invoke(null);
                return (Boolean) env.getMethod("isUseONEDNN").invoke(instance);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
