package org.oncobench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentConfig.DataConfig;
import org.oncobench.config.ExperimentConfig.MatrixTableConfig;
import org.oncobench.config.ExperimentConfig.RowsConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several rows of one pair become one row, so no split can train on one copy and test on the other. */
class ReplicatesTest {
    @TempDir
    Path dir;

    private DataConfig data(String responses, String replicates) throws IOException {
        Files.writeString(dir.resolve("rows.csv"), responses);
        Files.writeString(dir.resolve("expr.csv"), "id,G1,G2\nc1,1,2\nc2,3,4\nc3,5,6\n");
        Files.writeString(dir.resolve("drugs.csv"), "drug,SMILES\nd1,CCO\nd2,CCN\n");
        boolean pairs = responses.startsWith("cell,drug");
        return new DataConfig(new RowsConfig(dir.resolve("rows.csv").toString(), "cell", pairs ? "drug" : null, "y", replicates), null,
                Map.of("expression", new MatrixTableConfig(dir.resolve("expr.csv").toString(), "id", null, "fail")),
                pairs ? Map.of("fingerprints", new ExperimentConfig.FingerprintTableConfig(dir.resolve("drugs.csv").toString(), "drug", "SMILES", 2, 64))
                        : Map.of(), Map.of(), 0.5);
    }

    static final String PAIRS = "cell,drug,y\nc1,d1,1.0\nc2,d1,2.0\nc1,d1,3.0\nc3,d2,4.0\nc1,d1,5.0\nc2,d2,6.0\n";

    @Test
    void replicatesAreAveragedWhereThePairFirstAppears() throws IOException {
        Cohort c = new CohortBuilder().build(data(PAIRS, "mean"));
        assertEquals(4, c.size(), "c1 x d1 three times, the rest once");
        assertArrayEquals(new float[]{3.0f, 2.0f, 4.0f, 6.0f}, c.targets(), "(1 + 3 + 5) / 3 in the first row's place");
        assertEquals(6, c.joinReport().rowsKept());
        assertEquals(1, c.joinReport().replicatedPairs());
        assertEquals(2, c.joinReport().replicateRows());
        String summary = CohortBuilder.describe(data(PAIRS, "mean"), c.joinReport());
        assertTrue(summary.contains("1 (sample, drug) pairs appear more than once (2 extra rows): each becomes one row with the mean response"), summary);
    }

    @Test
    void firstKeepsTheFirstRowAndRefuseNamesThePairs() throws IOException {
        assertArrayEquals(new float[]{1.0f, 2.0f, 4.0f, 6.0f}, new CohortBuilder().build(data(PAIRS, "first")).targets());
        String msg = assertThrows(BadInputException.class, () -> new CohortBuilder().build(data(PAIRS, "refuse"))).getMessage();
        assertTrue(msg.contains("1 (sample, drug) pairs appear more than once (2 extra rows), e.g. c1 x d1 (3 rows)"), msg);
        assertTrue(msg.contains("rows.csv"), msg);
    }

    @Test
    void aFileWithoutReplicatesGivesTheSameCohort() throws IOException {
        Cohort c = new CohortBuilder().build(data("cell,drug,y\nc1,d1,1.0\nc2,d1,2.0\nc3,d2,4.0\n", "mean"));
        assertArrayEquals(new float[]{1.0f, 2.0f, 4.0f}, c.targets());
        assertArrayEquals(new int[]{0, 1, 2}, c.rowSample());
        assertEquals(0, c.joinReport().replicateRows());
    }

    /** Classification: agreeing copies are one row; conflicting labels have no mean and are refused unless 'first'. */
    @Test
    void conflictingLabelsAreRefusedUnlessFirst() throws IOException {
        ExperimentConfig.TaskConfig task = new ExperimentConfig.TaskConfig("classification", "R", null);
        Cohort agree = new CohortBuilder().build(data("cell,y\nc1,R\nc2,S\nc1,R\nc3,S\n", "mean"), task);
        assertArrayEquals(new float[]{1f, 0f, 0f}, agree.targets());
        String msg = assertThrows(BadInputException.class, () -> new CohortBuilder().build(data("cell,y\nc1,R\nc2,S\nc1,S\nc3,R\n", "mean"), task))
                .getMessage();
        assertTrue(msg.contains("1 samples have conflicting labels in their replicate rows, e.g. c1"), msg);
        assertTrue(msg.contains("data.rows.replicates: first"), msg);
        assertArrayEquals(new float[]{1f, 0f, 1f}, new CohortBuilder().build(data("cell,y\nc1,R\nc2,S\nc1,S\nc3,R\n", "first"), task).targets());
        assertEquals(List.of("c1", "c2", "c3"), agree.sampleIds());
    }
}
