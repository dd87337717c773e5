package org.oncobench.eval;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ridge on 19,000 features x 2,000 rows inside a 2 GB heap (in a child JVM, so the limit is real): the p x p normal
 * equations would need 2.9 GB for one copy; the dual n x n form needs 32 MB.
 */
class RidgeMemoryTest {
    @Test
    void wideRidgeFitsInTwoGigabytes() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-Dorg.bytedeco.javacpp.platform.extension=" + System.getProperty("org.bytedeco.javacpp.platform.extension", ""),
                "-cp", System.getProperty("java.class.path"), RidgeMemoryProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Matcher m = Pattern.compile("form=(\\w+) lambda=(\\S+) rmse=(\\S+)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals("dual", m.group(1));
        // y = latent programmes (sd 1.8) + noise 0.5: ridge on 1,600 rows recovers the programmes from 19,000 genes
        double rmse = Double.parseDouble(m.group(3));
        assertTrue(rmse < 0.8, "test RMSE " + rmse + " (noise 0.5, y has sd ~1.9)\n" + out);
        System.out.println("wide ridge: " + out.lines().filter(l -> l.startsWith("form=")).findFirst().orElse(out));
    }
}
