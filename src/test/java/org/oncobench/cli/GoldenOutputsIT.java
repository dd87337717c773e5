package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a run writes, pinned: metrics.json (without its run id and wall times), predictions.csv, report.md (without its
 * run id and its provenance section) and split.csv of four runs that between them use every post-training analysis — the quickstart, a k-fold run,
 * the cross-study experiment, and a run with explanations, intervals, randomisation tests and a learning curve — against
 * files recorded in {@code src/test/resources/golden/}. Recorded on one machine, they are compared byte for byte there
 * (the machine's fingerprint is recorded beside them): a refactoring of the pipeline must not change a bit. On another
 * CPU, matrix products round differently and training drifts, so there the split (pure Java) must match exactly and
 * the other files must have the same shape, with every number within 5% (a check of structure, not of bits).
 * {@code -Dgolden.record=true} records them again.
 */
class GoldenOutputsIT {
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FILES = List.of("metrics.json", "predictions.csv", "report.md", "split.csv");
    @TempDir
    static Path dir;

    static List<String> arguments(String name) {
        Path q = Path.of("experiments/quickstart.yaml");
        return switch (name) {
            case "quickstart" -> List.of("run", q.toString(), "--set", "training.epochs=5");
            case "kfold" -> List.of("run", q.toString(), "--set", "split={kind: kfold, folds: 3, validation: 0.1}", "--set", "training.epochs=3",
                    "--set", "evaluation.baselines=[drug_mean, drug_cell_additive, ridge, gbm]");
            case "cross-study" -> List.of("run", "experiments/cross-study.yaml", "--set", "training.epochs=3");
            case "analyses" -> List.of("run", q.toString(), "--set", "training.epochs=3", "--set", "evaluation.baselines=[drug_mean, ridge]",
                    "--set", "evaluation.explain={rows: 60, top: 5, steps: 16, repeats: 2, genes: 3}",
                    "--set", "evaluation.uncertainty={kind: mc_dropout, samples: 8, level: 0.8}",
                    "--set", "evaluation.randomization={tables: [expression], repeats: 1}", "--set", "evaluation.learning_curve=[0.5, 1.0]");
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"quickstart", "kfold", "cross-study", "analyses"})
    void aRunWritesWhatItWroteBefore(String name) throws Exception {
        Path runs = dir.resolve(name);
        List<String> args = new ArrayList<>(arguments(name));
        args.addAll(List.of("--runs-dir", runs.toString()));
        RunCommandIT.Result r = RunCommandIT.cli(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Path run = RunCommandIT.runFolders(runs).get(0);
        Path golden = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.record")) {
            Files.createDirectories(golden);
            for (String f : FILES) {
                Files.writeString(golden.resolve(f), comparable(run, f));
            }
            Files.writeString(golden.resolve("MACHINE"), machine());
            return;
        }
        assertTrue(Files.isDirectory(golden), "no golden files for " + name + ": record them with -Dgolden.record=true");
        boolean sameMachine = machine().equals(Files.readString(golden.resolve("MACHINE")));
        Path actualDir = Path.of("target/golden-actual").resolve(name); // what this run wrote, to diff against the recorded files
        Files.createDirectories(actualDir);
        for (String f : FILES) {
            Files.writeString(actualDir.resolve(f), comparable(run, f));
        }
        for (String f : FILES) {
            String expected = Files.readString(golden.resolve(f));
            String actual = comparable(run, f);
            if (sameMachine || f.equals("split.csv")) {
                assertEquals(expected, actual, name + ": " + f + " differs from the recorded one");
            } else if (f.equals("metrics.json")) {
                assertClose(JSON.readTree(expected), JSON.readTree(actual), name + ": metrics.json");
            } else {
                assertEquals(numbersMasked(expected), numbersMasked(actual), name + ": " + f + " has another shape");
            }
        }
    }

    /** A file of the run as it is compared: metrics.json without the run id and the wall times, report.md without the run id. */
    static String comparable(Path run, String file) throws IOException {
        String text = Files.readString(run.resolve(file));
        String id = run.getFileName().toString();
        return switch (file) {
            case "metrics.json" -> {
                ObjectNode m = (ObjectNode) JSON.readTree(text);
                m.remove(List.of("run_id", "timing"));
                withoutSeconds(m);
                yield JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n";
            }
            case "report.md" -> withoutProvenance(text.replace(id, "RUN_ID"));
            default -> text;
        };
    }

    /** report.md up to its provenance section (commit, paths, host and times: this checkout's and machine's, not the run's). */
    static String withoutProvenance(String report) {
        int at = report.indexOf("\n## Provenance\n");
        return at < 0 ? report : report.substring(0, at + 1);
    }

    /** Drops every field that holds wall time ({@code *_seconds}, {@code seconds}) anywhere in the tree. */
    static void withoutSeconds(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> drop = new ArrayList<>();
            o.fieldNames().forEachRemaining(k -> {
                if (k.equals("seconds") || k.endsWith("_seconds")) {
                    drop.add(k);
                }
            });
            o.remove(drop);
        }
        node.forEach(GoldenOutputsIT::withoutSeconds);
    }

    static String numbersMasked(String text) {
        return text.replaceAll("-?[0-9]+(\\.[0-9]+)?(e-?[0-9]+)?", "#");
    }

    static void assertClose(JsonNode expected, JsonNode actual, String where) {
        if (expected.isNumber() && actual.isNumber()) {
            double e = expected.asDouble();
            double a = actual.asDouble();
            assertTrue(Math.abs(e - a) <= 0.05 * Math.max(1, Math.abs(e)), where + ": " + a + " where " + e + " was recorded");
            return;
        }
        assertEquals(expected.getNodeType(), actual.getNodeType(), where);
        if (expected.isObject()) {
            assertEquals(fieldNames(expected), fieldNames(actual), where + ": keys");
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertClose(e.getValue(), actual.get(e.getKey()), where + "." + e.getKey());
            }
        } else if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), where + ": length");
            for (int i = 0; i < expected.size(); i++) {
                assertClose(expected.get(i), actual.get(i), where + "[" + i + "]");
            }
        } else if (expected.isTextual() && !where.endsWith("best_baseline")) {
            assertEquals(expected.asText().replaceAll("[0-9.]+", "#"), actual.asText().replaceAll("[0-9.]+", "#"), where);
        }
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** What decides the bits: the CPU, the cores, the JVM and ND4J's thread count. */
    static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst().orElse("unknown");
        return cpu + "\ncores " + Runtime.getRuntime().availableProcessors() + "\njava " + System.getProperty("java.vm.version") + "\nOMP_NUM_THREADS "
                + System.getenv("OMP_NUM_THREADS") + "\n";
    }
}
