package org.oncobench.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oncobench.config.ExperimentConfig.ConvConfig;
import org.oncobench.config.ExperimentConfig.DataConfig;
import org.oncobench.config.ExperimentConfig.EarlyStoppingConfig;
import org.oncobench.config.ExperimentConfig.ScheduleConfig;
import org.oncobench.config.ExperimentConfig.EvaluationConfig;
import org.oncobench.config.ExperimentConfig.ExplainConfig;
import org.oncobench.config.ExperimentConfig.ExternalConfig;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.oncobench.config.ExperimentConfig.GroupConfig;
import org.oncobench.config.ExperimentConfig.ImageTableConfig;
import org.oncobench.config.ExperimentConfig.RandomizationConfig;
import org.oncobench.config.ExperimentConfig.SampleTableConfig;
import org.oncobench.config.ExperimentConfig.MatrixTableConfig;
import org.oncobench.config.ExperimentConfig.ModelConfig;
import org.oncobench.config.ExperimentConfig.OptimizerConfig;
import org.oncobench.config.ExperimentConfig.RowsConfig;
import org.oncobench.config.ExperimentConfig.SampleIdsConfig;
import org.oncobench.config.ExperimentConfig.SelectConfig;
import org.oncobench.config.ExperimentConfig.SplitConfig;
import org.oncobench.config.ExperimentConfig.TaskConfig;
import org.oncobench.config.ExperimentConfig.TrainingConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an experiment tree into an {@link ExperimentConfig}, collecting every violation (key path, bad value,
 * what is allowed) before failing. Checks that referenced files exist; reads none of them.
 */
final class ExperimentValidator {
    static final List<String> SPLITS = List.of("mixed", "cell-blind", "drug-blind", "group-blind", "tissue-blind", "kfold", "LPO", "LCO",
            "LDO", "LTO", "files");
    /**
     * DrEval's test modes (drevalpy {@code --test_mode}): leave pairs, cell lines, drugs or tissues out, each a
     * cross-validation (DrEval's {@code split_dataset}: GroupKFold over the unit), so here k-fold grouped by that unit.
     */
    static final Map<String, String> DREVAL_MODES = Map.of("LPO", "row", "LCO", "sample", "LDO", "drug", "LTO", "tissue");
    /** DrEval's defaults where they differ from ours: {@code --n_cv_splits} 7 (drevalpy/utils.py); its validation_ratio, 0.1 of
     * the training units (datasets/dataset.py), is ours too. */
    static final int DREVAL_FOLDS = 7;
    static final List<String> TASKS = List.of("regression", "classification");
    static final List<String> MISSING = List.of("fail", "median");
    /** GDSC columns computed from the outcome: using them as target or feature leaks it. */
    static final Map<String, String> OUTCOME_DERIVED = Map.of(
            "Z_SCORE", "GDSC's Z_SCORE is LN_IC50 standardised per drug over all cell lines, test ones included",
            "RMSE", "GDSC's RMSE is the fit quality of the dose-response curve the outcome comes from");
    static final List<String> MODELS = List.of("mlp", "resmlp", "twin", "cnn", "multimodal", "film", "factorization", "auto");
    static final List<String> NORMS = List.of("batch", "layer", "none");
    static final List<String> BRANCHES = List.of("dense", "conv1d");
    static final List<String> LOSSES = List.of("mse", "huber");
    static final List<String> SCHEDULES = List.of("none", "step", "exponential", "cosine", "one_cycle");
    static final List<String> ACTIVATIONS = List.of("relu", "leakyrelu", "elu", "tanh", "swish");
    static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd", "nesterovs");
    static final List<String> BASELINES = List.of("global_mean", "drug_mean", "cell_mean", "drug_cell_additive", "group_mean",
            "group_drug_mean", "ridge", "gbm", "rf");
    static final List<String> CLASSIFICATION_BASELINES = List.of("class_prior", "group_mean", "logistic", "gbm", "rf");
    /** Baselines allowed when named but not fitted by default (they cost minutes at scale: inner CV, a model per drug). */
    static final List<String> OPT_IN_BASELINES = List.of("elastic_net", "svr", "single_drug_elastic_net", "single_drug_rf");
    static final List<String> OPT_IN_CLASSIFICATION_BASELINES = List.of("logistic_l1");
    /** Baselines that need a drug column in the rows. */
    static final List<String> DRUG_BASELINES = List.of("drug_mean", "cell_mean", "drug_cell_additive", "group_drug_mean", "single_drug_elastic_net",
            "single_drug_rf");

    private final List<Violation> violations = new ArrayList<>();
    private final Path file;
    /** The primary study's data.improve expansion, whose split files split: {kind: files, index: k} names (null without one). */
    private ImproveLayout.Parts improve;

    ExperimentValidator(Path file) {
        this.file = file;
    }

