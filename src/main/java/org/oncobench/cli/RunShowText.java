package org.oncobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.oncobench.runs.RunConfigDiff;
import org.oncobench.runs.RunOverrides;
import org.oncobench.runs.RunRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The human summary {@code runs show RUN} prints: who the run is, its overrides and how its configuration differs from
 * the experiment file, the headline test metrics with their bootstrap intervals beside the best baseline, the verdict,
 * provenance, and the files in the run folder with their sizes. {@code --json} prints everything instead.
 */
final class RunShowText {
    private RunShowText() {
    }

    static String render(RunRecord r, Path dir, JsonNode metrics, JsonNode provenance, RunConfigDiff diff) {
        StringBuilder out = new StringBuilder();
        line(out, "Run %s (%s): %s, %s split, %s model, started %s%s", r.id(), r.name(), r.status(), r.split(), r.model(), r.started(),
                r.finished() == null ? "" : ", finished " + r.finished() + " (" + RunsCommand.duration(r.durationSeconds()) + ")");
        if (r.error() != null) {
            line(out, "  %s", r.error());
        }
        if (r.study() != null) {
            line(out, "  trial of study %s", r.study());
        }
        if (r.group() != null) {
            line(out, "  member of run group %s", r.group());
        }
        Map<String, String> overrides = RunOverrides.distinguishing(r);
        if (!overrides.isEmpty()) {
            line(out, "  %s: %s", r.study() != null ? "parameters" : "overrides", RunOverrides.text(overrides));
        }
        if (r.tags() != null && !r.tags().isEmpty()) {
            line(out, "  tags: %s", RunsCommand.tagText(r.tags()));
        }
        if (r.note() != null) {
            line(out, "  note: %s", r.note());
        }

        out.append(System.lineSeparator());
        if (diff.problem() != null) {
            line(out, "Configuration: not compared with the experiment file (%s); the run's own is %s", diff.problem(), dir.resolve("experiment.yaml"));
        } else if (diff.differences().isEmpty()) {
            line(out, "Configuration: as in %s", diff.file());
        } else {
            line(out, "Configuration differences from %s (file -> run):", diff.file());
            int w = diff.differences().keySet().stream().mapToInt(String::length).max().orElse(0);
            diff.differences().forEach((k, v) -> line(out, "  %-" + w + "s  %s -> %s", k, v.get(0), v.get(1)));
        }

        out.append(System.lineSeparator());
        metrics(out, dir, metrics);

        if (provenance != null) {
            out.append(System.lineSeparator());
            line(out, "Provenance: git %s%s; DL4J %s, ND4J %s, backend %s; %s cores; %s; %s",
                    provenance.path("git").path("commit").asText("none"), provenance.path("git").path("dirty").asBoolean() ? " (dirty)" : "",
                    provenance.path("versions").path("dl4j").asText(), provenance.path("versions").path("nd4j").asText(),
                    provenance.path("backend").path("name").asText(), provenance.path("host").path("cores").asText(),
                    provenance.path("host").path("jvm").asText(), provenance.path("host").path("os").asText());
            provenance.path("inputs").fields().forEachRemaining(e -> line(out, "  sha256 %s...  %s",
                    e.getValue().asText().substring(0, Math.min(16, e.getValue().asText().length())), e.getKey()));
        }

        out.append(System.lineSeparator());
        files(out, dir);
        return out.toString();
    }

