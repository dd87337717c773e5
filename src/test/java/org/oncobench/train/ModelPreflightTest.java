package org.oncobench.train;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.model.InputSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network's size from the experiment and the files' headers alone, before any data is read (issue 26 item 13). */
class ModelPreflightTest {
    private static final Path QUICKSTART = Path.of("experiments/quickstart.yaml");

    private static ExperimentConfig quickstart(String... overrides) {
        return new ExperimentLoader().load(QUICKSTART, List.of(overrides)).config();
    }

    @Test
    void inputWidthsComeFromTheHeadersCappedByTopVariance() throws Exception {
        Assumptions.assumeTrue(Files.exists(QUICKSTART));
        // DepMap's layout: an empty first header cell over the ids, then one column per gene
        int genes = Files.readAllLines(Path.of("datasets/synthetic/OmicsExpressionProteinCodingGenesTPMLogp1.csv")).get(0).split(",").length - 1;
        List<InputSpec> inputs = ModelPreflight.inputs(quickstart());
        assertEquals(List.of("expression", "fingerprints"), inputs.stream().map(InputSpec::name).toList());
        assertEquals(List.of(400, 512), inputs.stream().map(InputSpec::width).toList());
        assertEquals(genes, ModelPreflight.inputs(quickstart("data.samples.expression.select.top_variance=100000")).get(0).width(),
                "a top_variance above the gene count: every gene");
        // mlp [256, 64] on 912 inputs: (912 + 1) x 256 + (256 + 1) x 64 + (64 + 1) x 1
        assertEquals(913L * 256 + 257 * 64 + 65, ModelPreflight.check(quickstart()));
    }

    @Test
    void anImpossibleNetworkIsRefusedNamingTheKeyAndTheEstimate() {
        Assumptions.assumeTrue(Files.exists(QUICKSTART));
        BadInputException e = assertThrows(BadInputException.class, () -> ModelPreflight.check(quickstart("model.hidden=[65536,65536,65536]")));
        assertTrue(e.getMessage().startsWith("model.hidden [65536, 65536, 65536] gives 8,649,965,569 parameters"), e.getMessage());
        assertTrue(e.getMessage().contains("expression 400, fingerprints 512 input features; nothing was read or created"), e.getMessage());
    }

    @Test
    void anUnreadableHeaderLeavesTheVerdictToTheDataLoader() throws Exception {
        Assumptions.assumeTrue(Files.exists(QUICKSTART));
        Path empty = Files.createTempFile("expression", ".csv");
        try {
            assertEquals(-1, ModelPreflight.check(quickstart("data.samples.expression.file=" + empty)));
        } finally {
            Files.deleteIfExists(empty);
        }
    }
}
