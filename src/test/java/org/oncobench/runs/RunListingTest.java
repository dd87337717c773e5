package org.oncobench.runs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RunListingTest {
    @TempDir
    Path dir;

    private static RunRecord run(int i, String model, Double rmse) {
        return new RunRecord(String.format("20261122-%06d-r-%04x", i, i), "r" + i % 3, i % 4 == 0 ? "failed" : "completed",
                "2026-11-22T10:00:00Z", "2026-11-22T10:01:00Z", 1, "h", "cell-blind", model, "rmse", rmse, "ridge", 1.0, 60.0 + i, null, null,
                null, null);
    }

    @Test
    void filtersSortsAndPagesFromTheIndexAndSeesNewRuns() {
        RunStore store = new RunStore(dir);
        for (int i = 0; i < 25; i++) {
            store.registry().put(run(i, i % 2 == 0 ? "mlp" : "twin", i % 5 == 0 ? null : 0.5 + i / 100.0));
        }
        RunListing listing = new RunListing(store);
        RunListing.Page first = listing.page("", null, true, 0, 10);
        assertEquals(25, first.total());
        assertEquals(25, first.matched());
        assertEquals(10, first.runs().size());
        assertEquals(String.format("20261122-%06d-r-%04x", 24, 24), first.runs().get(0).id(), "newest id first by default");

        // mlp runs (even i), sorted by test RMSE ascending; runs without a value last
        RunListing.Page mlp = listing.page("model.kind = mlp", null, "test.rmse", false, 0, 100);
        assertEquals(13, mlp.matched());
        List<Integer> order = mlp.runs().stream().map(r -> Integer.parseInt(r.id().substring(9, 15))).toList();
        assertEquals(List.of(2, 4, 6, 8, 12, 14, 16, 18, 22, 24), order.subList(0, 10));
        assertEquals(List.of(0, 10, 20).stream().sorted(java.util.Comparator.reverseOrder()).toList(), order.subList(10, 13),
                "no RMSE: last, newest first");

        RunListing.Page failedPage2 = listing.page("", "failed", "id", false, 3, 3);
        assertEquals(7, failedPage2.matched(), "i = 0, 4, ..., 24");
        assertEquals(List.of(12, 16, 20), failedPage2.runs().stream().map(r -> Integer.parseInt(r.id().substring(9, 15))).toList());

        store.registry().put(run(99, "multimodal", 0.4));
        assertEquals(26, listing.page("", null, true, 0, 1).total(), "a run indexed after the first query is seen");

        assertThrows(BadInputException.class, () -> listing.page("", null, "nosuch", true, 0, 10));
        assertThrows(BadInputException.class, () -> listing.page("", null, true, 0, 0));
        assertThrows(BadInputException.class, () -> listing.page("model.kind =", null, true, 0, 10));
    }
}
