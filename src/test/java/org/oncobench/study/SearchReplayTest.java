package org.oncobench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import org.junit.jupiter.api.Test;
import org.oncobench.config.BadInputException;
import org.oncobench.config.StudyConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Successive halving replayed on hand-made learning curves (4 trials, rungs of 1 and 3 epochs, eta 3), its outcome
 * worked out by hand: after three trials finish rung 0 the best of them is promoted; the fourth is promoted too only
 * when it beats every earlier trial at rung 0. Trial 2 starts slowly and ends best, so the full search picks it and
 * successive halving never sees it finish on training seed 0.
 */
class SearchReplayTest {
    private static final double[][][] VALIDATION = {
            { // training seed 0: trial 1 leads after one epoch, trial 2 is last then and best at the end
                    {1.0, 0.95, 0.90}, {0.8, 0.75, 0.70}, {1.5, 1.0, 0.50}, {0.9, 0.85, 0.80}},
            { // training seed 1: trial 2 leads from the first epoch
                    {1.0, 0.95, 0.90}, {0.8, 0.75, 0.70}, {0.7, 0.6, 0.50}, {0.9, 0.85, 0.80}}};
    private static final double[][] TEST = {{0.90, 0.85, 0.70, 0.88}, {0.95, 0.80, 0.75, 0.90}};
    private static final List<Double> DROPOUTS = List.of(0.0, 0.1, 0.2, 0.3);

    private static Map<String, JsonNode> params(double dropout) {
        return Map.of("model.dropout", DoubleNode.valueOf(dropout));
    }

    private static SearchReplay.Curves curves() {
        return new SearchReplay.Curves("full", DROPOUTS.stream().map(SearchReplayTest::params).toList(), List.of(21L, 22L), VALIDATION, TEST, true, 3,
                "validation.rmse");
    }

    private static StudyConfig search(List<Double> values, String kind, int maxEpochs) {
        List<JsonNode> grid = values.stream().map(v -> (JsonNode) DoubleNode.valueOf(v)).toList();
        return new StudyConfig("s", Path.of("base.yaml"), Map.of(), Map.of("model.dropout", grid), Map.of(), 1, List.of(1L), 7,
                new StudyConfig.Search(kind, "validation.rmse", 1, maxEpochs, 3), 1);
    }

    @Test
    void oneSearchFollowsTheHandWorkedSchedule() {
        // trials 0, 1, 2 at rung 0 (3 epochs), trial 1 promoted (2 more), trial 3 at rung 0 (1): 6 epochs, trial 1 chosen
        assertEquals(new SearchReplay.Pick(1, 6), SearchReplay.asha(VALIDATION[0], new int[]{0, 1, 2, 3}, 1, 3, 3, true));
        // trial 1 last: trial 3 (best of 0, 2, 3) is promoted first, then trial 1: 8 epochs, trial 1 still chosen
        assertEquals(new SearchReplay.Pick(1, 8), SearchReplay.asha(VALIDATION[0], new int[]{0, 2, 3, 1}, 1, 3, 3, true));
        assertEquals(new SearchReplay.Pick(2, 6), SearchReplay.asha(VALIDATION[1], new int[]{2, 0, 1, 3}, 1, 3, 3, true));
        assertEquals(2, SearchReplay.fullPick(VALIDATION[0], 3, true));
        assertEquals(1, SearchReplay.fullPick(VALIDATION[0], 1, true), "after one epoch trial 1 leads");
    }

    @Test
    void picksAreJudgedOnTheOtherSeedsAgainstTheFullSearchsPick() {
        int searches = 40;
        SearchReplay.Result r = SearchReplay.replay(curves(), search(DROPOUTS, "asha", 3), searches);
        assertEquals(12, r.fullEpochs());
        assertArrayEquals(new int[]{2, 2}, r.fullPicks());
        assertArrayEquals(new double[]{0.75, 0.70}, r.fullQuality(), 1e-12, "trial 2's test RMSE on seed 22, then on seed 21");
        assertEquals(2 * searches, r.searches().size());
        long expectedEpochs = 0;
        for (int k = 0; k < searches; k++) {
            int[] order = new SearchSpace(search(DROPOUTS, "asha", 3).withSeed(7 + k)).order(true);
            // seed 0 promotes twice when trial 1 comes last; seed 1 when trial 2 comes last
            expectedEpochs += (order[3] == 1 ? 8 : 6) + (order[3] == 2 ? 8 : 6);
        }
        assertEquals(expectedEpochs, r.searches().stream().mapToLong(SearchReplay.Search::epochs).sum());
        for (SearchReplay.Search s : r.searches()) {
            assertEquals(s.trainingSeed() == 21 ? 1 : 2, s.pick(), "seed 21 never finishes the slow starter; seed 22 finds it");
            assertEquals(s.trainingSeed() == 21 ? 0.80 : 0.70, s.quality(), 1e-12);
        }
        assertEquals(0.75, r.meanQuality(), 1e-12);
        assertEquals(0.725, r.meanFullQuality(), 1e-12);
        assertEquals(0.025, r.meanDifference(), 1e-12);
        assertArrayEquals(new double[]{0.05, 0.0}, r.meanDifferencePerSeed(), 1e-12);
        assertEquals(0.5, r.shareAtLeastAsGood(), 1e-12);
    }

    @Test
    void aSearchOutsideTheFullStudyOrNotSuccessiveHalvingIsRefused() {
        BadInputException outside = assertThrows(BadInputException.class,
                () -> SearchReplay.replay(curves(), search(List.of(0.0, 0.1, 0.2, 0.5), "asha", 3), 1));
        assertTrue(outside.getMessage().contains("model.dropout=0.5") && outside.getMessage().contains("did not train"), outside.getMessage());
        BadInputException full = assertThrows(BadInputException.class, () -> SearchReplay.replay(curves(), search(DROPOUTS, "full", 3), 1));
        assertTrue(full.getMessage().contains("search.kind is full"), full.getMessage());
        BadInputException longer = assertThrows(BadInputException.class, () -> SearchReplay.replay(curves(), search(DROPOUTS, "asha", 9), 1));
        assertTrue(longer.getMessage().contains("max_epochs is 9") && longer.getMessage().contains("for 3"), longer.getMessage());
        BadInputException none = assertThrows(BadInputException.class, () -> SearchReplay.replay(curves(), search(DROPOUTS, "asha", 3), 0));
        assertTrue(none.getMessage().contains("--searches 0"), none.getMessage());
    }
}
