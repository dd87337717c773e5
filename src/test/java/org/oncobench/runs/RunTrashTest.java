package org.oncobench.runs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tags, notes, delete/restore/gc and hand-edited folders: the index agrees with the folders after every step. */
class RunTrashTest {
    @TempDir
    Path dir;

    private RunFolder completed(RunStore store, String name, double rmse) {
        RunFolder f = store.create(name, "h", "mixed", "mlp");
        f.writeText("metrics.json", "{\"task\": \"regression\", \"test\": {\"rmse\": " + rmse + "}}");
        f.finish(RunStatus.COMPLETED, null);
        return f;
    }

    private static Set<String> indexed(RunStore store) {
        return store.registry().list().stream().map(RunRecord::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> folders(RunStore store) throws IOException {
        try (Stream<Path> s = Files.list(store.root())) {
            return s.filter(p -> Files.isRegularFile(p.resolve(RunFolder.STATUS_FILE))).map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void tagsNotesDeleteRestoreAndGcKeepTheIndexInStepWithTheFolders() throws IOException {
        RunStore store = new RunStore(dir);
        RunFolder a = completed(store, "a", 0.9);
        RunFolder b = completed(store, "b", 0.8);
        RunFolder running = store.create("live", "h", "mixed", "mlp"); // this process: alive, so running

        store.annotate(a.id(), x -> x.tag(List.of("owner=ana", "stage=draft")));
        store.annotate(a.id(), x -> x.tag(List.of("stage=", "paper=fig2")).withNote("best so far"));
        RunRecord ra = store.registry().get(a.id()).orElseThrow();
        assertEquals(java.util.Map.of("owner", "ana", "paper", "fig2"), ra.tags(), "KEY= removed stage");
        assertEquals("best so far", ra.note());
        RunListing listing = new RunListing(store);
        assertEquals(List.of(a.id()), listing.page("tags.owner = 'ana'", null, true, 0, 10).runs().stream().map(RunRecord::id).toList());
        assertEquals(List.of(a.id()), listing.page("note like '%best%'", null, true, 0, 10).runs().stream().map(RunRecord::id).toList());
        assertThrows(BadInputException.class, () -> store.annotate(a.id(), x -> x.tag(List.of("no-equals"))));

        BadInputException refused = assertThrows(BadInputException.class, () -> new RunTrash(store).delete(List.of(b.id(), running.id())));
        assertTrue(refused.getMessage().contains("is running") && refused.getMessage().contains("nothing was deleted"), refused.getMessage());
        assertEquals(folders(store), indexed(store));
        assertEquals(3, indexed(store).size(), "a refused delete deletes none, not even the valid id before it");

        RunTrash trash = new RunTrash(store);
        assertEquals(List.of(a.id()), trash.delete(List.of(a.id().substring(0, a.id().length() - 2))), "by unique prefix");
        assertEquals(folders(store), indexed(store));
        assertEquals(Set.of(b.id(), running.id()), indexed(store), "the other runs untouched");
        assertTrue(Files.isRegularFile(trash.dir().resolve(a.id()).resolve("metrics.json")));
        assertEquals(2, store.rebuild().indexed(), "a rebuild does not index the trash");

        assertEquals(List.of(a.id()), trash.restore(List.of(a.id())));
        assertEquals(folders(store), indexed(store));
        assertEquals("ana", store.registry().get(a.id()).orElseThrow().tags().get("owner"), "restored with its tags");
        assertFalse(Files.exists(dir.resolve(a.id()).resolve(RunTrash.DELETED)));

        trash.delete(List.of(a.id(), b.id()));
        assertEquals(Set.of(running.id()), indexed(store));
        assertEquals(0, trash.gc(Duration.ofDays(30)).ids().size(), "deleted just now: kept");
        RunTrash.Collected c = trash.gc(RunTrash.age("0d"));
        assertEquals(Set.of(a.id(), b.id()), Set.copyOf(c.ids()));
        assertTrue(c.bytes() > 0);
        assertTrue(trash.list().isEmpty());
        assertEquals(folders(store), indexed(store));
        assertThrows(BadInputException.class, () -> RunTrash.age("30 days"));
        running.finish(RunStatus.INTERRUPTED, null);
    }

    @Test
    void theListingNoticesFoldersDeletedOrDamagedByHand() throws IOException {
        RunStore store = new RunStore(dir);
        RunFolder gone = completed(store, "gone", 0.9);
        RunFolder garbage = completed(store, "garbage", 0.8);
        RunFolder emptied = completed(store, "emptied", 0.7);
        RunFolder fine = completed(store, "fine", 0.6);
        assertEquals(4, store.list().size());

        try (Stream<Path> files = Files.walk(gone.dir())) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.writeString(garbage.file("run.json"), "{\"id\": garb");
        Files.writeString(emptied.file("metrics.json"), "");

        // a fresh process (a new RunStore and listing) sees the index the folders now imply, without 'runs rebuild'
        RunStore again = new RunStore(dir);
        java.util.Map<String, RunRecord> listed = again.list().stream().collect(Collectors.toMap(RunRecord::id, r -> r));
        assertEquals(Set.of(garbage.id(), emptied.id(), fine.id()), listed.keySet(), "the vanished folder is not listed");
        assertEquals("damaged", listed.get(garbage.id()).status());
        assertTrue(listed.get(garbage.id()).error().contains("run.json is not valid JSON"), listed.get(garbage.id()).error());
        assertEquals("failed", listed.get(emptied.id()).status(), "completed without metrics is not completed");
        assertTrue(listed.get(emptied.id()).error().contains("metrics.json"), listed.get(emptied.id()).error());
        assertEquals("completed", listed.get(fine.id()).status());
        assertEquals(0.6, listed.get(fine.id()).value(), 1e-12);
        assertEquals(listed.keySet(), indexed(again), "and the index was corrected to match");
        assertEquals(1, new RunListing(again).page("status = damaged", null, true, 0, 10).matched());
    }

    @Test
    void aTrialOfAStudyThatExistsIsNotDeletedSoItsLeaderboardNeverPointsAtAMissingRun() throws IOException {
        RunStore store = new RunStore(dir);
        RunFolder trial = store.create("study-q", "h", "mixed", null, "mlp", new RunTags(null, "20261122-100000-study-q-9f9f",
                java.util.Map.of("model.dropout", 0.2, "trial", 0)), null);
        trial.writeText("metrics.json", "{\"task\": \"regression\", \"test\": {\"rmse\": 0.9}}");
        trial.finish(RunStatus.COMPLETED, null);
        RunFolder other = completed(store, "other", 0.8);
        Path study = Files.createDirectories(dir.resolve("studies").resolve("20261122-100000-study-q-9f9f"));
        Files.writeString(study.resolve("leaderboard.json"), "{\"trials\": [{\"runs\": [\"" + trial.id() + "\"]}]}");
        RunTrash trash = new RunTrash(store);
        BadInputException e = assertThrows(BadInputException.class, () -> trash.delete(List.of(other.id(), trial.id())));
        assertTrue(e.getMessage().contains("run " + trial.id() + " is a trial of study 20261122-100000-study-q-9f9f, whose leaderboard")
                && e.getMessage().contains("nothing was deleted"), e.getMessage());
        assertEquals(Set.of(trial.id(), other.id()), folders(store), "neither run moved");
        assertEquals(folders(store), indexed(store));
        // once the study folder is gone, its runs are ordinary runs
        Files.delete(study.resolve("leaderboard.json"));
        Files.delete(study);
        assertEquals(List.of(trial.id()), trash.delete(List.of(trial.id())));
        assertEquals(Set.of(other.id()), indexed(store));
    }
}
