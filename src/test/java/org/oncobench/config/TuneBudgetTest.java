package org.oncobench.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budget of --tune / model.tune.budget: the forms it reads, and refusals that name the flag and the allowed forms. */
class TuneBudgetTest {
    @Test
    void readsHoursMinutesAndSeconds() {
        assertEquals(90, TuneBudget.seconds("90s", "--tune"));
        assertEquals(600, TuneBudget.seconds("10m", "--tune"));
        assertEquals(180, TuneBudget.seconds(" 3M ", "--tune"));
        assertEquals(3600, TuneBudget.seconds("1h", "--tune"));
        assertEquals(5400, TuneBudget.seconds("1h30m", "--tune"));
        assertEquals(150, TuneBudget.seconds("2m30s", "--tune"));
        assertEquals(24 * 3600, TuneBudget.seconds("24h", "--tune"));
    }

    @Test
    void badBudgetsNameTheFlagTheValueAndTheForms() {
        for (String bad : List.of("10", "10x", "ten minutes", "", "m", "30m1h", "-5m", "1.5h", "29s", "24h1s")) {
            BadInputException e = assertThrows(BadInputException.class, () -> TuneBudget.seconds(bad, "--tune"), bad);
            assertTrue(e.getMessage().startsWith("--tune '" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("90s, 10m, 1h or 1h30m") && e.getMessage().contains("from 30s to 24h"), e.getMessage());
        }
    }

    @Test
    void theExperimentKeyIsCheckedWithItsOwnName() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ExperimentLoader().load(java.nio.file.Path.of("experiments/quickstart.yaml"),
                List.of("model.kind=auto", "model.tune.budget=soon")));
        assertTrue(e.getMessage().contains("model.tune.budget") && e.getMessage().contains("90s, 10m, 1h or 1h30m"), e.getMessage());
        ConfigException none = assertThrows(ConfigException.class, () -> new ExperimentLoader().load(java.nio.file.Path.of("experiments/quickstart.yaml"),
                List.of("model.kind=auto")));
        assertTrue(none.getMessage().contains("model.tune") && none.getMessage().contains("--tune 10m"), none.getMessage());
        ConfigException notAuto = assertThrows(ConfigException.class, () -> new ExperimentLoader().load(java.nio.file.Path.of("experiments/quickstart.yaml"),
                List.of("model.tune.budget=10m")));
        assertTrue(notAuto.getMessage().contains("only model.kind: auto searches"), notAuto.getMessage());
        ConfigException kfold = assertThrows(ConfigException.class, () -> new ExperimentLoader().load(java.nio.file.Path.of("experiments/quickstart.yaml"),
                List.of("model.kind=auto", "model.tune.budget=10m", "split={kind: kfold, folds: 3}")));
        assertTrue(kfold.getMessage().contains("auto tunes on the validation rows of a single split"), kfold.getMessage());
        // an empty model.tune is none (how the chosen run of a search clears it)
        assertEquals(null, new ExperimentLoader().load(java.nio.file.Path.of("experiments/quickstart.yaml"), List.of("model.tune={}")).config().model().tune());
    }
}
