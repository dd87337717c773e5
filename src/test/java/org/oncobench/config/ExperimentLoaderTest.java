package org.oncobench.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentLoaderTest {
    @TempDir
    Path dir;
    private final ExperimentLoader loader = new ExperimentLoader();

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("responses.csv"), "COSMIC_ID,DRUG_ID,LN_IC50\n1,10,0.5\n");
        Files.writeString(dir.resolve("expr.csv"), "ModelID,A (1)\nm1,1.0\n");
        Files.writeString(dir.resolve("drugs.csv"), "DRUG_ID,SMILES\n10,CCO\n");
    }

    private Path write(String name, String yaml) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    private static final String GOOD = """
            name: good
            data:
              rows: {file: responses.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
              samples:
                expression: {file: expr.csv, id: ModelID, select: {top_variance: 50}}
              drugs:
                fingerprints: {file: drugs.csv, id: DRUG_ID, smiles: SMILES, radius: 2, bits: 256}
            split: {kind: mixed, test: 0.25}
            model: {kind: mlp, hidden: [32, 8]}
            training: {epochs: 3, batch: 16, optimizer: {kind: adam, lr: 0.01}}
            """;

    @Test
    void goodFileGivesRecordsWithDefaultsAndAbsolutePaths() throws IOException {
        LoadedExperiment e = loader.load(write("good.yaml", GOOD), List.of());
        ExperimentConfig c = e.config();
        assertEquals("good", c.name());
        assertEquals(42, c.seed());
        assertEquals(dir.resolve("responses.csv").toAbsolutePath().toString(), c.data().rows().file());
        assertEquals(50, ((ExperimentConfig.MatrixTableConfig) c.data().samples().get("expression")).select().topVariance());
        assertEquals(256, c.data().drugs().get("fingerprints").bits());
        assertEquals("mixed", c.split().kind());
        assertEquals(0.25, c.split().test());
        assertEquals(0.1, c.split().validation());
        assertEquals(List.of(32, 8), c.model().hidden());
        assertEquals(3, c.training().epochs());
        assertEquals(0.01, c.training().optimizer().lr());
        assertNull(c.data().sampleIds());
        assertEquals(64, e.configHash().length());
    }

    @Test
    void resolvedYamlLoadsBackToTheSameConfig() throws IOException {
        LoadedExperiment first = loader.load(write("good.yaml", GOOD), List.of("training.epochs=7"));
        LoadedExperiment again = loader.load(write("resolved.yaml", first.resolvedYaml()), List.of());
        assertEquals(first.config(), again.config());
        assertEquals(first.configHash(), again.configHash());
        assertTrue(first.resolvedYaml().contains("top_variance: 50"), first.resolvedYaml());
    }

    @Test
    void overridesSetScalarsListsAndNewKeys() throws IOException {
        ExperimentConfig c = loader.load(write("good.yaml", GOOD),
                List.of("training.epochs=9", "model.hidden=[16, 4, 2]", "split.kind=cell-blind", "seed=7", "model.dropout=0.3")).config();
        assertEquals(9, c.training().epochs());
        assertEquals(List.of(16, 4, 2), c.model().hidden());
        assertEquals("cell-blind", c.split().kind());
        assertEquals(7, c.seed());
        assertEquals(0.3, c.model().dropout());
    }

    @Test
    void overrideThroughAValueIsRefused() throws IOException {
        Path f = write("good.yaml", GOOD);
        BadInputException e = assertThrows(BadInputException.class, () -> loader.load(f, List.of("name.x=3")));
        assertTrue(e.getMessage().contains("'name' is a value"), e.getMessage());
        BadInputException noEq = assertThrows(BadInputException.class, () -> loader.load(f, List.of("training.epochs")));
        assertTrue(noEq.getMessage().contains("key.path=value"), noEq.getMessage());
    }

    @Test
    void everyViolationIsReportedAtOnce() throws IOException {
        Path f = write("bad.yaml", """
                name: bad
                data:
                  rows: {file: missing.csv, sample: COSMIC_ID, drug: DRUG_ID, target: LN_IC50}
                  samples:
                    expression: {file: expr.csv, id: ModelID}
                split: {kind: random, test: 2}
                model: {kind: mlp, hiden: [32]}
                training: {epochs: -3, batch: "lots"}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(f, List.of()));
        String msg = e.getMessage();
        assertEquals(6, e.violations().size(), msg);
        assertTrue(msg.contains("data.rows.file: file not found: " + dir.resolve("missing.csv")), msg);
        assertTrue(msg.contains("split.kind: 'random' is not supported; allowed: mixed, cell-blind"), msg);
        assertTrue(msg.contains("split.test: 2.0 is out of range"), msg);
        assertTrue(msg.contains("model.hiden: unknown key (did you mean 'hidden'?)"), msg);
        assertTrue(msg.contains("training.epochs: -3 is out of range; allowed: an integer in [1, 100000]"), msg);
        assertTrue(msg.contains("training.batch: expected an integer but got 'lots'"), msg);
        assertTrue(msg.startsWith(f.toString()), msg);
    }

    @Test
    void malformedYamlNamesFileAndLine() throws IOException {
        Path f = write("broken.yaml", "name: x\ndata:\n  rows: {file: a.csv\n  samples: [\n");
        BadInputException e = assertThrows(BadInputException.class, () -> loader.load(f, List.of()));
        assertTrue(e.getMessage().matches("(?s)" + java.util.regex.Pattern.quote(f.toString()) + ":\\d+:\\d+: malformed YAML.*"), e.getMessage());
    }

    @Test
    void missingExperimentFileIsNamed() {
        Path f = dir.resolve("nope.yaml");
        BadInputException e = assertThrows(BadInputException.class, () -> loader.load(f, List.of()));
        assertEquals(f + ": experiment file not found", e.getMessage());
    }

    @Test
    void duplicatedKeysAndNonMappingsAreRefused() throws IOException {
        Path dup = write("dup.yaml", "name: a\nname: b\n");
        assertTrue(assertThrows(BadInputException.class, () -> loader.load(dup, List.of())).getMessage().contains("Duplicate field 'name'"));
        Path list = write("list.yaml", "- a\n- b\n");
        assertTrue(assertThrows(BadInputException.class, () -> loader.load(list, List.of())).getMessage().contains("must be a mapping"));
    }

    @Test
    void drugTablesNeedADrugColumn() throws IOException {
        Path f = write("nodrug.yaml", GOOD.replace(", drug: DRUG_ID", ""));
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(f, List.of()));
        assertTrue(e.getMessage().contains("data.drugs: drug tables need a drug column in the rows"), e.getMessage());
    }

    @Test
    void modelZooAndOptimiserKeysAreValidated() throws IOException {
        ExperimentConfig ok = loader.load(write("good.yaml", GOOD), List.of("model.kind=twin", "model.branch=conv1d", "model.loss=huber",
                "training.optimizer.kind=adamw", "training.optimizer.schedule={kind: step, gamma: 0.5, every: 10}", "model.batch_norm=true")).config();
        assertEquals("conv1d", ok.model().branch());
        assertEquals(0.01, ok.training().optimizer().weightDecay());
        assertEquals("step", ok.training().optimizer().schedule().kind());
        assertTrue(ok.model().batchNorm());
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write("bad.yaml", GOOD), List.of("model.kind=cnn",
                "training.optimizer.weight_decay=0.1", "model.branch=lstm", "training.optimizer.schedule={kind: linear}")));
        String msg = e.getMessage();
        assertTrue(msg.contains("model.kind: a cnn model needs an image table"), msg);
        assertTrue(msg.contains("training.optimizer.weight_decay: decoupled weight decay is what adamw adds to adam"), msg);
        assertTrue(msg.contains("model.branch: 'lstm' is not supported; allowed: dense, conv1d"), msg);
        assertTrue(msg.contains("training.optimizer.schedule.kind: 'linear' is not supported"), msg);
    }

    @Test
    void pairModelsNeedBothSidesAndOnlyFactorizationTakesAnEmbeddingWidth() throws IOException {
        LoadedExperiment plain = loader.load(write("good.yaml", GOOD), List.of());
        assertEquals(null, plain.config().model().embeddingDim());
        assertFalse(plain.resolvedYaml().contains("embedding"), "no embedding key by default");
        assertEquals("film", loader.load(write("good.yaml", GOOD), List.of("model.kind=film")).config().model().kind());
        assertEquals(null, loader.load(write("good.yaml", GOOD), List.of("model.kind=film")).config().model().embeddingDim());
        assertEquals(32, loader.load(write("good.yaml", GOOD), List.of("model.kind=factorization")).config().model().embeddingDim());
        assertEquals(8, loader.load(write("good.yaml", GOOD), List.of("model.kind=factorization", "model.embedding_dim=8")).config().model()
                .embeddingWidth());
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write("bad.yaml", GOOD), List.of("model.embedding_dim=8")));
        assertTrue(e.getMessage().contains("model.embedding_dim: model.embedding_dim sizes the embeddings of model.kind factorization, and kind is mlp"),
                e.getMessage());
        ConfigException w = assertThrows(ConfigException.class, () -> loader.load(write("w.yaml", GOOD), List.of("model.kind=factorization",
                "model.embedding_dim=0")));
        assertTrue(w.getMessage().contains("model.embedding_dim: 0 is out of range"), w.getMessage());
        ConfigException c = assertThrows(ConfigException.class, () -> loader.load(write("c.yaml", GOOD), List.of("model.kind=film",
                "model.branch=conv1d")));
        assertTrue(c.getMessage().contains("model.branch: model.kind film builds dense branches only"), c.getMessage());
        String perSample = GOOD.replace(", drug: DRUG_ID", "").replaceAll("  drugs:\n    fingerprints: \\{[^}]*}\n", "");
        assertFalse(perSample.contains("fingerprints"), perSample);
        ConfigException d = assertThrows(ConfigException.class, () -> loader.load(write("d.yaml", perSample), List.of("model.kind=factorization")));
        assertTrue(d.getMessage().contains("model.kind: model.kind factorization conditions on the drug, and data.drugs is empty"), d.getMessage());
    }

    @Test
    void modelTargetIsValidatedAndOffByDefault() throws IOException {
        assertEquals(null, loader.load(write("good.yaml", GOOD), List.of()).config().model().target());
        assertFalse(loader.load(write("good.yaml", GOOD), List.of()).resolvedYaml().contains("target: {"), "no target key by default");
        ExperimentConfig ok = loader.load(write("good.yaml", GOOD), List.of("model.target={residual_over: mean_effects}")).config();
        assertEquals("mean_effects", ok.model().residualOver());
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write("bad.yaml", GOOD), List.of(
                "model.target={residual_over: drug_means, scale: 2}", "evaluation.uncertainty={kind: conformal}")));
        String msg = e.getMessage();
        assertTrue(msg.contains("model.target.residual_over: 'drug_means' is not supported (did you mean 'drug_mean'?)"), msg);
        assertTrue(msg.contains("model.target.scale: unknown key"), msg);
        ConfigException g = assertThrows(ConfigException.class, () -> loader.load(write("g.yaml", GOOD), List.of(
                "model.target={residual_over: group_drug_mean}")));
        assertTrue(g.getMessage().contains("model.target.residual_over: group_drug_mean needs a group column"), g.getMessage());
        ConfigException c = assertThrows(ConfigException.class, () -> loader.load(write("c.yaml", GOOD), List.of(
                "model.target={residual_over: drug_mean}", "task={kind: classification, threshold: 0.5, positive: below}")));
        assertTrue(c.getMessage().contains("model.target.residual_over: residual targets need a regression task with a drug column; allowed: drop model.target"),
                c.getMessage());
        ConfigException x = assertThrows(ConfigException.class, () -> loader.load(write("x.yaml", GOOD), List.of(
                "model.target={residual_over: drug_mean}", "evaluation.explain={method: integrated_gradients}")));
        assertTrue(x.getMessage().contains("evaluation.explain: not yet supported with model.target.residual_over"), x.getMessage());
    }

    @Test
    void resmlpNormAndInputCorruptionAreValidatedAndAbsentByDefault() throws IOException {
        LoadedExperiment plain = loader.load(write("good.yaml", GOOD), List.of());
        assertEquals(null, plain.config().model().norm());
        assertEquals("none", plain.config().model().normalisation());
        assertEquals(0.0, plain.config().model().inputDropoutRate());
        for (String key : List.of("norm", "input_dropout", "input_noise")) {
            assertFalse(plain.resolvedYaml().contains(" " + key + ":"), key + ": no key by default (the resolved file and its hash stay as they were)");
        }
        ExperimentConfig.ModelConfig res = loader.load(write("r.yaml", GOOD), List.of("model.kind=resmlp", "model.input_noise=0.1",
                "model.input_dropout=0.2")).config().model();
        assertEquals("resmlp", res.kind());
        assertEquals("batch", res.normalisation(), "resmlp normalises by batch unless model.norm says otherwise");
        assertEquals(0.1, res.inputNoiseSd());
        assertEquals(0.2, res.inputDropoutRate());
        assertEquals("layer", loader.load(write("l.yaml", GOOD), List.of("model.norm=layer")).config().model().normalisation());
        assertEquals("none", loader.load(write("n.yaml", GOOD), List.of("model.kind=resmlp", "model.norm=none")).config().model().normalisation());
        assertEquals("batch", loader.load(write("b.yaml", GOOD), List.of("model.batch_norm=true")).config().model().normalisation());
        ConfigException bad = assertThrows(ConfigException.class, () -> loader.load(write("bad.yaml", GOOD), List.of("model.kind=resnet",
                "model.input_dropout=1.0", "model.input_noise=-0.1")));
        String msg = bad.getMessage();
        assertTrue(msg.contains("model.kind: 'resnet' is not supported") && msg.contains("mlp, resmlp, twin, cnn, multimodal"), msg);
        assertTrue(msg.contains("model.input_dropout: 1.0 is out of range") && msg.contains("a number in [0.0, 1.0)"), msg);
        assertTrue(msg.contains("model.input_noise: -0.1 is out of range") && msg.contains("a number in [0.0, 10.0]"), msg);
        ConfigException norm = assertThrows(ConfigException.class, () -> loader.load(write("nm.yaml", GOOD), List.of("model.norm=group")));
        assertTrue(norm.getMessage().contains("model.norm: 'group' is not supported") && norm.getMessage().contains("batch, layer, none"), norm.getMessage());
        ConfigException both = assertThrows(ConfigException.class, () -> loader.load(write("bo.yaml", GOOD), List.of("model.norm=layer",
                "model.batch_norm=true")));
        assertTrue(both.getMessage().contains("model.batch_norm: batch_norm: true contradicts model.norm: layer"), both.getMessage());
        ConfigException twin = assertThrows(ConfigException.class, () -> loader.load(write("tw.yaml", GOOD), List.of("model.kind=twin",
                "model.norm=layer", "model.input_noise=0.1")));
        assertTrue(twin.getMessage().contains("model.norm: model.norm applies to the dense stacks of mlp and resmlp"), twin.getMessage());
        assertTrue(twin.getMessage().contains("model.input_noise: model.input_noise corrupts the inputs of mlp and resmlp"), twin.getMessage());
    }

    @Test
    void modelEnsembleIsValidatedAndOneNetworkByDefault() throws IOException {
        ExperimentConfig plain = loader.load(write("good.yaml", GOOD), List.of()).config();
        assertEquals(null, plain.model().ensemble());
        assertEquals(1, plain.model().members());
        assertFalse(loader.load(write("good.yaml", GOOD), List.of()).resolvedYaml().contains("ensemble"), "no ensemble key by default");
        ExperimentConfig ok = loader.load(write("good.yaml", GOOD), List.of("model.ensemble={members: 5, bagging: true}")).config();
        assertEquals(5, ok.model().members());
        assertTrue(ok.model().bagging());
        assertFalse(loader.load(write("good.yaml", GOOD), List.of("model.ensemble={members: 32}")).config().model().bagging());
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write("bad.yaml", GOOD), List.of(
                "model.ensemble={members: 33, bagging: sometimes, vote: mean}")));
        String msg = e.getMessage();
        assertTrue(msg.contains("model.ensemble.members: 33 is out of range"), msg);
        assertTrue(msg.contains("model.ensemble.bagging: expected true or false but got"), msg);
        assertTrue(msg.contains("model.ensemble.vote: unknown key"), msg);
        ConfigException z = assertThrows(ConfigException.class, () -> loader.load(write("z.yaml", GOOD), List.of("model.ensemble={members: 0}")));
        assertTrue(z.getMessage().contains("model.ensemble.members: 0 is out of range"), z.getMessage());
        ConfigException m = assertThrows(ConfigException.class, () -> loader.load(write("m.yaml", GOOD), List.of("model.ensemble={bagging: true}")));
        assertTrue(m.getMessage().contains("model.ensemble.members: model.ensemble needs members"), m.getMessage());
        ConfigException x = assertThrows(ConfigException.class, () -> loader.load(write("x.yaml", GOOD), List.of(
                "model.ensemble={members: 3}", "evaluation.explain={method: integrated_gradients}")));
        assertTrue(x.getMessage().contains("evaluation.explain: not yet supported with model.ensemble"), x.getMessage());
        ConfigException u = assertThrows(ConfigException.class, () -> loader.load(write("u.yaml", GOOD), List.of(
                "model.ensemble={members: 3}", "split.calibration=0.1", "evaluation.uncertainty={kind: ensemble, samples: 5}")));
        assertTrue(u.getMessage().contains("evaluation.uncertainty.samples: 5 differs from model.ensemble.members (3)"), u.getMessage());
        ConfigException d = assertThrows(ConfigException.class, () -> loader.load(write("d.yaml", GOOD), List.of(
                "model.ensemble={members: 3}", "split.calibration=0.1", "evaluation.uncertainty={kind: mc_dropout}")));
        assertTrue(d.getMessage().contains("evaluation.uncertainty.kind: mc_dropout samples one network's dropout"), d.getMessage());
        assertEquals(3, loader.load(write("k.yaml", GOOD), List.of("model.ensemble={members: 3}", "split.calibration=0.1",
                "evaluation.uncertainty={kind: ensemble}")).config().model().members());
    }

    @Test
    void trainingRecipeOptionsAreValidatedAndOffByDefault() throws IOException {
        LoadedExperiment plain = loader.load(write("good.yaml", GOOD), List.of());
        assertEquals(null, plain.config().training().optimizer().gradientClip());
        assertEquals(null, plain.config().training().restoreBest());
        assertEquals(null, plain.config().training().optimizer().schedule().epochs());
        assertFalse(plain.resolvedYaml().contains("restore_best") || plain.resolvedYaml().contains("gradient_clip")
                || plain.resolvedYaml().contains("warmup"), plain.resolvedYaml());
        ExperimentConfig ok = loader.load(write("good.yaml", GOOD), List.of("training.epochs=12",
                "training.optimizer={kind: adamw, weight_decay: 0.05, gradient_clip: 1.5, schedule: {kind: cosine, warmup_epochs: 2}}",
                "training.restore_best=true")).config();
        assertEquals(1.5, ok.training().optimizer().gradientClip());
        assertEquals(2, ok.training().optimizer().schedule().warmupEpochs());
        assertEquals(12, ok.training().optimizer().schedule().epochs(), "the cosine spans training.epochs");
        assertTrue(ok.training().keepsBestEpoch());
        LoadedExperiment cosine = loader.load(write("good.yaml", GOOD), List.of("training.epochs=12", "training.optimizer.schedule={kind: cosine}",
                "training.restore_best=true", "training.optimizer.gradient_clip=2"));
        Path resolved = write("resolved.yaml", cosine.resolvedYaml());
        assertEquals(cosine.config().training(), loader.load(resolved, List.of()).config().training(), cosine.resolvedYaml());
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write("bad.yaml", GOOD), List.of("training.epochs=3",
                "training.optimizer.schedule={kind: cosine, warmup_epochs: 3}", "training.optimizer.gradient_clip=0", "training.restore_best=true",
                "split.validation=0")));
        String msg = e.getMessage();
        assertTrue(msg.contains("training.optimizer.schedule.warmup_epochs: 3 warm-up epochs leave none of the 3 training epochs"), msg);
        assertTrue(msg.contains("training.optimizer.gradient_clip"), msg);
        assertTrue(msg.contains("training.restore_best: the best epoch is chosen on the validation rows"), msg);
        ConfigException c = assertThrows(ConfigException.class, () -> loader.load(write("c.yaml", GOOD), List.of("training.epochs=2",
                "training.optimizer.schedule={kind: one_cycle, warmup_epochs: 1}")));
        assertTrue(c.getMessage().contains("training.optimizer.schedule.warmup_epochs: only the cosine schedule warms up"), c.getMessage());
        assertTrue(c.getMessage().contains("one_cycle rises, falls and anneals: it needs at least 3 epochs"), c.getMessage());
    }

    @Test
    void leakySettingsAreRefused() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(write("z.yaml", GOOD.replace("target: LN_IC50", "target: Z_SCORE")),
                List.of("split.kind=group-blind")));
        assertTrue(e.getMessage().contains("data.rows.target: 'Z_SCORE' is derived from the outcome"), e.getMessage());
        assertTrue(e.getMessage().contains("split.group: missing"), e.getMessage());
        ConfigException k = assertThrows(ConfigException.class, () -> loader.load(write("k.yaml", GOOD), List.of("split.kind=kfold", "split.group=batch")));
        assertTrue(k.getMessage().contains("split.group: 'batch' is neither sample, drug, row nor a table under data.groups"), k.getMessage());
    }

    @Test
    void finalModelAndBootstrapSettings() throws IOException {
        ConfigException single = assertThrows(ConfigException.class, () -> loader.load(write("f.yaml", GOOD), List.of("split.final_model=true")));
        assertTrue(single.getMessage().contains("split.final_model: only k-fold runs train a final model"), single.getMessage());
        ExperimentConfig kfold = loader.load(write("g.yaml", GOOD), List.of("split.kind=kfold", "split.final_model=true")).config();
        assertTrue(kfold.split().finalModel());
        assertEquals(1000, kfold.evaluation().bootstrap());
        assertEquals(0, loader.load(write("h.yaml", GOOD), List.of("evaluation.bootstrap=0")).config().evaluation().bootstrap());
        ConfigException negative = assertThrows(ConfigException.class, () -> loader.load(write("i.yaml", GOOD), List.of("evaluation.bootstrap=-5")));
        assertTrue(negative.getMessage().contains("evaluation.bootstrap"), negative.getMessage());
        // test: 0 only when an external study is the test
        ConfigException noTest = assertThrows(ConfigException.class, () -> loader.load(write("j.yaml", GOOD), List.of("split.test=0")));
        assertTrue(noTest.getMessage().contains("split.test"), noTest.getMessage());
    }

    /**
     * Prediction intervals calibrate on a part that chose nothing: split.calibration defaults to 0.1 with them, 0 is
     * refused, as are k-fold runs and Monte Carlo dropout without dropout, all at load (these once failed after training).
     */
    @Test
    void intervalsNeedACalibrationPartAndSomethingToSample() throws IOException {
        Path f = write("u.yaml", GOOD);
        ExperimentConfig withIntervals = loader.load(f, List.of("evaluation.uncertainty.kind=conformal")).config();
        assertEquals(0.1, withIntervals.split().calibration());
        assertEquals(0.0, loader.load(f, List.of()).config().split().calibration(), "no intervals, no calibration part");
        assertTrue(problems(f, "evaluation.uncertainty.kind=conformal", "split.calibration=0").contains("split.calibration: evaluation.uncertainty "
                + "calibrates its intervals on rows that chose nothing"));
        assertTrue(problems(f, "evaluation.uncertainty.kind=mc_dropout", "model.dropout=0").contains("mc_dropout samples the network's dropout"));
        assertTrue(problems(f, "evaluation.uncertainty.kind=conformal", "split.kind=kfold").contains("a k-fold run has none"));
        assertTrue(problems(f, "split.kind=kfold", "split.calibration=0.1").contains("k-fold runs calibrate no intervals"));
        assertTrue(problems(f, "split.calibration=0.5").contains("split.calibration"));
        assertEquals(0.2, loader.load(f, List.of("evaluation.uncertainty.kind=conformal", "split.calibration=0.2")).config().split().calibration());
    }

    /** split.seed draws the partition; without it, the experiment's seed does; any long is a seed, 0 and negatives too. */
    @Test
    void theSplitSeedDefaultsToTheSeed() throws IOException {
        Path f = write("s.yaml", GOOD);
        assertEquals(42, loader.load(f, List.of()).config().splitSeed());
        assertEquals(-3, loader.load(f, List.of("seed=-3")).config().splitSeed());
        ExperimentConfig fixed = loader.load(f, List.of("seed=0", "split.seed=7")).config();
        assertEquals(0, fixed.seed());
        assertEquals(7, fixed.splitSeed());
        assertEquals(7, fixed.withSeed(9).splitSeed(), "a fixed split seed stays when the seed changes");
        assertEquals(9, loader.load(f, List.of()).config().withSeed(9).splitSeed(), "else it follows the seed");
        assertTrue(loader.load(f, List.of("split.seed=7")).resolvedYaml().contains("seed: 7"));
    }

    @Test
    void minimumRowsPerDrugForThePairedTest() throws IOException {
        assertEquals(10, loader.load(write("s.yaml", GOOD), List.of()).config().evaluation().significance().minRowsPerDrug());
        LoadedExperiment twenty = loader.load(write("t.yaml", GOOD), List.of("evaluation.significance.min_rows_per_drug=20"));
        assertEquals(20, twenty.config().evaluation().significance().minRowsPerDrug());
        assertTrue(twenty.resolvedYaml().contains("min_rows_per_drug: 20"), twenty.resolvedYaml());
        String low = problems(write("u.yaml", GOOD), "evaluation.significance.min_rows_per_drug=2");
        assertTrue(low.contains("evaluation.significance.min_rows_per_drug: 2 is out of range"), low);
        String typo = problems(write("v.yaml", GOOD), "evaluation.significance.min_row_per_drug=20");
        assertTrue(typo.contains("evaluation.significance.min_row_per_drug: unknown key (did you mean 'min_rows_per_drug'?)"), typo);
    }

    @Test
    void didYouMeanFindsCloseWordsOnly() {
        assertEquals("hidden", DidYouMean.closest("hiden", List.of("kind", "hidden", "dropout")).orElseThrow());
        assertTrue(DidYouMean.closest("zzzzzz", List.of("kind", "hidden")).isEmpty());
    }

    private String problems(Path file, String... overrides) {
        return assertThrows(BadInputException.class, () -> loader.load(file, List.of(overrides))).getMessage();
    }

    @Test
    void emptyFileSaysWhatIsMissing() throws IOException {
        String e = problems(write("empty.yaml", "   \n# nothing here\n"));
        assertTrue(e.contains("data: missing; allowed: a mapping"), e);
        assertTrue(problems(write("list.yaml", "- a\n- b\n")).contains("must be a mapping of keys (name, data, model, ...), not a list"));
    }

    @Test
    void listMessagesAreWrittenOnce() throws IOException {
        String e = problems(write("bad-hidden.yaml", GOOD), "model.hidden=[32, 0]");
        assertTrue(e.contains("model.hidden[1]: 0 is not allowed; allowed: an integer in [1, 65536]"), e);
        assertTrue(!e.contains("an integer in an integer"), e);
    }

    @Test
    void emptyLayerListsAreRefused() throws IOException {
        String e = problems(write("no-hidden.yaml", GOOD), "model.hidden=[]");
        assertTrue(e.contains("model.hidden: an empty list gives no hidden layer"), e);
    }

    @Test
    void textThatIsNotUtf8NamesTheFile() throws IOException {
        Path f = dir.resolve("latin1.yaml");
        byte[] good = (GOOD + "# caf").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] bytes = java.util.Arrays.copyOf(good, good.length + 2);
        bytes[good.length] = (byte) 0xE9; // é in ISO-8859-1
        bytes[good.length + 1] = '\n';
        Files.write(f, bytes);
        String e = problems(f);
        assertTrue(e.contains("latin1.yaml") && e.contains("not valid UTF-8"), e);
    }
}
