package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * experiments/improve-example.yaml through the CLI on the embedded IMPROVE-layout tree: a split file with a row out of
 * range stops the run with exit 2 naming the file and line; {@code oncobench csa} prints the N x N table, writes csa.json
 * and csa.csv, shows its progress, and its diagonal equals the within-study runs started directly.
 */
class ImproveCsaIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path EXPERIMENT = Path.of("experiments/improve-example.yaml");
    static final List<String> FAST = List.of("--set", "training.epochs=3", "--set", "evaluation.baselines=[drug_mean]", "--set",
            "evaluation.bootstrap=100");

    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
    }

    private Outcome cli(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Oncobench.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    private static List<String> args(String... head) {
        List<String> a = new ArrayList<>(List.of(head));
        a.addAll(FAST);
        return a;
    }

    @Test
    void aRowOutOfRangeInASplitFileExitsTwoNamingFileAndLine() throws Exception {
        Path copy = dir.resolve("improve");
        Path raw = Path.of("datasets/improve-example/csa_data/raw_data");
        try (Stream<Path> files = Files.walk(raw)) {
            for (Path p : files.toList()) {
                Path to = copy.resolve("csa_data/raw_data").resolve(raw.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Path val = copy.resolve("csa_data/raw_data/splits/CCLE_split_0_val.txt");
        List<String> lines = new ArrayList<>(Files.readAllLines(val));
        lines.set(2, "99999");
        Files.write(val, lines);
        Outcome o = cli(args("run", EXPERIMENT.toString(), "--runs-dir", dir.resolve("runs").toString(), "--set", "data.improve.dir=" + copy));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(val.toAbsolutePath().normalize() + ":3: row 99999 is out of range") && o.err().contains("2093 data rows"),
                o.err());
    }

    @Test
    void csaPrintsTheTableAndItsDiagonalEqualsTheWithinStudyRuns() throws Exception {
        Path runs = dir.resolve("runs");
        Path out = dir.resolve("csa");
        Outcome csa = cli(args("csa", EXPERIMENT.toString(), "--studies", "CCLE,gCSI", "--runs-dir", runs.toString(), "--out", out.toString()));
        assertEquals(0, csa.code(), csa.err());
        assertTrue(csa.err().contains("csa [1/2]: train on CCLE (split 0), score CCLE test and all of gCSI"), csa.err());
        assertTrue(csa.err().contains("csa [2/2]: train on gCSI (split 0)"), csa.err());
        assertTrue(csa.out().contains("model, pearson") && csa.out().contains("baseline drug_mean, rmse"), csa.out());
        JsonNode table = JSON.readTree(out.resolve("csa.json").toFile());
        assertEquals(List.of("CCLE", "gCSI"), List.of(table.get("studies").get(0).asText(), table.get("studies").get(1).asText()));
        List<String> csv = Files.readAllLines(out.resolve("csa.csv"));
        assertEquals("predictor,metric,source,target,value,low,high,n,run_id", csv.get(0));
        assertEquals(1 + 2 * 2 * 4, csv.size(), "model and drug_mean x pearson and rmse x 2 x 2 cells");
        for (String m : List.of("pearson", "rmse")) {
            byte[] png = Files.readAllBytes(out.resolve("csa_" + m + ".png"));
            assertEquals("PNG", new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII), "the heat map of the model's " + m);
        }

        JsonNode pearson = table.get("tables").get("model").get("pearson");
        JsonNode rmse = table.get("tables").get("model").get("rmse");
        // off the diagonal: every row of the target study (gCSI 712, CCLE 677 rows in the embedded tree)
        assertEquals(712, pearson.get(0).get(1).get("n").asInt());
        assertEquals(677, pearson.get(1).get(0).get("n").asInt());
        String[] studies = {"CCLE", "gCSI"};
        for (int s = 0; s < 2; s++) {
            Outcome within = cli(args("run", EXPERIMENT.toString(), "--runs-dir", dir.resolve("within").toString(), "--set",
                    "data.improve.study=" + studies[s], "--set", "split.index=0"));
            assertEquals(0, within.code(), within.err());
            Path run = Path.of(within.out().lines().filter(l -> l.startsWith("Run ")).findFirst().orElseThrow().replaceFirst("^Run [^:]+: ", ""));
            JsonNode test = JSON.readTree(run.resolve("metrics.json").toFile()).get("test");
            assertEquals(test.get("pearson").asDouble(), pearson.get(s).get(s).get("value").asDouble(), 0.0, studies[s] + " diagonal Pearson");
            assertEquals(test.get("rmse").asDouble(), rmse.get(s).get(s).get("value").asDouble(), 0.0, studies[s] + " diagonal RMSE");
            assertEquals(test.get("n").asInt(), pearson.get(s).get(s).get("n").asInt());
            assertTrue(pearson.get(s).get(s).get("low").asDouble() < test.get("pearson").asDouble());
        }
    }
}
