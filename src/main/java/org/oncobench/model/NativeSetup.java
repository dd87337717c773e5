package org.oncobench.model;

import org.bytedeco.javacpp.Loader;

/**
 * Chooses ND4J's native build before ND4J loads: the oneDNN build of nd4j-native when it is on the class path (the
 * CPU profile ships it in place of the plain build), with DL4J's layer helpers switched on, which DL4J 1.0.0-M2.1
 * switches off by default ({@code org.eclipse.deeplearning4j.helpers.disable}). Values already given with
 * {@code -D} win. Called by the CLI and by {@code Bundle.open}, the two ways into oncobench.
 */
public final class NativeSetup {
    static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";
    static final String HELPERS_DISABLED = "org.eclipse.deeplearning4j.helpers.disable";

    private NativeSetup() {
    }

    public static void apply() {
        if (System.getProperty(EXTENSION) == null && hasBuild("-onednn")) {
            System.setProperty(EXTENSION, "-onednn");
        }
        if (System.getProperty(HELPERS_DISABLED) == null) {
            System.setProperty(HELPERS_DISABLED, "false");
        }
    }

    private static boolean hasBuild(String extension) {
        String dir = "org/nd4j/linalg/cpu/nativecpu/bindings/" + Loader.getPlatform() + extension + "/";
        return NativeSetup.class.getClassLoader().getResource(dir + "libjnind4jcpu.so") != null
                || NativeSetup.class.getClassLoader().getResource(dir + "jnind4jcpu.dll") != null
                || NativeSetup.class.getClassLoader().getResource(dir + "libjnind4jcpu.dylib") != null;
    }
}
