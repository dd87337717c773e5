package org.oncobench.runs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunIdsTest {
    @TempDir
    Path dir;

    private void folder(String id) throws IOException {
        Files.createDirectories(dir.resolve(id));
        Files.writeString(dir.resolve(id).resolve(RunFolder.STATUS_FILE), "{}");
    }

    @Test
    void fullIdsUniquePrefixesAndLatestResolveAnAmbiguousPrefixListsTheCandidates() throws IOException {
        folder("20261202-065812-quickstart-3fa2");
        folder("20261202-070001-quickstart-0b1c");
        folder("20261202-070002-gdsc-77aa");
        Files.createDirectories(dir.resolve("20261203-000000-nojson-0000")); // no run.json: not a run
        Files.createDirectories(dir.resolve(".trash").resolve("20261204-000000-deleted-0000"));
        RunIds ids = new RunIds(new RunStore(dir));

        assertEquals("20261202-065812-quickstart-3fa2", ids.resolve("20261202-065812-quickstart-3fa2"));
        assertEquals("20261202-065812-quickstart-3fa2", ids.resolve("20261202-0658"));
        assertEquals("20261202-070002-gdsc-77aa", ids.resolve("20261202-070002"));
        assertEquals("20261202-070002-gdsc-77aa", ids.resolve("latest"), "the newest run folder, not the one without run.json nor the trash");
        assertEquals("20261202-070002-gdsc-77aa", ids.resolve(" LATEST "));

        BadInputException ambiguous = assertThrows(BadInputException.class, () -> ids.resolve("20261202-07"));
        assertTrue(ambiguous.getMessage().contains("ambiguous: 2 runs start with it")
                && ambiguous.getMessage().contains("20261202-070001-quickstart-0b1c")
                && ambiguous.getMessage().contains("20261202-070002-gdsc-77aa"), ambiguous.getMessage());

        BadInputException none = assertThrows(BadInputException.class, () -> ids.resolve("2027"));
        assertTrue(none.getMessage().contains("no run '2027'"), none.getMessage());
        assertTrue(assertThrows(BadInputException.class, () -> ids.resolve("../x")).getMessage().contains("is not a run id"));
        assertTrue(assertThrows(BadInputException.class, () -> ids.resolve(".trash")).getMessage().contains("is not a run id"));
        assertThrows(BadInputException.class, () -> ids.resolve("20261203"), "a folder without run.json is no run");
        assertTrue(assertThrows(BadInputException.class, () -> new RunIds(new RunStore(dir.resolve("empty"))).resolve("latest"))
                .getMessage().contains("no runs"));
    }

    @Test
    void aLongAmbiguousListIsCut() throws IOException {
        for (int i = 0; i < 13; i++) {
            folder(String.format("20261202-0700%02d-q-0000", i));
        }
        String message = assertThrows(BadInputException.class, () -> new RunIds(new RunStore(dir)).resolve("2026")).getMessage();
        assertTrue(message.contains("13 runs start with it") && message.contains("... and 3 more") && message.contains("20261202-070012-q-0000")
                && !message.contains("20261202-070000-q-0000"), "newest first, ten shown: " + message);
    }
}
