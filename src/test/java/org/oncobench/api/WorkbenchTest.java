package org.oncobench.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunStatus;
import org.oncobench.runs.RunStore;
import org.oncobench.runs.RunTags;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A notebook's run listing: overrides, tags and note as columns, and the filter language of runs list and the UI. */
class WorkbenchTest {
    @TempDir
    Path dir;

    @Test
    void runsShowOverridesTagsAndNoteAndFilterByThem() {
        RunStore store = new RunStore(dir);
        RunFolder a = store.create("quickstart", "h", "mixed", null, "mlp", RunTags.NONE, null, Map.of("training.epochs", "5"));
        a.writeText("metrics.json", "{\"task\": \"regression\", \"test\": {\"rmse\": 0.9}}");
        a.finish(RunStatus.COMPLETED, null);
        RunFolder b = store.create("quickstart", "h", "mixed", "mlp");
        b.writeText("metrics.json", "{\"task\": \"regression\", \"test\": {\"rmse\": 0.8}}");
        b.finish(RunStatus.COMPLETED, null);
        store.annotate(a.id(), x -> x.tag(List.of("owner=ana")).withNote("five epochs"));

        Workbench wb = Workbench.open(dir);
        Table all = wb.runs();
        assertEquals(2, all.size());
        assertTrue(all.columns().containsAll(List.of("overrides", "tags", "note")), all.columns().toString());
        Table ana = wb.runs("tags.owner = 'ana'");
        assertEquals(1, ana.size());
        assertEquals(a.id(), ana.get(0, "id"));
        assertEquals("training.epochs=5", ana.get(0, "overrides"));
        assertEquals("owner=ana", ana.get(0, "tags"));
        assertEquals("five epochs", ana.get(0, "note"));
        assertEquals(List.of(a.id()), wb.runs("training.epochs = 5").labels("id"));
        BadInputException e = assertThrows(BadInputException.class, () -> wb.runs("tags.ownr = ana"));
        assertTrue(e.getMessage().contains("did you mean tags.owner?"), e.getMessage());
    }
}
