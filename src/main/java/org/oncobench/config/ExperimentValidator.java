package org.oncobench.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oncobench.config.ExperimentConfig.DataConfig;
import org.oncobench.config.ExperimentConfig.EvaluationConfig;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.oncobench.config.ExperimentConfig.GroupConfig;
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
    static final List<String> SPLITS = List.of("mixed", "cell-blind");
    static final List<String> TASKS = List.of("regression");
    static final List<String> MODELS = List.of("mlp");
    static final List<String> ACTIVATIONS = List.of("relu", "leakyrelu", "elu", "tanh", "swish");
    static final List<String> OPTIMIZERS = List.of("adam", "sgd");
    static final List<String> BASELINES = List.of("global_mean", "drug_mean", "cell_mean", "drug_cell_additive");

    private final List<Violation> violations = new ArrayList<>();
    private final Path file;

    ExperimentValidator(Path file) {
        this.file = file;
    }

    ExperimentConfig validate(ObjectNode root) {
        Path baseDir = file.toAbsolutePath().getParent();
        Section top = new Section(root, "", violations, baseDir);
        top.allowOnly(Set.of("name", "seed", "data", "task", "split", "model", "training", "evaluation"));
        String defaultName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        String name = top.string("name", defaultName);
        if (name != null && !name.matches("[A-Za-z0-9._-]{1,64}")) {
            top.fail("name", "'" + name + "' cannot be used in a run id", "1-64 letters, digits, '.', '_' or '-'");
        }
        long seed = top.integer("seed", 42, 0, Long.MAX_VALUE);

        DataConfig data = data(top.section("data", true));
        Section t = top.section("task", false);
        t.allowOnly(Set.of("kind"));
        TaskConfig task = new TaskConfig(t.choice("kind", "regression", TASKS));
        SplitConfig split = split(top.section("split", false));
        ModelConfig model = model(top.section("model", false));
        TrainingConfig training = training(top.section("training", false));
        EvaluationConfig evaluation = evaluation(top.section("evaluation", false), data);

        if (!violations.isEmpty()) {
            throw new ConfigException(file, violations);
        }
        return new ExperimentConfig(name, seed, data, task, split, model, training, evaluation);
    }

    private DataConfig data(Section s) {
        s.allowOnly(Set.of("rows", "sample_ids", "samples", "drugs", "groups", "max_unmatched"));
        Section r = s.section("rows", true);
        r.allowOnly(Set.of("file", "sample", "drug", "target"));
        RowsConfig rows = new RowsConfig(r.existingFile("file"), r.string("sample", null), r.optionalString("drug"),
                r.string("target", null));

        SampleIdsConfig ids = null;
        if (s.has("sample_ids")) {
            Section m = s.section("sample_ids", false);
            m.allowOnly(Set.of("file", "from", "to"));
            ids = new SampleIdsConfig(m.existingFile("file"), m.string("from", null), m.string("to", null));
        }

        Map<String, MatrixTableConfig> samples = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : s.namedSections("samples").entrySet()) {
            Section m = e.getValue();
            m.allowOnly(Set.of("file", "id", "select"));
            SelectConfig select = null;
            if (m.has("select")) {
                Section sel = m.section("select", false);
                sel.allowOnly(Set.of("top_variance"));
                select = new SelectConfig((int) sel.integer("top_variance", 1000, 1, Integer.MAX_VALUE));
            }
            samples.put(e.getKey(), new MatrixTableConfig(m.existingFile("file"), m.string("id", null), select));
        }
        if (samples.isEmpty()) {
            s.fail("samples", "no sample feature table", "at least one table, e.g. expression: {file: expression.csv, id: ModelID}");
        }

        Map<String, FingerprintTableConfig> drugs = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : s.namedSections("drugs").entrySet()) {
            Section d = e.getValue();
            d.allowOnly(Set.of("file", "id", "smiles", "radius", "bits"));
            drugs.put(e.getKey(), new FingerprintTableConfig(d.existingFile("file"), d.string("id", null),
                    d.string("smiles", "SMILES"), (int) d.integer("radius", 2, 0, 3), (int) d.integer("bits", 1024, 16, 16384)));
        }
        if (!drugs.isEmpty() && rows.drug() == null) {
            s.fail("drugs", "drug tables need a drug column in the rows", "set data.rows.drug (e.g. DRUG_ID) or remove data.drugs");
        }

        Map<String, GroupConfig> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : s.namedSections("groups").entrySet()) {
            Section g = e.getValue();
            g.allowOnly(Set.of("file", "id", "column"));
            groups.put(e.getKey(), new GroupConfig(g.existingFile("file"), g.string("id", null), g.string("column", null)));
        }
        double maxUnmatched = s.number("max_unmatched", 0.5, 0.0, 1.0, false);
        return new DataConfig(rows, ids, samples, drugs, groups, maxUnmatched);
    }

    private SplitConfig split(Section s) {
        s.allowOnly(Set.of("kind", "test", "validation"));
        String kind = s.choice("kind", "cell-blind", SPLITS);
        double test = s.number("test", 0.2, 0.01, 0.9, true);
        double validation = s.number("validation", 0.1, 0.0, 0.9, true);
        if (test + validation >= 0.9) {
            s.fail("validation", "test + validation = " + (test + validation) + " leaves too little to train on",
                    "test + validation < 0.9");
        }
        return new SplitConfig(kind, test, validation);
    }

    private ModelConfig model(Section s) {
        s.allowOnly(Set.of("kind", "hidden", "dropout", "activation", "l2"));
        return new ModelConfig(s.choice("kind", "mlp", MODELS), s.integerList("hidden", List.of(256, 64), 1, 65536),
                s.number("dropout", 0.1, 0.0, 1.0, true), s.choice("activation", "relu", ACTIVATIONS),
                s.number("l2", 1e-5, 0.0, 10.0, false));
    }

    private TrainingConfig training(Section s) {
        s.allowOnly(Set.of("epochs", "batch", "optimizer"));
        int epochs = (int) s.integer("epochs", 20, 1, 100_000);
        int batch = (int) s.integer("batch", 128, 1, 1 << 20);
        Section o = s.section("optimizer", false);
        o.allowOnly(Set.of("kind", "lr"));
        OptimizerConfig optimizer = new OptimizerConfig(o.choice("kind", "adam", OPTIMIZERS), o.number("lr", 1e-3, 1e-9, 10.0, false));
        return new TrainingConfig(epochs, batch, optimizer);
    }

    private EvaluationConfig evaluation(Section s, DataConfig data) {
        s.allowOnly(Set.of("baselines"));
        List<String> defaults = data.rows().hasDrug() ? BASELINES : List.of("global_mean");
        List<String> baselines = s.choiceList("baselines", defaults, BASELINES);
        if (!data.rows().hasDrug() && baselines.stream().anyMatch(b -> b.contains("drug"))) {
            s.fail("baselines", "drug baselines need a drug column in the rows", "global_mean, cell_mean");
        }
        return new EvaluationConfig(baselines);
    }
}
