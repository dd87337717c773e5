package org.oncobench.runs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ProvenanceTest {
    @TempDir
    Path dir;

    @Test
    void aHangingCommandIsKilledAtItsTimeout() {
        String out = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> Provenance.run(dir, Duration.ofSeconds(1), "bash", "-c", "echo started; sleep 60"));
        assertNull(out, "a command past its timeout gives nothing");
    }

    @Test
    void aCommandWritingMuchToStandardErrorStillFinishes() {
        // 1 MB on stderr fills a pipe nobody reads; discarded, the command finishes and its output is read
        String out = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> Provenance.run(dir, Duration.ofSeconds(10), "bash", "-c", "head -c 1000000 /dev/zero | tr '\\\\0' e >&2; echo ok"));
        assertEquals("ok", out);
    }
}
