package org.oncobench.study;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.runs.RunFolder;
import org.oncobench.runs.RunStore;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StudyRunnerTest {
    @TempDir
    Path dir;

    /**
     * A promotion from 3 to 9 epochs: a run that had stopped early at epoch 2 trains nothing more, the other trains 6. The
     * leaderboard's budget once charged the rung's 6 epochs to both (12).
     */
    @Test
    void aPromotionCountsTheEpochsItsRunsReallyTrained() {
        RunStore store = new RunStore(dir);
        RunFolder stopped = store.create("t", "h", "mixed", "mlp");
        RunFolder continued = store.create("t", "h", "mixed", "mlp");
        stopped.writeText("history.jsonl", history(2));
        continued.writeText("history.jsonl", history(9));
        StudyRunner runner = new StudyRunner(store, m -> { });
        assertEquals(6, runner.trainedEpochs(List.of(stopped.id(), continued.id()), 3));
        assertEquals(2 + 9, runner.trainedEpochs(List.of(stopped.id(), continued.id()), 0), "rung 0: what each run trained before it stopped");
    }

    private static String history(int epochs) {
        StringBuilder sb = new StringBuilder();
        for (int e = 1; e <= epochs; e++) {
            sb.append("{\"repeat\":1,\"fold\":1,\"epoch\":").append(e).append(",\"train_loss\":1.0,\"validation\":1.0}\n");
        }
        return sb.toString();
    }
}
