package org.oncobench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig;
import org.oncobench.config.ExperimentConfig.DataConfig;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.data.DelimitedFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * IMPROVE's cross-study analysis (CSA) as the field runs it: for each source study, a model trained on its split-k
 * train rows (validation rows for early stopping) and scored on its split-k test rows (the diagonal) and on every other
 * study's rows, all of them (off the diagonal; IMPROVE's workflow scores {@code <TARGET>_all.txt}). Each source x target
 * pair is one ordinary run, the experiment with {@code data.improve.study: SOURCE}, {@code split.index: k} and
 * {@code data.external} the target study, so its folder, metrics.json, report and resolved experiment.yaml are there to
 * inspect and rerun. The diagonal cell is the within-study test of the source's first run (every run of a source trains
 * on the same rows with the same seed). Needs an experiment with data.improve and split: {kind: files, index: k}.
 */
public final class CrossStudyTable {
    public static final List<String> DEFAULT_METRICS = List.of("pearson", "rmse");

    /** One predictor's table for one metric: rows source, columns target; NaN where undefined. */
    public record Cell(double value, double low, double high, int n, String runId) {
    }

    /**
     * @param cells predictor -> metric -> [source][target]
     */
    public record Result(String experiment, List<String> studies, int split, String target, List<String> metrics, List<String> predictors,
                         Map<String, Map<String, Cell[][]>> cells, Path dir) {
        public Cell cell(String predictor, String metric, int source, int target) {
            return cells.get(predictor).get(metric)[source][target];
        }
    }

    private final ExperimentRunner runner;
    private final Consumer<String> status;

    public CrossStudyTable(ExperimentRunner runner, Consumer<String> status) {
        this.runner = runner;
        this.status = status;
    }

    /**
     * @param studies the studies to cross (empty: every value of the study column, in file order)
     * @param split   the split index (null: the experiment's)
     * @param out     the folder for csa.json and csa.csv
     */
    public Result run(Path experiment, List<String> overrides, List<String> studies, Integer split, List<String> metrics, Path out) {
        ExperimentLoader loader = new ExperimentLoader();
        LoadedExperiment base = loader.load(experiment, overrides);
        ExperimentConfig config = base.config();
        if (!"files".equals(config.split().kind()) || config.split().files() == null || config.split().files().index() == null
                || config.data().rows().where() == null) {
            throw new BadInputException(experiment + ": csa trains on each study's split files: it needs data.improve (a study of IMPROVE's "
                    + "layout) and split: {kind: files, index: K}");
        }
        if (config.data().external() != null) {
            throw new BadInputException(experiment + ": csa chooses the target studies itself; remove data.external");
        }
        if (config.task().isClassification()) {
            throw new BadInputException(experiment + ": csa scores regression (IMPROVE's auc, ic50, ...); task.kind is classification");
        }
        int k = split == null ? config.split().files().index() : split;
        String column = config.data().rows().where().keySet().iterator().next();
        List<String> all = studiesIn(Path.of(config.data().rows().file()), column);
        List<String> chosen = studies.isEmpty() ? all : studies;
        for (String s : chosen) {
            if (!all.contains(s)) {
                throw new BadInputException("--studies: '" + s + "' is not a study of " + config.data().rows().file() + " (column " + column
                        + "); its studies: " + String.join(", ", all));
            }
        }
        List<String> known = List.of("rmse", "pearson", "spearman", "r2");
        for (String m : metrics) {
            if (!known.contains(m)) {
                throw new BadInputException("--metric " + m + " is not supported; allowed: " + String.join(", ", known));
            }
        }
        int n = chosen.size();
        int runs = n == 1 ? 1 : n * (n - 1);
        List<String> predictors = new ArrayList<>();
        predictors.add("model");
        predictors.addAll(config.evaluation().baselines());
        Map<String, Map<String, Cell[][]>> cells = new LinkedHashMap<>();
        for (String p : predictors) {
            Map<String, Cell[][]> byMetric = new LinkedHashMap<>();
            for (String m : metrics) {
                byMetric.put(m, new Cell[n][n]);
            }
            cells.put(p, byMetric);
        }
        int done = 0;
        for (int s = 0; s < n; s++) {
            List<String> sourceOverrides = new ArrayList<>(overrides);
            sourceOverrides.add("data.improve.study=" + chosen.get(s));
            sourceOverrides.add("split.study=" + chosen.get(s));
            sourceOverrides.add("split.index=" + k);
            DataConfig sourceData = loader.load(experiment, sourceOverrides).config().data();
            boolean diagonal = false;
            for (int t = 0; t < n; t++) {
                if (t == s && n > 1) {
                    continue;
                }
                List<String> cellOverrides = new ArrayList<>(sourceOverrides);
                if (t != s) {
                    cellOverrides.add("data.external=" + externalJson(sourceData, chosen.get(t), column));
                }
                done++;
                status.accept(String.format(Locale.ROOT, "csa [%d/%d]: train on %s (split %d), score %s test%s", done, runs, chosen.get(s), k,
                        chosen.get(s), t == s ? "" : " and all of " + chosen.get(t)));
                RunResult r = runner.run(loader.load(experiment, cellOverrides));
                JsonNode metricsJson = readJson(r.dir().resolve("metrics.json"));
                if (!diagonal) {
                    fill(cells, predictors, metrics, s, s, metricsJson, r.runId());
                    diagonal = true;
                }
                if (t != s) {
                    fill(cells, predictors, metrics, s, t, metricsJson.path("external").path(chosen.get(t)), r.runId());
                }
            }
        }
        Result result = new Result(config.name(), List.copyOf(chosen), k, config.data().rows().target(), List.copyOf(metrics), predictors, cells, out);
        write(result);
        return result;
    }

