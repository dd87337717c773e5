package org.oncobench.model;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Chooses ND4J's native build before ND4J loads, and switches on what DL4J 1.0.0-M2.1 leaves off. Values already given
 * with {@code -D} win. Called by the CLI, the notebook kernel and {@code Bundle.open}, the ways into oncobench.
 * <ul>
 *   <li>The build: nd4j-native's oneDNN build, in its AVX-512 or AVX2 variant when the CPU has those instructions and
 *   the variant is on the class path, else the plain oneDNN build. The CPU profile ships only the plain one: side by
 *   side here (six alternating rounds; benchmarks/native-ab.sh) the AVX2 variant made the quickstart MLP step 1.04x and
 *   the multimodal step 1.02x faster, within this machine's noise, for 94 MB more to download. Add the
 *   {@code nd4j-native} dependency with classifier {@code linux-x86_64-onednn-avx2} (or {@code -avx512}) to use it.</li>
 *   <li>DL4J's layer helpers ({@code org.eclipse.deeplearning4j.helpers.disable=false}), so convolutions run through
 *   oneDNN.</li>
 *   <li>JavaCPP's physical-memory check ({@code org.bytedeco.javacpp.maxPhysicalBytes=0}): with its default, every
 *   native allocation (ND4J allocates shape buffers and op contexts on every op) reads the process's resident size
 *   from /proc, 6% of a training step in a profile. JavaCPP's own limit on what it allocates ({@code maxBytes}, the
 *   JVM's -Xmx by default) still holds.</li>
 * </ul>
 */
public final class NativeSetup {
    static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";
    static final String HELPERS_DISABLED = "org.eclipse.deeplearning4j.helpers.disable";
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
    static final String CUDNN = "-cudnn";

    /** A native build, and the CPU flags it needs (as /proc/cpuinfo names them). */
    record Build(String extension, Set<String> flags) {
    }

    /** Fastest first. */
    static final List<Build> BUILDS = List.of(
            new Build("-onednn-avx512", Set.of("avx512f", "avx512bw", "avx512dq", "avx512vl")),
            new Build("-onednn-avx2", Set.of("avx2", "fma")),
            new Build("-onednn", Set.of()));

    private NativeSetup() {
    }

    public static void apply() {
        // first: JavaCPP's Pointer reads it once, when the class initialises (Loader, used below, may initialise it)
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
        if (System.getProperty(EXTENSION) == null) {
            String chosen = extensions(choose(cpuFlags(), NativeSetup::hasBuild), hasCudnnBuild());
            if (chosen != null) {
                System.setProperty(EXTENSION, chosen);
            }
        }
        if (System.getProperty(HELPERS_DISABLED) == null) {
            System.setProperty(HELPERS_DISABLED, "false");
        }
    }

    /** The fastest build this CPU can run that is on the class path, or null (JavaCPP's default, the plain build). */
    static String choose(Set<String> cpuFlags, Predicate<String> onClassPath) {
        for (Build b : BUILDS) {
            if (cpuFlags.containsAll(b.flags()) && onClassPath.test(b.extension())) {
                return b.extension();
            }
        }
        return null;
    }

    /**
     * JavaCPP's platform extensions: the CPU build's, and {@code -cudnn} when the CUDA backend's cuDNN build is on the class
     * path ({@code -Pcuda}: it is the only CUDA build there). JavaCPP splits the property on the path separator and tries
     * each extension for every library it loads, so the CPU natives find theirs and the CUDA natives theirs.
     */
    static String extensions(String cpu, boolean cudnn) {
        if (!cudnn) {
            return cpu;
        }
        return cpu == null ? CUDNN : cpu + java.io.File.pathSeparator + CUDNN;
    }

    /** The CPU's feature flags from /proc/cpuinfo (Linux); empty elsewhere, which picks the baseline build. */
    static Set<String> cpuFlags() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return Set.of();
        }
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Set.of(l.substring(l.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT).split("\\s+")))
                    .orElse(Set.of());
        } catch (IOException | java.io.UncheckedIOException e) {
            return Set.of();
        }
    }

    private static boolean hasCudnnBuild() {
        String dir = "org/nd4j/linalg/jcublas/bindings/" + Loader.getPlatform() + CUDNN + "/";
        return NativeSetup.class.getClassLoader().getResource(dir + "libjnind4jcuda.so") != null
                || NativeSetup.class.getClassLoader().getResource(dir + "jnind4jcuda.dll") != null;
    }

    private static boolean hasBuild(String extension) {
        String dir = "org/nd4j/linalg/cpu/nativecpu/bindings/" + Loader.getPlatform() + extension + "/";
        return NativeSetup.class.getClassLoader().getResource(dir + "libjnind4jcpu.so") != null
                || NativeSetup.class.getClassLoader().getResource(dir + "jnind4jcpu.dll") != null
                || NativeSetup.class.getClassLoader().getResource(dir + "libjnind4jcpu.dylib") != null;
    }
}