    /** Test metrics with their intervals, the best baseline's headline beside the model's, and the verdict. */
    private static void metrics(StringBuilder out, Path dir, JsonNode metrics) {
        if (metrics == null) {
            line(out, "Test metrics: none yet (no %s)", dir.resolve("metrics.json"));
            return;
        }
        if (!metrics.isObject() || metrics.path("test").isEmpty()) {
            line(out, "Test metrics: none (%s holds no test metrics)", dir.resolve("metrics.json"));
            return;
        }
        JsonNode sig = metrics.path("significance");
        JsonNode model = sig.path("intervals").path("model");
        if (model.isObject()) {
            line(out, "Test metrics (n = %s rows; %.0f%% bootstrap intervals over %s %s):", metrics.path("test").path("n").asText(),
                    100 * sig.path("level").asDouble(0.95), sig.path("units").asText(), sig.path("unit").asText("units"));
        } else {
            line(out, "Test metrics (n = %s rows; no intervals: the run computed no significance):", metrics.path("test").path("n").asText());
        }
        List<String> keys = new ArrayList<>();
        metrics.path("test").fieldNames().forEachRemaining(k -> {
            if (!k.equals("n") && metrics.path("test").path(k).isNumber()) {
                keys.add(k);
            }
        });
        int w = keys.stream().mapToInt(String::length).max().orElse(0);
        for (String k : keys) {
            line(out, "  %-" + w + "s  %s%s", k, RunsCommand.fmt(metrics.path("test").path(k).asDouble()), interval(model.path(k)));
        }
        String best = metrics.path("best_baseline").asText(null);
        String metric = "classification".equals(metrics.path("task").asText()) ? "auc" : "rmse";
        if (best != null) {
            JsonNode b = metrics.path("baselines").path(best);
            JsonNode difference = sig.path("model_minus_baseline").path(best).path(metric);
            line(out, "  best baseline %s: %s %s%s%s", best, metric, RunsCommand.fmt(b.path(metric).isNumber() ? b.path(metric).asDouble() : null),
                    interval(sig.path("intervals").path(best).path(metric)), difference.isObject() ? String.format(Locale.ROOT,
                            "; model - %s: %+.3f%s", best, difference.path("estimate").asDouble(), interval(difference)) : "");
        }
        JsonNode perDrug = metrics.path("per_drug");
        if (perDrug.path("pearson_mean").isNumber()) {
            line(out, "  per drug: Pearson mean %s, median %s over %s drugs", RunsCommand.fmt(perDrug.path("pearson_mean").asDouble()),
                    RunsCommand.fmt(perDrug.path("pearson_median").asDouble()), perDrug.path("groups_with_pearson").asText());
        }
        JsonNode verdict = metrics.path("verdict");
        if (verdict.path("text").isTextual()) {
            line(out, "Verdict: %s", verdict.path("text").asText());
        }
    }

    /** " [low, high]" of an interval node, or "" without one. */
    private static String interval(JsonNode n) {
        return n.path("low").isNumber() && n.path("high").isNumber()
                ? " [" + RunsCommand.fmt(n.path("low").asDouble()) + ", " + RunsCommand.fmt(n.path("high").asDouble()) + "]" : "";
    }

    /** The run folder's files (hidden temporaries left out) with sizes; a folder as its file count and total size. */
    private static void files(StringBuilder out, Path dir) {
        line(out, "Files in %s:", dir);
        List<String[]> rows = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    long[] countAndBytes = {0, 0};
                    try (Stream<Path> walk = Files.walk(p)) {
                        walk.filter(Files::isRegularFile).forEach(f -> {
                            countAndBytes[0]++;
                            countAndBytes[1] += f.toFile().length();
                        });
                    }
                    rows.add(new String[]{name + "/", size(countAndBytes[1]), countAndBytes[0] + (countAndBytes[0] == 1 ? " file" : " files")});
                } else {
                    rows.add(new String[]{name, size(Files.size(p)), ""});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list the run folder", e);
        }
        int w = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int sw = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        for (Iterator<String[]> it = rows.iterator(); it.hasNext(); ) {
            String[] r = it.next();
            out.append(String.format(Locale.ROOT, "  %-" + w + "s  %" + sw + "s%s", r[0], r[1], r[2].isEmpty() ? "" : "  " + r[2]).stripTrailing())
                    .append(System.lineSeparator());
        }
    }

    static String size(long bytes) {
        return bytes < 1000 ? bytes + " B" : bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
