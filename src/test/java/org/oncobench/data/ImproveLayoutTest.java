package org.oncobench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.data.synth.ImproveLayoutWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IMPROVE's layout (data.improve) and its split files (split: {kind: files}): a toy tree whose rows are told apart by
 * their targets, so a split's parts can be checked row by row; the embedded tree's files against its split files.
 */
class ImproveLayoutTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /**
     * Response rows 0..7 (target = 10 + position): rows 0-3 study S1, 4-7 study S2; row 6 has no auc. Expression with three
     * header lines; the gene symbol line names the genes.
     */
    private void toy() throws IOException {
        write("csa_data/raw_data/y_data/response.tsv", """
                source\timprove_chem_id\timprove_sample_id\tauc\tic50
                S1\tD1\tC1\t10\t1
                S1\tD2\tC1\t11\t1
                S1\tD1\tC2\t12\t1
                S1\tD2\tC2\t13\t1
                S2\tD1\tC1\t14\t1
                S2\tD2\tC1\t15\t1
                S2\tD1\tC2\t\t1
                S2\tD2\tC3\t17\t1
                """);
        write("csa_data/raw_data/x_data/cancer_gene_expression.tsv", """
                \tENSG1\tENSG2
                \t1956\t3845
                improve_sample_id\tEGFR\tKRAS
                C1\t1.0\t2.0
                C2\t3.0\t4.0
                C3\t5.0\t6.0
                """);
        write("csa_data/raw_data/x_data/drug_ecfp4_nbits512.tsv", "improve_chem_id\tb0\tb1\nD1\t1\t0\nD2\t0\t1\n");
        write("csa_data/raw_data/splits/S1_split_0_train.txt", "0\n3\n");
        write("csa_data/raw_data/splits/S1_split_0_val.txt", "1\n");
        write("csa_data/raw_data/splits/S1_split_0_test.txt", "2\n");
    }

    private ExperimentConfig load(String split) throws IOException {
        return new ExperimentLoader().load(write("exp.yaml", """
                data: {improve: {dir: ., study: S1}}
                split: %s
                model: {kind: mlp, hidden: [4]}
                training: {epochs: 1, batch: 4}
                """.formatted(split)), List.of()).config();
    }

    /** The targets (10 + file position) of the rows in one part. */
    private static List<Integer> targets(Cohort c, SplitAssignment a, byte part) {
        List<Integer> out = new ArrayList<>();
        for (int r : a.rows(part)) {
            out.add(Math.round(c.targets()[r]));
        }
        out.sort(null);
        return out;
    }

    @Test
    void splitFilesSelectExactlyTheListedRowsZeroBased() throws IOException {
        toy();
        ExperimentConfig config = load("{kind: files, index: 0}");
        assertEquals("files", config.split().kind());
        assertTrue(config.split().files().train().endsWith("S1_split_0_train.txt"));
        Cohort cohort = new CohortBuilder().build(config.data(), config.task());
        assertEquals(4, cohort.size(), "only study S1's rows");
        assertEquals(List.of("EGFR", "KRAS"), cohort.sampleTables().get(0).columns(), "the gene symbol header line names the genes");
        SplitAssignment a = new SplitPlanner().plan(cohort, config.split(), 1, false).get(0).assignment();
        // position 0 is the first data row (target 10), not the header: an off-by-one would give 11, 14
        assertEquals(List.of(10, 13), targets(cohort, a, SplitAssignment.TRAIN));
        assertEquals(List.of(11), targets(cohort, a, SplitAssignment.VALIDATION));
        assertEquals(List.of(12), targets(cohort, a, SplitAssignment.TEST));
    }

    @Test
    void theResolvedExperimentLoadsAgainWithTheSameSplitFiles() throws IOException {
        toy();
        var loaded = new ExperimentLoader().load(write("exp.yaml", """
                data: {improve: {dir: ., study: S1}}
                split: {kind: files, index: 0}
                """), List.of());
        Path resolved = write("resolved.yaml", loaded.resolvedYaml());
        ExperimentConfig again = new ExperimentLoader().load(resolved, List.of()).config();
        assertEquals(loaded.config().split(), again.split());
        assertEquals(loaded.config().data().rows(), again.data().rows());
        assertEquals(loaded.config().data().samples(), again.data().samples());
        String share = assertThrows(org.oncobench.config.ConfigException.class, () -> load("{kind: files, index: 0, test: 0.2}")).getMessage();
        assertTrue(share.contains("split.test") && share.contains("split files fix the parts"), share);
    }

    @Test
    void theOtherStudyCountsForPositionsAndUnlistedRowsAreUnused() throws IOException {
        toy();
        write("csa_data/raw_data/splits/S2_split_0_train.txt", "4\n7\n");
        write("csa_data/raw_data/splits/S2_split_0_val.txt", "5\n");
        write("csa_data/raw_data/splits/S2_split_0_test.txt", "7\n");
        ExperimentConfig config = new ExperimentLoader().load(write("exp2.yaml", """
                data: {improve: {dir: ., study: S2}}
                split: {kind: files, index: 0}
                """), List.of()).config();
        Cohort cohort = new CohortBuilder().build(config.data(), config.task());
        assertEquals(3, cohort.size(), "S2's rows with an auc");
        assertEquals(1, cohort.joinReport().missingTargetRows());
        String twice = assertThrows(BadInputException.class, () -> new SplitPlanner().plan(cohort, config.split(), 1, false)).getMessage();
        assertTrue(twice.contains("S2_split_0_test.txt:1: row 7 is also listed in") && twice.contains("S2_split_0_train.txt"), twice);

        write("csa_data/raw_data/splits/S2_split_0_train.txt", "4\n");
        write("csa_data/raw_data/splits/S2_split_0_test.txt", "7\n");
        SplitAssignment a = new SplitPlanner().plan(cohort, config.split(), 1, false).get(0).assignment();
        assertEquals(List.of(14), targets(cohort, a, SplitAssignment.TRAIN));
        assertEquals(List.of(15), targets(cohort, a, SplitAssignment.VALIDATION));
        assertEquals(List.of(17), targets(cohort, a, SplitAssignment.TEST));

        write("csa_data/raw_data/splits/S2_split_0_test.txt", "6\n");
        String gone = assertThrows(BadInputException.class, () -> new SplitPlanner().plan(cohort, config.split(), 1, false)).getMessage();
        assertTrue(gone.contains("S2_split_0_test.txt:1: row 6") && gone.contains("target cell is empty"), gone);
        write("csa_data/raw_data/splits/S2_split_0_test.txt", "2\n");
        String other = assertThrows(BadInputException.class, () -> new SplitPlanner().plan(cohort, config.split(), 1, false)).getMessage();
        assertTrue(other.contains("row 2") && other.contains("another study"), other);
    }

    @Test
    void aHeaderLineOrARowOutOfRangeIsRefusedNamingFileAndLine() throws IOException {
        toy();
        ExperimentConfig config = load("{kind: files, index: 0}");
        Cohort cohort = new CohortBuilder().build(config.data(), config.task());
        write("csa_data/raw_data/splits/S1_split_0_train.txt", "index\n0\n3\n");
        String header = assertThrows(BadInputException.class, () -> new SplitPlanner().plan(cohort, config.split(), 1, false)).getMessage();
        assertTrue(header.contains("S1_split_0_train.txt:1: 'index' is not a row position (a header line?)") && header.contains("without a header"),
                header);
        write("csa_data/raw_data/splits/S1_split_0_train.txt", "0\n8\n");
        String range = assertThrows(BadInputException.class, () -> new SplitPlanner().plan(cohort, config.split(), 1, false)).getMessage();
        assertTrue(range.contains("S1_split_0_train.txt:2: row 8 is out of range") && range.contains("has 8 data rows (positions 0 to 7"), range);
    }

    @Test
    void missingSplitFilesAndStudiesAreNamed() throws IOException {
        toy();
        String missing = assertThrows(org.oncobench.config.ConfigException.class, () -> load("{kind: files, index: 3}")).getMessage();
        assertTrue(missing.contains("S1_split_3_train.txt"), missing);
        String noStudy = assertThrows(BadInputException.class, () -> new CohortBuilder().build(new ExperimentLoader().load(write("exp3.yaml", """
                data: {improve: {dir: ., study: CCLE}}
                split: {kind: mixed}
                """), List.of()).config().data())).getMessage();
        assertTrue(noStudy.contains("no row has source = 'CCLE'") && noStudy.contains("S1, S2"), noStudy);
    }

    @Test
    void theEmbeddedTreeIsWhatTheWriterWritesAndItsSplitsPartitionEachStudy() throws IOException {
        Path embedded = Path.of("datasets/improve-example").toAbsolutePath();
        new ImproveLayoutWriter().write(dir, 90, 16, 48, 10, 42);
        for (String f : List.of("y_data/response.tsv", "x_data/cancer_gene_expression.tsv", "x_data/drug_ecfp4_nbits512.tsv",
                "x_data/drug_SMILES.tsv", "splits/gCSI_split_7_test.txt")) {
            assertArrayEquals(Files.readAllBytes(embedded.resolve("csa_data/raw_data").resolve(f)),
                    Files.readAllBytes(dir.resolve("csa_data/raw_data").resolve(f)), f + " regenerated byte for byte");
        }
        for (String study : ImproveLayoutWriter.STUDIES) {
            ExperimentConfig config = new ExperimentLoader().load(write(study + ".yaml", """
                    data: {improve: {dir: %s, study: %s}}
                    split: {kind: files, index: 4}
                    """.formatted(embedded, study)), List.of()).config();
            Cohort cohort = new CohortBuilder().build(config.data(), config.task());
            SplitAssignment a = new SplitPlanner().plan(cohort, config.split(), 1, false).get(0).assignment();
            int[] counts = new int[6];
            for (byte p : a.parts()) {
                counts[p]++;
            }
            int all = (int) Files.readAllLines(embedded.resolve("csa_data/raw_data/splits/" + study + "_all.txt")).size();
            assertEquals(all, cohort.size(), study + ": every row of the study joined");
            assertEquals(0, counts[SplitAssignment.UNUSED], study + ": train, val and test cover the study: " + Arrays.toString(counts));
            assertEquals(Math.round(all * 0.1f), counts[SplitAssignment.TEST], study);
        }
    }
}