    ExperimentConfig validate(ObjectNode root) {
        Path baseDir = file.toAbsolutePath().getParent();
        Section top = new Section(root, "", violations, baseDir);
        top.allowOnly(Set.of("name", "seed", "seeds", "data", "task", "split", "model", "training", "evaluation"));
        String defaultName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        String name = top.string("name", defaultName);
        if (name != null && !name.matches("[A-Za-z0-9._-]{1,64}")) {
            top.fail("name", "'" + name + "' cannot be used in a run id", "1-64 letters, digits, '.', '_' or '-'");
        }
        long seed = top.integer("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE); // any seed, 0 and negative ones included

        DataConfig data = data(top.section("data", true));
        TaskConfig task = task(top.section("task", false));
        boolean intervals = root.path("evaluation").has("uncertainty");
        SplitConfig split = split(top.section("split", false), data, intervals);
        ModelConfig model = model(top.section("model", false), data, task);
        if ("auto".equals(model.kind()) && "kfold".equals(split.kind())) {
            top.section("model", false).fail("kind", "auto tunes on the validation rows of a single split; a " + split.kind()
                    + " run has folds", "a single split (mixed, cell-blind, drug-blind, group-blind), or a concrete kind (mlp, twin, ...)");
        }
        TrainingConfig training = training(top.section("training", false), split);
        EvaluationConfig evaluation = evaluation(top.section("evaluation", false), data, task);
        if (evaluation.uncertainty() != null) {
            intervalsNeed(top.section("evaluation", false).section("uncertainty", false), top.section("split", false), evaluation.uncertainty(),
                    split, model, data);
        }
        if (model.members() > 1) {
            ensembleNeeds(top.section("evaluation", false), top.section("model", false), model, evaluation);
        }
        if (model.residualOver() != null) {
            Section ev = top.section("evaluation", false);
            // their sampling and attribution code predicts the network alone; refused rather than silently missing the naive part
            for (String key : List.of("explain", "uncertainty")) {
                if (ev.has(key)) {
                    ev.fail(key, "not yet supported with model.target.residual_over (the network alone would be explained / sampled)",
                            "drop evaluation." + key + ", or model.target");
                }
            }
        }

        List<Long> seeds = top.integerList("seeds", List.of(), 0, Integer.MAX_VALUE).stream().map(Integer::longValue).distinct().toList();
        if (!violations.isEmpty()) {
            throw new ConfigException(file, violations);
        }
        return new ExperimentConfig(name, seed, data, task, split, model, training, evaluation, seeds);
    }

    private DataConfig data(Section s) {
        return data(s, false);
    }

    private DataConfig data(Section s, boolean external) {
        Set<String> common = external ? Set.of("name", "min_shared", "max_unmatched") : Set.of("max_unmatched", "external");
        if (s.has("dreval")) {
            Set<String> keys = new java.util.HashSet<>(common);
            keys.add("dreval");
            s.allowOnly(keys);
            DrEvalLayout.Parts parts = DrEvalLayout.expand(s.section("dreval", true));
            return withExternal(s, external, parts.rows(), null, parts.samples(), parts.drugs(), parts.groups());
        }
        if (s.has("improve")) {
            Set<String> keys = new java.util.HashSet<>(common);
            keys.add("improve");
            s.allowOnly(keys);
            ImproveLayout.Parts parts = ImproveLayout.expand(s.section("improve", true));
            if (!external) {
                improve = parts;
            }
            return withExternal(s, external, parts.rows(), null, parts.samples(), parts.drugs(), Map.of());
        }
        Set<String> keys = new java.util.HashSet<>(common);
        keys.addAll(Set.of("rows", "sample_ids", "samples", "drugs", "groups", "dreval", "improve"));  // the one-key forms above
        s.allowOnly(keys);
        Section r = s.section("rows", true);
        r.allowOnly(Set.of("file", "sample", "drug", "target", "replicates", "missing", "where"));
        Map<String, String> where = null;
        if (r.has("where")) {
            Map<String, String> pairs = new LinkedHashMap<>();
            r.raw("where").fields().forEachRemaining(e -> pairs.put(e.getKey(), e.getValue().asText()));
            if (pairs.size() != 1 || !r.raw("where").fields().next().getValue().isValueNode()) {
                r.fail("where", "keeps the rows whose column holds one value", "one column: value, e.g. {source: CCLE}");
            }
            where = pairs;
        }
        RowsConfig rows = new RowsConfig(r.existingFile("file"), r.string("sample", null), r.optionalString("drug"),
                r.string("target", null), r.choice("replicates", "mean", List.of("mean", "first", "refuse")),
                r.choice("missing", RowsConfig.MISSING_DEFAULT, List.of("drop", "refuse")), where);
        if (rows.target() != null && OUTCOME_DERIVED.containsKey(rows.target())) {
            r.fail("target", "'" + rows.target() + "' is derived from the outcome (" + OUTCOME_DERIVED.get(rows.target()) + ")",
                    "the response itself, e.g. LN_IC50 or AUC");
        }

        SampleIdsConfig ids = null;
        if (s.has("sample_ids")) {
            Section m = s.section("sample_ids", false);
            m.allowOnly(Set.of("file", "from", "to"));
            ids = new SampleIdsConfig(m.existingFile("file"), m.string("from", null), m.string("to", null));
        }

        Map<String, SampleTableConfig> samples = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : s.namedSections("samples").entrySet()) {
            Section m = e.getValue();
            if (m.has("dir")) {
                m.allowOnly(Set.of("dir", "size"));
                List<Integer> size = m.integerList("size", List.of(32, 32, 1), 1, 4096);
                if (size.size() != 3 || size.get(2) > 4) {
                    m.fail("size", size + " is not an image size", "[height, width, channels] with 1 to 4 channels, e.g. [64, 64, 1]");
                }
                samples.put(e.getKey(), new ImageTableConfig(m.existingDir("dir"), size));
                continue;
            }
            m.allowOnly(Set.of("file", "id", "select", "missing", "transform", "ignore", "header_rows", "name_row"));
            SelectConfig select = null;
            if (m.has("select")) {
                Section sel = m.section("select", false);
                sel.allowOnly(Set.of("top_variance", "genes"));
                Integer top = sel.has("top_variance") ? (int) sel.integer("top_variance", 1000, 1, Integer.MAX_VALUE) : null;
                String genes = sel.has("genes") ? sel.existingFile("genes") : null;
                if (top == null && genes == null) {
                    m.fail("select", "empty selection", "top_variance: N and/or genes: FILE (one gene symbol per line)");
                }
                select = new SelectConfig(top, genes);
            }
            String transform = m.choice("transform", "none", List.of("none", "log1p"));
            List<String> ignore = m.has("ignore") ? m.textList("ignore") : null;
            Integer headerRows = m.has("header_rows") ? (int) m.integer("header_rows", 1, 1, 10) : null;
            Integer nameRow = m.has("name_row") ? (int) m.integer("name_row", 0, 0, headerRows == null ? 0 : headerRows - 1) : null;
            samples.put(e.getKey(), new MatrixTableConfig(m.existingFile("file"), m.has("id") || headerRows == null ? m.string("id", null)
                    : null, select, m.choice("missing", "fail", MISSING), "none".equals(transform) ? null : transform, ignore, headerRows, nameRow));
        }
        if (samples.isEmpty()) {
            s.fail("samples", "no sample feature table", "at least one table, e.g. expression: {file: expression.csv, id: ModelID}");
        }

        Map<String, FingerprintTableConfig> drugs = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : s.namedSections("drugs").entrySet()) {
            Section d = e.getValue();
            d.allowOnly(Set.of("file", "id", "smiles", "radius", "bits", "precomputed"));
            drugs.put(e.getKey(), new FingerprintTableConfig(d.existingFile("file"), d.string("id", null),
                    d.string("smiles", "SMILES"), (int) d.integer("radius", 2, 0, 3), (int) d.integer("bits", 1024, 16, 16384),
                    d.has("precomputed") ? d.choice("precomputed", "auto", List.of("rows", "columns", "auto")) : null));
        }
        return withExternal(s, external, rows, ids, samples, drugs, groups(s));
    }

    private Map<String, GroupConfig> groups(Section s) {
        Map<String, GroupConfig> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : s.namedSections("groups").entrySet()) {
            Section g = e.getValue();
            g.allowOnly(Set.of("file", "id", "column"));
            groups.put(e.getKey(), new GroupConfig(g.existingFile("file"), g.string("id", null), g.string("column", null)));
        }
        return groups;
    }

    private DataConfig withExternal(Section s, boolean external, RowsConfig rows, SampleIdsConfig ids, Map<String, SampleTableConfig> samples,
                                    Map<String, FingerprintTableConfig> drugs, Map<String, GroupConfig> groups) {
        if (!drugs.isEmpty() && rows.drug() == null) {
            s.fail("drugs", "drug tables need a drug column in the rows", "set data.rows.drug (e.g. DRUG_ID) or remove data.drugs");
        }

        double maxUnmatched = s.number("max_unmatched", 0.5, 0.0, 1.0, false);
        ExternalConfig externalStudy = null;
        if (!external && s.has("external")) {
            Section x = s.section("external", false);
            DataConfig other = data(x, true);
            if (!other.samples().keySet().equals(samples.keySet())) {
                x.fail("samples", "the external study's tables " + other.samples().keySet() + " are not the primary study's",
                        "the same names as data.samples: " + samples.keySet());
            }
            if (!other.drugs().keySet().equals(drugs.keySet())) {
                x.fail("drugs", "the external study's drug tables " + other.drugs().keySet() + " are not the primary study's",
                        "the same names as data.drugs: " + drugs.keySet());
            }
            if (other.samples().values().stream().anyMatch(t -> t instanceof ImageTableConfig)) {
                x.fail("samples", "image tables cannot be aligned across studies yet", "omics and fingerprint tables");
            }
            externalStudy = new ExternalConfig(x.string("name", "external"), x.number("min_shared", 0.5, 0.0, 1.0, false), other);
        }
        return new DataConfig(rows, ids, samples, drugs, groups, maxUnmatched, externalStudy);
    }

    private TaskConfig task(Section t) {
        t.allowOnly(Set.of("kind", "positive", "threshold"));
        String kind = t.choice("kind", "regression", TASKS);
        if (!"classification".equals(kind)) {
            if (t.has("positive") || t.has("threshold")) {
                t.fail("kind", "positive and threshold need kind: classification", "kind: classification");
            }
            return new TaskConfig(kind, null, null);
        }
        Double threshold = t.has("threshold") ? t.number("threshold", 0, -1e12, 1e12, false) : null;
        String positive;
        if (threshold != null) {
            positive = t.choice("positive", "below", List.of("below", "above"));
        } else {
            positive = t.string("positive", null);
            if (positive == null) {
                violations.removeIf(v -> v.path().equals(t.keyPath("positive")));
                t.fail("positive", "missing", "the positive class label (e.g. positive: Cancer), or threshold: T with positive: below|above");
            }
        }
        return new TaskConfig(kind, positive, threshold);
    }

    /**
     * @param intervals whether evaluation.uncertainty asks for prediction intervals, which calibrate on a part of their
     *                  own: {@code calibration} defaults to 0.1 of the units for a single split then, else 0
     */
    private SplitConfig split(Section s, DataConfig data, boolean intervals) {
        if ("files".equals(s.optionalString("kind"))) {
            return splitFiles(s);
        }
        s.allowOnly(Set.of("kind", "test", "validation", "group", "folds", "repeats", "final_model", "seed", "calibration"));
        String kind = s.choice("kind", "cell-blind", SPLITS);
        // with an external study to score on, the primary study may train on everything (test: 0)
        double test = s.number("test", 0.2, data.external() != null ? 0.0 : 0.01, 0.9, true);
        double validation = s.number("validation", 0.1, 0.0, 0.9, true);
        String group = s.optionalString("group");
        Long seed = s.has("seed") ? s.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : null;
        boolean single = !"kfold".equals(kind) && !DREVAL_MODES.containsKey(kind);
        double calibration = s.number("calibration", intervals && single && data.external() == null ? 0.1 : 0.0, 0.0, 0.5, true);
        Integer folds = null;
        Integer repeats = null;
        String mode = DREVAL_MODES.containsKey(kind) ? kind : null;
        if (mode != null) {
            if (group != null) {
                s.fail("group", mode + " holds out " + DREVAL_MODES.get(mode) + "s; it takes no group", "remove it, or kind: kfold with group");
            }
            if (s.has("test")) {
                s.fail("test", mode + " is a cross-validation: each fold tests 1/folds of the units", "remove it, and set folds (default "
                        + DREVAL_FOLDS + ", as DrEval)");
            }
            kind = "kfold";
            group = DREVAL_MODES.get(mode);
        }
        if ("tissue-blind".equals(kind)) {
            kind = "group-blind";
            group = group == null ? "tissue" : group;
        }
        if ("kfold".equals(kind) && data.external() != null) {
            s.fail("kind", "cross-study evaluation (data.external) needs a single split", "mixed, cell-blind, drug-blind, group-blind");
        }
        if ("kfold".equals(kind)) {
            folds = (int) s.integer("folds", mode != null ? DREVAL_FOLDS : 5, 2, 100);
            repeats = (int) s.integer("repeats", 1, 1, 100);
            group = group == null ? "sample" : group;
            if (!List.of("sample", "drug", "row").contains(group) && !data.groups().containsKey(group)) {
                s.fail("group", "'" + group + "' is neither sample, drug, row nor a table under data.groups",
                        "sample, drug, row" + (data.groups().isEmpty() ? "" : ", " + String.join(", ", data.groups().keySet())));
            }
            if ("drug".equals(group) && data.rows().drug() == null) {
                s.fail("group", "drug folds need a drug column in the rows", "sample, row");
            }
            if (validation >= 0.5) {
                s.fail("validation", validation + " of each training part is too much", "a number in [0, 0.5)");
            }
            if (calibration > 0) {
                s.fail("calibration", "calibration rows are held out of a single split (for evaluation.uncertainty's intervals); k-fold runs "
                        + "calibrate no intervals", "remove it, or a single split (mixed, cell-blind, drug-blind, group-blind)");
            }
        } else {
            if (s.has("folds") || s.has("repeats")) {
                s.fail("kind", "folds and repeats need kind: kfold", "kind: kfold");
            }
            if (test + validation + calibration >= 0.9) {
                s.fail(calibration > 0 ? "calibration" : "validation", calibration > 0
                        ? "test + validation + calibration = " + (test + validation + calibration) + " leaves too little to train on"
                        : "test + validation = " + (test + validation) + " leaves too little to train on",
                        calibration > 0 ? "test + validation + calibration < 0.9" : "test + validation < 0.9");
            }
            if ("group-blind".equals(kind)) {
                if (group == null) {
                    s.fail("group", "missing", "the name of a table under data.groups, e.g. tissue or batch");
                } else if (!data.groups().containsKey(group)) {
                    s.fail("group", "'" + group + "' is not a table under data.groups",
                            data.groups().isEmpty() ? "add one, e.g. data.groups.tissue: {file, id, column}" : String.join(", ", data.groups().keySet()));
                }
            } else if (group != null) {
                s.fail("group", "group is used only by group-blind and kfold splits", "remove it, or set kind: group-blind");
            }
            if ("drug-blind".equals(kind) && data.rows().drug() == null) {
                s.fail("kind", "a drug-blind split needs a drug column in the rows", "mixed, cell-blind, group-blind, kfold");
            }
        }
        boolean finalModel = s.bool("final_model", false);
        if (finalModel && !"kfold".equals(kind)) {
            s.fail("final_model", "only k-fold runs train a final model (a single split saves its model anyway)", "remove it, or set kind: kfold");
        }
        return new SplitConfig(kind, test, validation, group, folds, repeats, finalModel, seed, calibration);
    }

    /**
     * {@code split: {kind: files}}: IMPROVE's split files, named by {@code study} and {@code index} under data.improve's
     * {@code splits/} ({@code <study>_split_<index>_{train,val,test}.txt}), or given as {@code train}, {@code validation},
     * {@code test} files (relative to the experiment). The files are read with the rows ({@code data.SplitFiles}).
     */
    private SplitConfig splitFiles(Section s) {
        // the resolved form (a run's experiment.yaml) has the files under files: and the numeric keys of every split
        s.allowOnly(Set.of("kind", "study", "index", "train", "validation", "test", "files", "final_model", "calibration"));
        Section f = s.has("files") ? s.section("files", false) : s;
        if (s.has("files")) {
            f.allowOnly(Set.of("train", "validation", "test", "study", "index"));
        }
        if (s.bool("final_model", false) || s.number("calibration", 0, 0, 0.5, true) > 0) {
            s.fail("kind", "split files fix the parts: no final model and no calibration part", "remove final_model and calibration");
        }
        for (String key : List.of("test", "validation")) {
            JsonNode v = s.raw(key);
            if (v != null && v.isNumber() && v.asDouble() != 0) {
                s.fail(key, "split files fix the parts; a share does not apply", "remove it, or name a file: " + key + ": FILE");
            }
        }
        String study = f.optionalString("study");
        Integer index = f.has("index") ? (int) f.integer("index", 0, 0, 10_000) : null;
        String train;
        String validation;
        String test;
        boolean named = f.raw("train") != null && f.raw("train").isTextual() || f.raw("test") != null && f.raw("test").isTextual();
        if (named) {
            train = f.existingFile("train");
            validation = f.raw("validation") != null && f.raw("validation").isTextual() ? f.existingFile("validation") : null;
            test = f.existingFile("test");
        } else {
            if (improve == null) {
                s.fail("kind", "files needs the split files: train, validation, test (0-based row positions into the rows file), or "
                        + "data.improve with index", "train: FILE, validation: FILE, test: FILE; or data.improve and index: K");
                return new SplitConfig("files", 0, 0, null, null, null, false, null, 0, null);
            }
            study = study == null ? improve.study() : study;
            if (study == null) {
                s.fail("study", "missing: the split files are named <study>_split_<index>_*.txt", "a study of response.tsv, e.g. CCLE");
            }
            if (index == null) {
                s.fail("index", "missing: which of the study's split files", "0 to 9 (IMPROVE releases ten splits per study)");
            }
            if (study == null || index == null) {
                return new SplitConfig("files", 0, 0, null, null, null, false, null, 0, null);
            }
            Section in = s.resolvingAgainst(improve.splits());
            String prefix = study + "_split_" + index + "_";
            train = in.existingFile("index", prefix + "train.txt");
            validation = in.existingFile("index", prefix + "val.txt");
            test = in.existingFile("index", prefix + "test.txt");
        }
        return new SplitConfig("files", 0, 0, null, null, null, false, null, 0,
                new ExperimentConfig.SplitFilesConfig(train, validation, test, study, index));
    }

    /**
     * Prediction intervals keep split conformal's coverage guarantee only when their calibration rows chose nothing (not
     * the best epoch, not a baseline's settings, not a study's trial): they need a calibration part of a single split, and
     * Monte Carlo dropout needs dropout to sample. Refused here, before any data is read, rather than after training.
     */
    private void intervalsNeed(Section u, Section split, ExperimentConfig.UncertaintyConfig uncertainty, SplitConfig s, ModelConfig model,
                               DataConfig data) {
        if ("kfold".equals(s.kind())) {
            u.fail("kind", "prediction intervals calibrate on a part of a single split; a k-fold run has none",
                    "a single split (mixed, cell-blind, drug-blind, group-blind) with split.calibration, or remove evaluation.uncertainty");
        } else if (data.external() != null) {
            u.fail("kind", "prediction intervals are calibrated for the primary study's rows, not an external study's",
                    "remove data.external or evaluation.uncertainty");
        } else if (s.calibration() == 0) {
            split.fail("calibration", "evaluation.uncertainty calibrates its intervals on rows that chose nothing (validation rows pick the "
                    + "epoch and the baselines' settings, so split conformal's guarantee would not hold on them)", "a share in (0, 0.5), e.g. 0.1");
        }
        if ("mc_dropout".equals(uncertainty.kind()) && model.dropout() == 0) {
            u.fail("kind", "mc_dropout samples the network's dropout, and model.dropout is 0", "model.dropout > 0, or kind: ensemble or conformal");
        }
    }

    private ModelConfig model(Section s, DataConfig data, TaskConfig task) {
        s.allowOnly(Set.of("kind", "hidden", "dropout", "activation", "l2", "batch_norm", "branch", "branch_hidden", "conv", "loss", "target", "ensemble",
                "norm", "input_dropout", "input_noise", "embedding_dim", "tune"));
        String kind = s.choice("kind", "mlp", MODELS);
        Section c = s.section("conv", false);
        c.allowOnly(Set.of("filters", "kernel", "pool"));
        ConvConfig conv = new ConvConfig(c.integerList("filters", List.of(16, 32), 1, 4096), (int) c.integer("kernel", 5, 1, 99),
                (int) c.integer("pool", 2, 1, 16));
        String loss = s.choice("loss", "mse", LOSSES);
        if (task.isClassification() && s.has("loss")) {
            s.fail("loss", "the loss is fixed for classification (class-weighted cross-entropy)", "remove model.loss");
        }
        boolean hasImages = data.samples().values().stream().anyMatch(t -> t instanceof ImageTableConfig);
        if ("cnn".equals(kind) && !hasImages) {
            s.fail("kind", "a cnn model needs an image table", "add data.samples.images: {dir: ..., size: [h, w, c]}, or use mlp, twin, multimodal");
        }
        List<Integer> hidden = layerSizes(s, "hidden", List.of(256, 64));
        List<Integer> branchHidden = layerSizes(s, "branch_hidden", List.of(128));
        boolean batchNorm = s.bool("batch_norm", false);
        String norm = s.has("norm") ? s.choice("norm", null, NORMS) : null;
        if (norm != null && batchNorm && !"batch".equals(norm)) {
            s.fail("batch_norm", "batch_norm: true contradicts model.norm: " + norm, "remove batch_norm (model.norm says it: batch, layer or none)");
        }
        if (norm != null && !List.of("mlp", "resmlp").contains(kind)) {
            s.fail("norm", "model.norm applies to the dense stacks of mlp and resmlp, not to model.kind " + kind,
                    "kind: mlp or resmlp, or batch_norm: true for " + kind);
        }
        Double inputDropout = s.has("input_dropout") ? s.number("input_dropout", 0.0, 0.0, 1.0, true) : null;
        Double inputNoise = s.has("input_noise") ? s.number("input_noise", 0.0, 0.0, 10.0, false) : null;
        for (String key : List.of("input_dropout", "input_noise")) {
            if (s.has(key) && !List.of("mlp", "resmlp").contains(kind)) {
                s.fail(key, "model." + key + " corrupts the inputs of mlp and resmlp (their first dense layer), not of model.kind " + kind,
                        "kind: mlp or resmlp, or remove " + key);
            }
        }
        Integer embeddingDim = null;
        boolean pair = "film".equals(kind) || "factorization".equals(kind);
        if (pair) {
            // both need a sample side and a drug side; images would enter as flat pixels, as in twin
            if (data.drugs() == null || data.drugs().isEmpty()) {
                s.fail("kind", "model.kind " + kind + " conditions on the drug, and data.drugs is empty",
                        "add a fingerprint table under data.drugs, or use mlp, multimodal");
            }
            if (data.samples() == null || data.samples().isEmpty()) {
                s.fail("kind", "model.kind " + kind + " needs a per-sample table (data.samples is empty)", "add a table under data.samples");
            }
            if (s.has("branch") && !"dense".equals(s.string("branch", "dense"))) {
                s.fail("branch", "model.kind " + kind + " builds dense branches only", "remove model.branch, or use twin or multimodal for conv1d");
            }
        }
        if ("factorization".equals(kind)) {
            embeddingDim = (int) s.integer("embedding_dim", ModelConfig.EMBEDDING_DIM_DEFAULT, 1, 4096);
        } else if (s.has("embedding_dim")) {
            s.fail("embedding_dim", "model.embedding_dim sizes the embeddings of model.kind factorization, and kind is " + kind,
                    "remove model.embedding_dim, or set kind: factorization");
        }
        String branch = s.choice("branch", "dense", BRANCHES);
        return new ModelConfig(kind, hidden,
                s.number("dropout", 0.1, 0.0, 1.0, true), s.choice("activation", "relu", ACTIVATIONS),
                s.number("l2", 1e-5, 0.0, 10.0, false), batchNorm, branch,
                branchHidden, conv, loss, target(s, data, task), ensemble(s), norm, inputDropout, inputNoise, embeddingDim, tune(s, kind));
    }

    /** {@code model.tune: {budget: 10m, eta: 3, min_epochs: N, seed: S}}: needed by, and only by, {@code kind: auto}. */
    private ExperimentConfig.TuneConfig tune(Section s, String kind) {
        // an empty mapping is none: 'model.tune={}' (or '=null') clears a file's model.tune, as the chosen run of a search does
        if (!s.has("tune") || (s.raw("tune").isObject() && s.raw("tune").isEmpty())) {
            if ("auto".equals(kind)) {
                s.fail("tune", "model.kind: auto searches within a time budget, and none is given",
                        "model.tune: {budget: 10m} (or 'oncobench run EXPERIMENT --tune 10m')");
            }
            return null;
        }
        Section t = s.section("tune", false);
        if (!"auto".equals(kind)) {
            s.fail("tune", "only model.kind: auto searches; this model is " + kind, "kind: auto, or remove model.tune");
            return null;
        }
        t.allowOnly(Set.of("budget", "eta", "min_epochs", "seed", "candidates"));
        String budget = t.raw("budget") == null ? null : t.raw("budget").asText();
        long seconds = 0;
        if (budget == null) {
            t.fail("budget", "missing", TuneBudget.FORMS);
        } else {
            try {
                seconds = TuneBudget.seconds(budget, "model.tune.budget");
            } catch (BadInputException e) {
                t.fail("budget", "'" + budget + "' is not a budget", TuneBudget.FORMS);
            }
        }
        int eta = (int) t.integer("eta", 3, 2, 10);
        Integer minEpochs = t.has("min_epochs") ? (int) t.integer("min_epochs", 1, 1, 100_000) : null;
        long seed = t.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        Integer candidates = t.has("candidates") ? (int) t.integer("candidates", 2, 2, 10_000) : null;
        return new ExperimentConfig.TuneConfig(budget, seconds, eta, minEpochs, seed, candidates);
    }

    /** {@code model.ensemble: {members: 1..32, bagging: false|true}} (null when absent: one network). */
    private static ExperimentConfig.EnsembleConfig ensemble(Section s) {
        if (!s.has("ensemble")) {
            return null;
        }
        Section e = s.section("ensemble", false);
        e.allowOnly(Set.of("members", "bagging"));
        if (!e.has("members")) {
            e.fail("members", "model.ensemble needs members (how many networks to train and average)", "an integer in [1, 32], e.g. 5");
            return null;
        }
        int members = (int) e.integer("members", 1, 1, 32);
        return new ExperimentConfig.EnsembleConfig(members, e.bool("bagging", false));
    }

    /**
     * An ensemble's analyses: explanations attribute one network, so they are refused rather than explaining member 0 as
     * the ensemble; Monte Carlo dropout samples one network too. {@code uncertainty.kind: ensemble} reuses the members,
     * so its samples (when given) must be their count.
     */
    private static void ensembleNeeds(Section ev, Section m, ModelConfig model, EvaluationConfig evaluation) {
        if (ev.has("explain")) {
            ev.fail("explain", "not yet supported with model.ensemble (one member would be explained as the ensemble)",
                    "drop evaluation.explain, or model.ensemble");
        }
        ExperimentConfig.UncertaintyConfig u = evaluation.uncertainty();
        if (u == null) {
            return;
        }
        Section us = ev.section("uncertainty", false);
        if ("mc_dropout".equals(u.kind())) {
            us.fail("kind", "mc_dropout samples one network's dropout; model.ensemble averages " + model.members(),
                    "kind: ensemble (the spread of the members) or conformal");
        } else if ("ensemble".equals(u.kind()) && us.has("samples") && u.samples() != model.members()) {
            us.fail("samples", u.samples() + " differs from model.ensemble.members (" + model.members()
                    + "): with model.ensemble the intervals use its members", "remove samples, or set it to " + model.members());
        }
    }

    /** {@code model.target: {residual_over: ...}} (null when absent: the network learns the response itself). */
    private static ExperimentConfig.TargetConfig target(Section s, DataConfig data, TaskConfig task) {
        if (!s.has("target")) {
            return null;
        }
        Section t = s.section("target", false);
        t.allowOnly(Set.of("residual_over"));
        if (!t.has("residual_over")) {
            t.fail("residual_over", "model.target needs residual_over", String.join(", ", EvaluationConfig.RESIDUAL_OVER));
            return null;
        }
        String over = residualOver(t, data, task, "drop model.target");
        return over == null ? null : new ExperimentConfig.TargetConfig(over);
    }

    private static List<Integer> layerSizes(Section s, String key, List<Integer> defaults) {
        List<Integer> sizes = s.integerList(key, defaults, 1, 65536);
        if (sizes.isEmpty()) {
            s.fail(key, "an empty list gives no hidden layer", "at least one layer size, e.g. [64]");
            return defaults;
        }
        return sizes;
    }

    private TrainingConfig training(Section s, SplitConfig split) {
        s.allowOnly(Set.of("epochs", "batch", "optimizer", "checkpoint_every", "keep_checkpoints", "early_stopping", "stats_every", "workers",
                "restore_best"));
        int epochs = (int) s.integer("epochs", 20, 1, 100_000);
        int batch = (int) s.integer("batch", 128, 1, 1 << 20);
        Section o = s.section("optimizer", false);
        o.allowOnly(Set.of("kind", "lr", "momentum", "weight_decay", "schedule", "gradient_clip"));
        String kind = o.choice("kind", "adam", OPTIMIZERS);
        double weightDecay = o.number("weight_decay", "adamw".equals(kind) ? 0.01 : 0.0, 0.0, 10.0, false);
        if (weightDecay > 0 && !"adamw".equals(kind)) {
            o.fail("weight_decay", "decoupled weight decay is what adamw adds to adam", "kind: adamw, or use model.l2 for L2 regularisation");
        }
        Section sc = o.section("schedule", false);
        sc.allowOnly(Set.of("kind", "gamma", "every", "warmup_epochs"));
        String scheduleKind = sc.choice("kind", "none", SCHEDULES);
        Integer warmup = null;
        if (sc.has("warmup_epochs")) {
            warmup = (int) sc.integer("warmup_epochs", 0, 0, 100_000);
            if (!"cosine".equals(scheduleKind)) {
                sc.fail("warmup_epochs", "only the cosine schedule warms up (one_cycle's rise is its warm-up)", "kind: cosine, or remove warmup_epochs");
            } else if (warmup >= epochs) {
                sc.fail("warmup_epochs", warmup + " warm-up epochs leave none of the " + epochs + " training epochs to anneal", "fewer than training.epochs");
            }
        }
        if ("one_cycle".equals(scheduleKind) && epochs < 3) {
            sc.fail("kind", "one_cycle rises, falls and anneals: it needs at least 3 epochs, training.epochs is " + epochs, "training.epochs >= 3");
        }
        boolean cyclic = "cosine".equals(scheduleKind) || "one_cycle".equals(scheduleKind);
        ScheduleConfig schedule = new ScheduleConfig(scheduleKind, sc.number("gamma", 0.9, 1e-6, 1.0, false),
                (int) sc.integer("every", 1, 1, 100_000), cyclic ? (warmup == null ? 0 : warmup) : null, cyclic ? epochs : null);
        Double clip = o.has("gradient_clip") ? o.number("gradient_clip", 1.0, 1e-9, 1e9, false) : null;
        OptimizerConfig optimizer = new OptimizerConfig(kind, o.number("lr", 1e-3, 1e-9, 10.0, false), o.number("momentum", 0.9, 0.0, 1.0, true),
                weightDecay, schedule, clip);
        EarlyStoppingConfig early = null;
        if (s.has("early_stopping")) {
            Section e = s.section("early_stopping", false);
            e.allowOnly(Set.of("metric", "patience"));
            early = new EarlyStoppingConfig(e.choice("metric", "validation", List.of("validation")), (int) e.integer("patience", 5, 1, 100_000));
            if ("files".equals(split.kind()) ? split.files() != null && split.files().validation() == null : split.validation() <= 0) {
                e.fail("metric", "early stopping watches the validation rows, and " + ("files".equals(split.kind())
                        ? "split names no validation file" : "split.validation is 0"), "files".equals(split.kind())
                        ? "split.validation: FILE" : "split.validation > 0, e.g. 0.1");
            }
        }
        Boolean restoreBest = s.has("restore_best") ? s.bool("restore_best", false) : null;
        if (Boolean.TRUE.equals(restoreBest) && split.validation() <= 0) {
            s.fail("restore_best", "the best epoch is chosen on the validation rows, and split.validation is 0", "split.validation > 0, e.g. 0.1");
        }
        return new TrainingConfig(epochs, batch, optimizer, (int) s.integer("checkpoint_every", 5, 0, 100_000),
                (int) s.integer("keep_checkpoints", 2, 1, 1000), early, (int) s.integer("stats_every", 20, 1, 1_000_000),
                (int) s.integer("workers", 1, 1, 256), restoreBest);
    }

    /** {@code evaluation.residual_over}: regression with drugs only; group_drug_mean needs a group column. */
    private static String residualOver(Section s, DataConfig data, TaskConfig task) {
        return residualOver(s, data, task, "drop evaluation.residual_over");
    }

    private static String residualOver(Section s, DataConfig data, TaskConfig task, String instead) {
        String v = s.optionalString("residual_over");
        if (v == null) {
            return null;
        }
        if (!EvaluationConfig.RESIDUAL_OVER.contains(v)) {
            s.fail("residual_over", "'" + v + "' is not supported" + DidYouMean.hint(v, EvaluationConfig.RESIDUAL_OVER),
                    String.join(", ", EvaluationConfig.RESIDUAL_OVER));
        } else if (task.isClassification() || !data.rows().hasDrug()) {
            s.fail("residual_over", "residual targets need a regression task with a drug column", instead);
        } else if (v.equals("group_drug_mean") && data.groups().isEmpty()) {
            s.fail("residual_over", "group_drug_mean needs a group column", "add data.groups.tissue: {file, id, column}, or use drug_mean");
        } else {
            return v;
        }
        return null;
    }

    private EvaluationConfig evaluation(Section s, DataConfig data, TaskConfig task) {
        s.allowOnly(Set.of("baselines", "group", "bootstrap", "randomization", "learning_curve", "explain", "uncertainty", "significance",
                "residual_over"));
        int bootstrap = (int) s.integer("bootstrap", 1000, 0, 100_000);
        String group = s.optionalString("group");
        if (group != null && !data.groups().containsKey(group)) {
            s.fail("group", "'" + group + "' is not a table under data.groups",
                    data.groups().isEmpty() ? "add one, e.g. data.groups.tissue: {file, id, column}" : String.join(", ", data.groups().keySet()));
            group = null;
        } else if (group == null && !data.groups().isEmpty()) {
            group = data.groups().containsKey("tissue") ? "tissue" : data.groups().keySet().iterator().next();
        }
        List<String> allowed = task.isClassification() ? CLASSIFICATION_BASELINES : BASELINES;
        // the defaults: every baseline the data allows (group means need a group column, drug baselines a drug column)
        List<String> defaults = allowed.stream().filter(b -> data.rows().hasDrug() || !DRUG_BASELINES.contains(b))
                .filter(b -> !b.startsWith("group") || !data.groups().isEmpty()).toList();
        List<String> named = new ArrayList<>(allowed);
        named.addAll(task.isClassification() ? OPT_IN_CLASSIFICATION_BASELINES : OPT_IN_BASELINES);
        List<String> otherKind = new ArrayList<>(task.isClassification() ? BASELINES : CLASSIFICATION_BASELINES);
        otherKind.addAll(task.isClassification() ? OPT_IN_BASELINES : OPT_IN_CLASSIFICATION_BASELINES);
        String taskKind = task.isClassification() ? "classification" : "regression";
        List<String> baselines = s.choiceList("baselines", defaults, named, b -> otherKind.contains(b)
                ? "a " + (task.isClassification() ? "regression" : "classification") + " baseline, and task.kind is " + taskKind : "");
        String residualOver = residualOver(s, data, task);
        if (!data.rows().hasDrug() && baselines.stream().anyMatch(DRUG_BASELINES::contains)) {
            s.fail("baselines", "drug, cell and single-drug baselines need a drug column in the rows",
                    allowed.stream().filter(b -> !DRUG_BASELINES.contains(b)).collect(java.util.stream.Collectors.joining(", ")));
        }
        if (data.groups().isEmpty() && baselines.stream().anyMatch(b -> b.startsWith("group"))) {
            s.fail("baselines", "group baselines need a group column", "add data.groups.tissue: {file, id, column}, or drop group_mean and group_drug_mean");
        }
        RandomizationConfig randomization = null;
        if (s.has("randomization")) {
            Section r = s.section("randomization", true);
            r.allowOnly(Set.of("tables", "kind", "repeats"));
            List<String> tables = new java.util.ArrayList<>(data.samples().keySet());
            tables.addAll(data.drugs().keySet());
            randomization = new RandomizationConfig(r.choiceList("tables", tables, tables), r.choice("kind", "permute", List.of("permute", "mean")),
                    (int) r.integer("repeats", 3, 1, 100));
        }
        ExplainConfig explain = null;
        if (s.has("explain")) {
            Section x = s.section("explain", true);
            x.allowOnly(Set.of("method", "steps", "rows", "top", "repeats", "genes"));
            explain = new ExplainConfig(x.choice("method", "integrated_gradients", List.of("integrated_gradients", "gradient_x_input")),
                    (int) x.integer("steps", 64, 1, 4096), (int) x.integer("rows", 400, 1, 1_000_000), (int) x.integer("top", 10, 1, 1000),
                    (int) x.integer("repeats", 5, 1, 100), (int) x.integer("genes", 10, 0, 1000));
        }
        ExperimentConfig.UncertaintyConfig uncertainty = null;
        if (s.has("uncertainty")) {
            Section u = s.section("uncertainty", true);
            u.allowOnly(Set.of("kind", "samples", "level"));
            String kind = u.choice("kind", "mc_dropout", List.of("mc_dropout", "ensemble", "conformal"));
            double level = u.number("level", 0.9, 0.5, 0.99, false);
            int samples = (int) u.integer("samples", "ensemble".equals(kind) ? 5 : 30, 2, "ensemble".equals(kind) ? 50 : 1000);
            uncertainty = new ExperimentConfig.UncertaintyConfig(kind, samples, level);
        }
        Section sig = s.section("significance", false);
        sig.allowOnly(Set.of("min_rows_per_drug"));
        ExperimentConfig.SignificanceConfig significance = new ExperimentConfig.SignificanceConfig(
                (int) sig.integer("min_rows_per_drug", ExperimentConfig.SignificanceConfig.DEFAULT_MIN_ROWS_PER_DRUG, 3, 1_000_000));
        return new EvaluationConfig(baselines, group, bootstrap, randomization, s.fractionList("learning_curve", null), explain, uncertainty,
                significance, residualOver);
    }
}