    /** The source study's data (long form) with the rows of the target study, as data.external. */
    private static String externalJson(DataConfig source, String target, String column) {
        ObjectMapper json = mapper();
        ObjectNode node = json.valueToTree(new DataConfig(source.rows(), source.sampleIds(), source.samples(), source.drugs(), source.groups(),
                source.maxUnmatched(), null));
        node.remove("external");
        node.put("name", target);
        ObjectNode where = ((ObjectNode) node.get("rows")).putObject("where");
        where.put(column, target);
        try {
            return json.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fill(Map<String, Map<String, Cell[][]>> cells, List<String> predictors, List<String> metrics, int s, int t, JsonNode scores,
                             String runId) {
        for (String p : predictors) {
            JsonNode sc = p.equals("model") ? scores.path("test") : scores.path("baselines").path(p);
            JsonNode iv = scores.path("significance").path("intervals").path(p);
            for (String m : metrics) {
                JsonNode v = sc.path(m);
                JsonNode i = iv.path(m);
                cells.get(p).get(m)[s][t] = new Cell(v.isNumber() ? v.asDouble() : Double.NaN, i.path("low").isNumber() ? i.path("low").asDouble()
                        : Double.NaN, i.path("high").isNumber() ? i.path("high").asDouble() : Double.NaN, sc.path("n").asInt(), runId);
            }
        }
    }

    /** The values of the study column, in the order they first appear. */
    static List<String> studiesIn(Path file, String column) {
        Set<String> seen = new LinkedHashSet<>();
        try (DelimitedFile in = DelimitedFile.open(file)) {
            int c = in.column(column, "data.rows.where");
            String[] row;
            while ((row = in.next()) != null) {
                seen.add(row[c].trim());
            }
        }
        return List.copyOf(seen);
    }

    private static ObjectMapper mapper() {
        ObjectMapper json = new ObjectMapper();
        json.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        json.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        return json;
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * csa.json (every predictor, metric and cell with its interval, n and run), csa.csv (one line per cell) and the
     * model's table per metric as a heat map, csa_METRIC.png.
     */
    private static void write(Result r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("experiment", r.experiment());
        root.put("target", r.target());
        root.put("split", r.split());
        root.put("studies", r.studies());
        root.put("protocol", "rows: source (trained on its split train rows); columns: target; diagonal: the source's split test rows; "
                + "off the diagonal: every row of the target study");
        Map<String, Object> tables = new LinkedHashMap<>();
        StringBuilder csv = new StringBuilder("predictor,metric,source,target,value,low,high,n,run_id\n");
        for (String p : r.predictors()) {
            Map<String, Object> byMetric = new LinkedHashMap<>();
            for (String m : r.metrics()) {
                List<Object> rows = new ArrayList<>();
                for (int s = 0; s < r.studies().size(); s++) {
                    List<Object> row = new ArrayList<>();
                    for (int t = 0; t < r.studies().size(); t++) {
                        Cell c = r.cell(p, m, s, t);
                        Map<String, Object> cell = new LinkedHashMap<>();
                        cell.put("value", finite(c.value()));
                        cell.put("low", finite(c.low()));
                        cell.put("high", finite(c.high()));
                        cell.put("n", c.n());
                        cell.put("run_id", c.runId());
                        row.add(cell);
                        csv.append(String.join(",", p, m, r.studies().get(s), r.studies().get(t), num(c.value()), num(c.low()), num(c.high()),
                                Integer.toString(c.n()), c.runId())).append('\n');
                    }
                    rows.add(row);
                }
                byMetric.put(m, rows);
            }
            tables.put(p, byMetric);
        }
        root.put("tables", tables);
        try {
            Files.createDirectories(r.dir());
            Files.writeString(r.dir().resolve("csa.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n");
            Files.writeString(r.dir().resolve("csa.csv"), csv);
            for (String m : r.metrics()) {
                double[][] v = new double[r.studies().size()][r.studies().size()];
                for (int s = 0; s < v.length; s++) {
                    for (int t = 0; t < v.length; t++) {
                        v[s][t] = r.cell("model", m, s, t).value();
                    }
                }
                org.knowm.xchart.BitmapEncoder.saveBitmap(org.oncobench.eval.Charts.heatMap("model " + m + " (" + r.target() + ", split "
                        + r.split() + ")", r.studies(), r.studies(), v), r.dir().resolve("csa_" + m + ".png").toString(),
                        org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new BadInputException(r.dir() + ": cannot write the cross-study table (" + e.getMessage() + ")");
        }
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    /** The table as text: per metric, the model's N x N table, then each baseline's. */
    public static String render(Result r) {
        StringBuilder sb = new StringBuilder();
        int w = Math.max(8, r.studies().stream().mapToInt(String::length).max().orElse(8) + 2);
        int first = Math.max(w, 16);
        sb.append(String.format(Locale.ROOT, "%nCross-study table (%s, split %d; rows: trained on, columns: scored on; diagonal: the split's test "
                + "rows, off it: the whole target study)%n", r.target(), r.split()));
        for (String m : r.metrics()) {
            for (String p : r.predictors()) {
                sb.append(String.format(Locale.ROOT, "%n  %s, %s%n  %-" + first + "s", p.equals("model") ? "model" : "baseline " + p, m,
                        "source \\ target"));
                for (String t : r.studies()) {
                    sb.append(String.format(Locale.ROOT, " %" + w + "s", t));
                }
                sb.append('\n');
                for (int s = 0; s < r.studies().size(); s++) {
                    sb.append(String.format(Locale.ROOT, "  %-" + first + "s", r.studies().get(s)));
                    for (int t = 0; t < r.studies().size(); t++) {
                        double v = r.cell(p, m, s, t).value();
                        sb.append(String.format(Locale.ROOT, " %" + w + "s", Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-"));
                    }
                    sb.append('\n');
                }
            }
        }
        sb.append(String.format(Locale.ROOT, "%nWrote %s and %s%n", r.dir().resolve("csa.json"), r.dir().resolve("csa.csv")));
        return sb.toString();
    }
}
