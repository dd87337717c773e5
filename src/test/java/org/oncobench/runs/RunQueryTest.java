package org.oncobench.runs;

import org.junit.jupiter.api.Test;
import org.oncobench.config.BadInputException;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunQueryTest {
    private static RunRecord run(String id, String name, String status, String split, String model, double rmse, String study,
                                 Map<String, Object> params) {
        return new RunRecord(id, name, status, "2026-11-22T10:00:00Z", "2026-11-22T10:01:00Z", 1, "h", split, model, "rmse", rmse,
                "ridge", 1.0, 60.0, null, null, study, params);
    }

    private static final List<RunRecord> RUNS = List.of(
            run("a", "gdsc-full", "completed", "cell-blind", "mlp", 0.85, null, null),
            run("b", "quickstart", "completed", "drug-blind", "mlp", 0.95, null, null),
            run("c", "GDSC-small", "failed", "mixed", "twin", 0.80, null, null),
            run("d", "study-quickstart", "completed", "cell-blind", "multimodal", 0.70, "s1", Map.of("model.dropout", 0.2, "model.kind", "multimodal")),
            run("e", "study-quickstart", "completed", "cell-blind", "mlp", 0.90, "s1", Map.of("model.dropout", 0.5, "model.kind", "mlp")));

    private static List<String> ids(String query) {
        RunQuery q = RunQuery.parse(query);
        return RUNS.stream().filter(q::matches).map(RunRecord::id).toList();
    }

    @Test
    void andBindsTighterThanOr() {
        // (mlp and rmse < 0.9) or name like 'gdsc%': a (both), c? no: 'GDSC-small' is upper case, like is case-sensitive
        assertEquals(List.of("a", "e"), ids("model.kind = mlp and test.rmse < 0.91 or name like 'gdsc%'"));
        assertEquals(List.of("a", "c"), ids("model.kind = mlp and test.rmse < 0.9 or name ilike 'gdsc%'"));
        assertEquals(List.of("a", "e"), ids("model.kind = mlp and (test.rmse < 0.9 or name like 'study%')"));
    }

    @Test
    void inNotInLikeNotAndNumbers() {
        assertEquals(List.of("a", "b", "d", "e"), ids("split.kind in (cell-blind, drug-blind)"));
        assertEquals(List.of("c"), ids("split not in (cell-blind, 'drug-blind')"));
        assertEquals(List.of("b", "c"), ids("not study = s1 and name not like 'gdsc-%'"));
        assertEquals(List.of("c", "d"), ids("test.rmse <= 0.8"));
        assertEquals(List.of("a", "b", "e"), ids("test.rmse>0.8"));
        assertEquals(List.of("a", "b", "d", "e"), ids("status != failed"));
        assertEquals(List.of("e"), ids("model.dropout >= 0.3"));
        assertEquals(List.of("d"), ids("study = \"s1\" and model.dropout = 0.2"));
        assertEquals(List.of(), ids("test.auc > 0")); // the runs' headline metric is RMSE: no AUC to compare
        assertEquals(List.of("d", "e"), ids("name = study-quickstart"));
        assertEquals(RUNS.size(), ids("  ").size());
    }

    @Test
    void syntaxErrorsNameThePosition() {
        assertError("model.kind = ", 14, "expected a value");
        assertError("model.kind mlp", 12, "expected a comparison");
        assertError("split in (cell-blind, drug-blind", 33, "expected ',' or ')'");
        assertError("test.rmse < 0.9 and", 20, "expected a field");
        assertError("(test.rmse < 0.9", 17, "expected ')'");
        assertError("name = 'gdsc", 8, "no closing");
        assertError("nmae = x", 1, "unknown field 'nmae'");
        assertError("name = x y", 10, "expected 'and', 'or' or the end");
        assertError("name ! x", 6, "'!' must be followed by '='");
        assertError("test.rmse < 0.9 & name = x", 17, "unexpected character '&'");
    }

    @Test
    void fieldsNoRunHasAreErrorsWithTheNearestNames() {
        RunFields fields = RunFields.of(RUNS);
        BadInputException e = assertThrows(BadInputException.class, () -> RunQuery.parse("test.rmsee < 2", fields));
        assertTrue(e.getMessage().contains("position 1: unknown field 'test.rmsee'; did you mean test.rmse?"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> RunQuery.parse("model.kindd = mlp", fields));
        assertTrue(e.getMessage().contains("unknown field 'model.kindd'; did you mean model.kind?"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> RunQuery.parse("name = x and model.dropuot > 0.1", fields));
        assertTrue(e.getMessage().contains("position 14: unknown field 'model.dropuot'; did you mean model.dropout?"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> RunQuery.parse("tags.owner = ana", fields)); // no run has the tag
        assertTrue(e.getMessage().contains("unknown field 'tags.owner'"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> RunQuery.parse("zzzzzzzz = 1", fields));
        assertFalse(e.getMessage().contains("did you mean"), "nothing is near: " + e.getMessage());
        // what the runs have passes: fixed fields, both headline metrics, study parameters, params.KEY
        RunQuery q = RunQuery.parse("model.dropout >= 0.3 and params.model.dropout >= 0.3 and test.auc != 1 or test.rmse < 0.71", fields);
        assertEquals(List.of("d"), RUNS.stream().filter(q::matches).map(RunRecord::id).toList());
        // without the runs (a query checked alone), a dotted name still passes as a parameter, but not a misspelt metric
        RunQuery.parse("model.kindd = mlp");
        assertThrows(BadInputException.class, () -> RunQuery.parse("test.rmsee < 2"));
    }

    @Test
    void tagsAndOverridesAreFieldsOfTheRunsThatHaveThem() {
        RunRecord tagged = new RunRecord("t", "quickstart", "completed", "2026-11-22T10:00:00Z", null, 1, "h", "mixed", "mlp", "rmse", 0.9,
                null, null, null, null, null, null, null, Map.of("owner", "ana"), "first try", Map.of("training.epochs", "5"));
        List<RunRecord> runs = new java.util.ArrayList<>(RUNS);
        runs.add(tagged);
        RunFields fields = RunFields.of(runs);
        assertEquals(List.of("t"), runs.stream().filter(RunQuery.parse("tags.owner = ana and training.epochs = 5", fields)::matches)
                .map(RunRecord::id).toList());
        BadInputException e = assertThrows(BadInputException.class, () -> RunQuery.parse("tags.ownr = ana", fields));
        assertTrue(e.getMessage().contains("did you mean tags.owner?"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> RunQuery.parse("training.epoch = 5", fields));
        assertTrue(e.getMessage().contains("did you mean training.epochs?"), e.getMessage());
    }

    private static void assertError(String query, int position, String what) {
        BadInputException e = assertThrows(BadInputException.class, () -> RunQuery.parse(query));
        assertTrue(e.getMessage().contains("position " + position + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        // the caret sits under the position
        String caretLine = e.getMessage().lines().skip(2).findFirst().orElseThrow();
        assertEquals(position + 2, caretLine.indexOf('^') + 1, e.getMessage());
    }
}
