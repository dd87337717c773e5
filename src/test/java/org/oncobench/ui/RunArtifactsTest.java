package org.oncobench.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The files a run page offers: only names of the list, only files that exist, never a link or a path. */
class RunArtifactsTest {
    @TempDir
    Path dir;

    @Test
    void onlyListedNamesOfFilesThatExist() throws Exception {
        Files.writeString(dir.resolve("metrics.json"), "{}");
        Files.writeString(dir.resolve("report.html"), "<!doctype html>");
        Files.writeString(dir.resolve("run.json"), "{}");
        Files.writeString(dir.getParent().resolve("secret.txt"), "no");
        Files.createSymbolicLink(dir.resolve("predictions.csv"), dir.getParent().resolve("secret.txt"));
        assertEquals(List.of("report.html", "metrics.json"), RunArtifacts.of(dir).stream().map(RunArtifacts.Artifact::name).toList());
        for (String name : List.of("run.json", "../secret.txt", "predictions.csv", "checkpoints/latest.zip", "", "explanations.csv")) {
            assertTrue(RunArtifacts.find(dir, name).isEmpty(), name);
        }
        RunArtifacts.Artifact m = RunArtifacts.find(dir, "metrics.json").orElseThrow();
        assertEquals(2, m.bytes());
        assertEquals("application/json; charset=utf-8", RunArtifacts.contentType(m));
        assertEquals("application/zip", RunArtifacts.contentType(new RunArtifacts.Artifact("model.zip", 1, "application/zip", dir.resolve("model.zip"))));
    }
}
