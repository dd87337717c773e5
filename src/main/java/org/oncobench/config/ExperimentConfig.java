package org.oncobench.config;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;
import java.util.Map;

/**
 * A validated experiment: immutable, paths absolute, defaults filled in. Built only by {@link ExperimentLoader}.
 *
 * @param seeds when not empty, the experiment runs once per seed as a run group (each run with {@code seed} set to one)
 */
public record ExperimentConfig(String name, long seed, DataConfig data, TaskConfig task, SplitConfig split,
                               ModelConfig model, TrainingConfig training, EvaluationConfig evaluation, List<Long> seeds) {

    public ExperimentConfig(String name, long seed, DataConfig data, TaskConfig task, SplitConfig split, ModelConfig model,
                            TrainingConfig training, EvaluationConfig evaluation) {
        this(name, seed, data, task, split, model, training, evaluation, List.of());
    }

    /** The same experiment evaluated otherwise (e.g. a retraining that needs fewer baselines and no extras). */
    /** The same experiment under another seed (an ensemble member). */
    public ExperimentConfig withSeed(long newSeed) {
        return new ExperimentConfig(name, newSeed, data, task, split, model, training, evaluation, seeds);
    }

    /** The seed the split is drawn from: {@code split.seed}, or the experiment's seed when that is not set. */
    public long splitSeed() {
        return split.seed() != null ? split.seed() : seed;
    }

    public ExperimentConfig withEvaluation(EvaluationConfig newEvaluation) {
        return new ExperimentConfig(name, seed, data, task, split, model, training, newEvaluation, seeds);
    }

    /** Where the rows (one per sample or sample-drug pair, with the target) come from. */
    /**
     * {@code replicates}: what to do with several rows of one (sample, drug) pair, or of one sample in a per-sample task:
     * {@code mean} (one row with their mean response; classification: their label when they agree), {@code first} (the
     * first row in file order) or {@code refuse}. Either way one pair is one row, so a split never puts copies of it on
     * both sides. {@code missing}: what to do with a row whose target cell is empty (or NA/NaN): {@code drop} it (counted
     * in the summary and run.json; the default, since released benchmark files leave a cell empty where a curve fit failed
     * and DrEval itself drops those rows before splitting) or {@code refuse} the file.
     */
    public record RowsConfig(String file, String sample, String drug, String target, String replicates, String missing,
                             Map<String, String> where) {
        public static final String MISSING_DEFAULT = "drop";

        /**
         * @param where keep only the rows whose column (the key) holds the value, e.g. {@code {source: CCLE}} for one study
         *              of IMPROVE's response.tsv, which holds every study; null keeps every row. Rows left out still count
         *              for the file's row positions (split files index the whole file).
         */
        public RowsConfig(String file, String sample, String drug, String target, String replicates, String missing) {
            this(file, sample, drug, target, replicates, missing, null);
        }

        public RowsConfig(String file, String sample, String drug, String target) {
            this(file, sample, drug, target, "mean");
        }

        public RowsConfig(String file, String sample, String drug, String target, String replicates) {
            this(file, sample, drug, target, replicates, MISSING_DEFAULT);
        }

        @JsonIgnore
        public boolean dropsMissing() {
            return !"refuse".equals(missing);
        }

        @JsonIgnore
        public boolean hasDrug() {
            return drug != null;
        }
    }

    /** Maps the rows' sample ids (e.g. GDSC COSMIC_ID) to the feature tables' ids (e.g. DepMap ModelID). */
    public record SampleIdsConfig(String file, String from, String to) {
    }

    /**
     * Training-only feature selection for a sample matrix: a gene list (symbols, one per line, or a CSV with a
     * {@code Symbol} column such as DrEval's {@code meta/gene_lists/*.csv}) and/or the N columns with the highest
     * variance over the training samples.
     */
    public record SelectConfig(Integer topVariance, String genes) {
    }

    /** A per-sample input: a numeric matrix or a folder of image tiles. */
    public sealed interface SampleTableConfig permits MatrixTableConfig, ImageTableConfig {
    }

    /**
     * A sample x feature matrix (expression, mutations, copy number), keyed by an id column.
     *
     * @param missing   {@code fail} (refuse missing cells) or {@code median} (impute the training median per column)
     * @param transform {@code log1p} (ln(1 + x) of every cell, as read: for TPM or counts) or null (none); applied the same
     *                  way to a bundle's inputs
     * @param ignore    columns that are neither the id nor features (e.g. DrEval's second id column, {@code cellosaurus_id})
     */
    public record MatrixTableConfig(String file, String id, SelectConfig select, String missing, String transform, List<String> ignore,
                                    Integer headerRows, Integer nameRow) implements SampleTableConfig {
        public MatrixTableConfig(String file, String id, SelectConfig select, String missing) {
            this(file, id, select, missing, null, null);
        }

        /**
         * @param headerRows how many header lines the file has (null: 1). IMPROVE's omics files have several, one per gene
         *                   identifier system (improvelib's OmicsLoader: {@code pd.read_csv(..., index_col=0, header=[0, 1, 2])});
         *                   then the first column is the sample id whatever its header cells say
         * @param nameRow    which header line (0-based) names the features (null: the last)
         */
        public MatrixTableConfig(String file, String id, SelectConfig select, String missing, String transform, List<String> ignore) {
            this(file, id, select, missing, transform, ignore, null, null);
        }

        @JsonIgnore
        public int headerLines() {
            return headerRows == null ? 1 : headerRows;
        }

        @JsonIgnore
        public int namesLine() {
            return nameRow == null ? headerLines() - 1 : nameRow;
        }

        @JsonIgnore
        public boolean log1p() {
            return "log1p".equals(transform);
        }
    }

    /** Image tiles in {@code dir/<sample id>/*.png|jpg|tif}, resized to height x width x channels. */
    public record ImageTableConfig(String dir, List<Integer> size) implements SampleTableConfig {
        @JsonIgnore
        public int height() {
            return size.get(0);
        }

        @JsonIgnore
        public int width() {
            return size.get(1);
        }

        @JsonIgnore
        public int channels() {
            return size.get(2);
        }
    }

    /**
     * A drug table whose SMILES become Morgan/ECFP fingerprints, or ({@code precomputed}) one that holds the bits already:
     * {@code rows} (one row per drug: id, then one column per bit, as DrEval's documentation shows them), {@code columns}
     * (one column per drug named by its id, one row per bit: DrEval's {@code pubchem_id_to_demorgan_128_map.csv}) or
     * {@code auto} (rows when the header has the id column, else columns).
     */
    public record FingerprintTableConfig(String file, String id, String smiles, int radius, int bits, String precomputed) {
        public FingerprintTableConfig(String file, String id, String smiles, int radius, int bits) {
            this(file, id, smiles, radius, bits, null);
        }

        @JsonIgnore
        public boolean isPrecomputed() {
            return precomputed != null;
        }
    }

    /** A per-sample grouping column (tissue, batch) used for per-group metrics. */
    public record GroupConfig(String file, String id, String column) {
    }

    public record DataConfig(RowsConfig rows, SampleIdsConfig sampleIds, Map<String, SampleTableConfig> samples,
                             Map<String, FingerprintTableConfig> drugs, Map<String, GroupConfig> groups,
                             double maxUnmatched, ExternalConfig external) {
        public DataConfig(RowsConfig rows, SampleIdsConfig sampleIds, Map<String, SampleTableConfig> samples,
                          Map<String, FingerprintTableConfig> drugs, Map<String, GroupConfig> groups, double maxUnmatched) {
            this(rows, sampleIds, samples, drugs, groups, maxUnmatched, null);
        }
    }

    /**
     * A second study to score on (cross-study evaluation): its own files and layouts, the same table names as the
     * primary study. Nothing of it is trained on.
     *
     * @param minShared the least fraction of each primary table's columns the external study must also have
     */
    public record ExternalConfig(String name, double minShared, DataConfig data) {
    }

    /**
     * Regression, or binary classification: the positive class is a label ({@code positive: "Cancer"}) or, with a
     * threshold on a continuous target, {@code below} or {@code above} it.
     */
    public record TaskConfig(String kind, String positive, Double threshold) {
        @JsonIgnore
        public boolean isClassification() {
            return "classification".equals(kind);
        }
    }

    /**
     * How rows are split. {@code group} names what must not cross sides: for group-blind a data.groups name; for
     * kfold {@code sample}, {@code drug}, {@code row} or a data.groups name.
     */
    /** @param finalModel k-fold only: after the folds, one more model on every row, saved and exportable */
    /**
     * How rows are divided. {@code seed} draws the partition (null: the experiment's seed, so a run group's seeds vary it
     * too; a study fixes it, so its seeds vary initialisation, batch order and dropout only). {@code calibration} is a
     * share of the units held out for calibrating prediction intervals only: disjoint from train, validation and test,
     * and never used to choose anything.
     */
    public record SplitConfig(String kind, double test, double validation, String group, Integer folds, Integer repeats, boolean finalModel,
                              Long seed, double calibration, SplitFilesConfig files) {
        public SplitConfig(String kind, double test, double validation, String group, Integer folds, Integer repeats, boolean finalModel,
                           Long seed, double calibration) {
            this(kind, test, validation, group, folds, repeats, finalModel, seed, calibration, null);
        }

        public SplitConfig(String kind, double test, double validation) {
            this(kind, test, validation, null, null, null, false, null, 0);
        }

        public SplitConfig(String kind, double test, double validation, String group, Integer folds, Integer repeats) {
            this(kind, test, validation, group, folds, repeats, false, null, 0);
        }
    }

    /**
     * {@code split: {kind: files}}: the rows listed in three files of 0-based row positions into the rows file (one per
     * line, no header), IMPROVE's {@code splits/<STUDY>_split_<k>_{train,val,test}.txt}. {@code study} and {@code index}
     * say which, when the files came from a layout (for reports and the cross-study table).
     */
    public record SplitFilesConfig(String train, String validation, String test, String study, Integer index) {
    }

    /**
     * The network. {@code hidden} sizes the fusion head; {@code branch} (dense or conv1d) and {@code branchHidden} size
     * each input branch of twin / multimodal models; {@code conv} sizes convolutional branches; {@code loss} is the
     * regression loss (mse or huber).
     */
    /**
     * @param target         what the network learns (null: the response itself; see {@link TargetConfig})
     * @param norm           {@code model.norm}: batch, layer or none after each hidden dense layer (null: not set, which is
     *                       {@code batch_norm}'s choice for mlp and the others, batch for resmlp; see {@link #normalisation})
     * @param inputDropout   {@code model.input_dropout}: the probability of dropping each input feature in training (null: off)
     * @param inputNoise     {@code model.input_noise}: the sd of Gaussian noise added to each input feature in training (null: off)
     * @param embeddingDim   {@code model.embedding_dim}: the width of the cell and drug embeddings of {@code kind:
     *                       factorization} (null for every other kind)
     */
    public record ModelConfig(String kind, List<Integer> hidden, double dropout, String activation, double l2, boolean batchNorm,
                              String branch, List<Integer> branchHidden, ConvConfig conv, String loss, TargetConfig target,
                              EnsembleConfig ensemble, String norm, Double inputDropout, Double inputNoise, Integer embeddingDim,
                              TuneConfig tune) {
        /** {@code model.embedding_dim} when absent. */
        public static final int EMBEDDING_DIM_DEFAULT = 32;

        public ModelConfig(String kind, List<Integer> hidden, double dropout, String activation, double l2, boolean batchNorm,
                           String branch, List<Integer> branchHidden, ConvConfig conv, String loss, TargetConfig target,
                           EnsembleConfig ensemble, String norm, Double inputDropout, Double inputNoise) {
            this(kind, hidden, dropout, activation, l2, batchNorm, branch, branchHidden, conv, loss, target, ensemble, norm, inputDropout,
                    inputNoise, null, null);
        }

        public ModelConfig(String kind, List<Integer> hidden, double dropout, String activation, double l2, boolean batchNorm,
                           String branch, List<Integer> branchHidden, ConvConfig conv, String loss, TargetConfig target,
                           EnsembleConfig ensemble, Integer embeddingDim) {
            this(kind, hidden, dropout, activation, l2, batchNorm, branch, branchHidden, conv, loss, target, ensemble, null, null, null,
                    embeddingDim, null);
        }

        public ModelConfig(String kind, List<Integer> hidden, double dropout, String activation, double l2, boolean batchNorm,
                           String branch, List<Integer> branchHidden, ConvConfig conv, String loss, TargetConfig target,
                           EnsembleConfig ensemble) {
            this(kind, hidden, dropout, activation, l2, batchNorm, branch, branchHidden, conv, loss, target, ensemble, null, null, null, null, null);
        }

        public ModelConfig(String kind, List<Integer> hidden, double dropout, String activation, double l2, boolean batchNorm,
                           String branch, List<Integer> branchHidden, ConvConfig conv, String loss, TargetConfig target,
                           EnsembleConfig ensemble, TuneConfig tune) {
            this(kind, hidden, dropout, activation, l2, batchNorm, branch, branchHidden, conv, loss, target, ensemble, null, null, null, null, tune);
        }

        public ModelConfig(String kind, List<Integer> hidden, double dropout, String activation, double l2) {
            this(kind, hidden, dropout, activation, l2, false, "dense", List.of(128), new ConvConfig(List.of(16, 32), 5, 2), "mse");
        }

        public ModelConfig(String kind, List<Integer> hidden, double dropout, String activation, double l2, boolean batchNorm,
                           String branch, List<Integer> branchHidden, ConvConfig conv, String loss) {
            this(kind, hidden, dropout, activation, l2, batchNorm, branch, branchHidden, conv, loss, null);
        }

        public ModelConfig(String kind, List<Integer> hidden, double dropout, String activation, double l2, boolean batchNorm,
                           String branch, List<Integer> branchHidden, ConvConfig conv, String loss, TargetConfig target) {
            this(kind, hidden, dropout, activation, l2, batchNorm, branch, branchHidden, conv, loss, target, (EnsembleConfig) null);
        }

        /** How many networks the run trains and averages ({@code model.ensemble.members}; 1 without model.ensemble). */
        @JsonIgnore
        public int members() {
            return ensemble == null ? 1 : ensemble.members();
        }

        /** Whether each member trains on a bootstrap sample of the training rows ({@code model.ensemble.bagging}). */
        @JsonIgnore
        public boolean bagging() {
            return ensemble != null && ensemble.bagging();
        }

        /** The naive predictor the network learns the residual of ({@code model.target.residual_over}), or null. */
        @JsonIgnore
        public String residualOver() {
            return target == null ? null : target.residualOver();
        }

        /**
         * The normalisation after each hidden dense layer: {@code model.norm} when set, else batch for resmlp, else batch when
         * {@code batch_norm} is true, else none.
         */
        @JsonIgnore
        public String normalisation() {
            if (norm != null) {
                return norm;
            }
            return batchNorm || "resmlp".equals(kind) ? "batch" : "none";
        }

        /** The input dropout probability (0 without model.input_dropout). */
        @JsonIgnore
        public double inputDropoutRate() {
            return inputDropout == null ? 0 : inputDropout;
        }

        /** The input noise's standard deviation (0 without model.input_noise). */
        @JsonIgnore
        public double inputNoiseSd() {
            return inputNoise == null ? 0 : inputNoise;
        }

        public ModelConfig withTarget(TargetConfig newTarget) {
            return new ModelConfig(kind, hidden, dropout, activation, l2, batchNorm, branch, branchHidden, conv, loss, newTarget, ensemble,
                    norm, inputDropout, inputNoise, embeddingDim, tune);
        }

        public ModelConfig withEnsemble(EnsembleConfig newEnsemble) {
            return new ModelConfig(kind, hidden, dropout, activation, l2, batchNorm, branch, branchHidden, conv, loss, target, newEnsemble,
                    norm, inputDropout, inputNoise, embeddingDim, tune);
        }

        /** The width of the factorisation's embeddings ({@code model.embedding_dim}, {@link #EMBEDDING_DIM_DEFAULT} when unset). */
        @JsonIgnore
        public int embeddingWidth() {
            return embeddingDim == null ? EMBEDDING_DIM_DEFAULT : embeddingDim;
        }
    }


    /**
     * {@code model.tune} of {@code model.kind: auto} (or {@code run --tune BUDGET}): a successive-halving search over the
     * candidates of {@code org/oncobench/study/tune-candidates.yaml} on the validation rows, planned from {@code budget}.
     *
     * @param budget    the budget as written (e.g. "10m")
     * @param seconds   the budget in seconds
     * @param eta       successive halving's reduction factor (the top 1/eta of a rung goes on)
     * @param minEpochs the first rung's epochs (null: training.epochs / eta^2, at least 1)
     * @param seed      the sampler's seed (candidate draws and their order)
     * @param candidates at most this many candidates (null: as many as the budget buys)
     */
    public record TuneConfig(String budget, @JsonIgnore long seconds, int eta, Integer minEpochs, long seed, Integer candidates) {
    }

    /**
     * {@code model.ensemble}: {@code members} networks (1..32) trained under seeds derived from the run's
     * ({@link org.oncobench.model.Seeds#member}), each on a seeded bootstrap sample of the training rows when {@code bagging};
     * the run's prediction is their mean (summed in member order, then divided by the count).
     */
    public record EnsembleConfig(int members, boolean bagging) {
    }

    /**
     * {@code model.target}: with {@code residualOver} (one of {@link EvaluationConfig#RESIDUAL_OVER}) the network trains on
     * y - naive(y), the naive predictor fitted on the training rows only, and every prediction adds naive back.
     */
    public record TargetConfig(String residualOver) {
    }

    /** Convolution branches: filters per layer, kernel size, pooling size. */
    public record ConvConfig(List<Integer> filters, int kernel, int pool) {
    }

    /**
     * Learning-rate schedule per epoch: none, step (x gamma every {@code every} epochs), exponential (x gamma each epoch),
     * cosine (linear warm-up over {@code warmupEpochs}, then half a cosine to 0 over the remaining of {@code epochs}) or
     * one_cycle (DL4J's CycleSchedule over {@code epochs}: lr/10 up to lr and back, then annealing). {@code epochs} is
     * training.epochs, filled in for cosine and one_cycle only (null otherwise, as is {@code warmupEpochs} unless set).
     */
    public record ScheduleConfig(String kind, double gamma, int every, Integer warmupEpochs, @JsonIgnore Integer epochs) {
        public ScheduleConfig(String kind, double gamma, int every) {
            this(kind, gamma, every, null, null);
        }
    }

    /**
     * adam, adamw (Adam with decoupled weight decay), sgd, nesterovs (SGD with momentum); {@code gradientClip} (null:
     * off) clips each layer's gradient to that L2 norm (DL4J's GradientNormalization.ClipL2PerLayer).
     */
    public record OptimizerConfig(String kind, double lr, double momentum, double weightDecay, ScheduleConfig schedule, Double gradientClip) {
        public OptimizerConfig(String kind, double lr) {
            this(kind, lr, 0.9, 0.0, new ScheduleConfig("none", 1.0, 1));
        }

        public OptimizerConfig(String kind, double lr, double momentum, double weightDecay, ScheduleConfig schedule) {
            this(kind, lr, momentum, weightDecay, schedule, null);
        }
    }

    /**
     * @param checkpointEvery write a checkpoint (model, updater, epoch, history) every N epochs; 0 = never
     * @param keepCheckpoints how many periodic checkpoints to keep
     * @param earlyStopping   stop when the validation metric has not improved for {@code patience} epochs (null = off)
     * @param statsEvery      DL4J StatsListener reporting frequency, in iterations
     * @param workers         data-parallel replicas (DL4J's ParallelWrapper, parameters averaged after every round); 1 trains
     *                        the network itself
     * @param restoreBest     keep the epoch with the best validation metric at the end (null: exactly when early stopping
     *                        is on, as before; true also without early stopping; false keeps the last epoch)
     */
    public record TrainingConfig(int epochs, int batch, OptimizerConfig optimizer, int checkpointEvery, int keepCheckpoints,
                                 EarlyStoppingConfig earlyStopping, int statsEvery, int workers, Boolean restoreBest) {
        public TrainingConfig(int epochs, int batch, OptimizerConfig optimizer) {
            this(epochs, batch, optimizer, 5, 2, null, 20, 1);
        }

        public TrainingConfig(int epochs, int batch, OptimizerConfig optimizer, int checkpointEvery, int keepCheckpoints,
                              EarlyStoppingConfig earlyStopping, int statsEvery, int workers) {
            this(epochs, batch, optimizer, checkpointEvery, keepCheckpoints, earlyStopping, statsEvery, workers, null);
        }

        /** Whether training keeps the best validation epoch's network rather than the last one. */
        @JsonIgnore
        public boolean keepsBestEpoch() {
            return restoreBest != null ? restoreBest : earlyStopping != null;
        }
    }

    /** Early stopping on the validation metric (RMSE for regression, AUC for classification); the best epoch's model is kept. */
    public record EarlyStoppingConfig(String metric, int patience) {
    }

    /**
     * @param baselines predictors fitted on the same training rows as the model and scored beside it
     * @param group     the {@code data.groups} column the group baselines (group_mean, group_drug_mean) average over; null
     *                  when the experiment has no groups
     */
    /**
     * @param bootstrap     resamples for the confidence intervals and paired differences ({@code eval.Significance}); 0
     *                      turns them off
     * @param randomization retrain with one input table randomised at a time (null: off)
     * @param learningCurve fractions of the training units to train on, for a learning curve (null: off)
     * @param significance  settings of the paired test over drugs ({@code eval.Significance})
     */
    public record EvaluationConfig(List<String> baselines, String group, int bootstrap, RandomizationConfig randomization,
                                   List<Double> learningCurve, ExplainConfig explain, UncertaintyConfig uncertainty, SignificanceConfig significance,
                                   String residualOver) {
        /** The values of {@code evaluation.residual_over}: the naive predictor the feature baselines fit the residuals of. */
        public static final List<String> RESIDUAL_OVER = List.of("drug_mean", "mean_effects", "group_drug_mean");

        public EvaluationConfig(List<String> baselines, String group, int bootstrap, RandomizationConfig randomization,
                                List<Double> learningCurve, ExplainConfig explain, UncertaintyConfig uncertainty, SignificanceConfig significance) {
            this(baselines, group, bootstrap, randomization, learningCurve, explain, uncertainty, significance, null);
        }

        public EvaluationConfig(List<String> baselines, String group, int bootstrap) {
            this(baselines, group, bootstrap, null, null, null, null, SignificanceConfig.DEFAULT);
        }

        public EvaluationConfig(List<String> baselines, String group, int bootstrap, RandomizationConfig randomization, List<Double> learningCurve) {
            this(baselines, group, bootstrap, randomization, learningCurve, null, null, SignificanceConfig.DEFAULT);
        }
    }

    /**
     * The paired Wilcoxon test over drugs ({@code evaluation.significance}): a drug enters only with at least
     * {@code minRowsPerDrug} test rows (a per-drug Pearson over 2 rows is +-1 whatever the predictions).
     */
    public record SignificanceConfig(int minRowsPerDrug) {
        public static final int DEFAULT_MIN_ROWS_PER_DRUG = 10;
        public static final SignificanceConfig DEFAULT = new SignificanceConfig(DEFAULT_MIN_ROWS_PER_DRUG);
    }

    /**
     * Prediction intervals ({@code evaluation.uncertainty}): split conformal calibration on the validation rows, scaled
     * per row by the spread of {@code samples} Monte Carlo dropout passes ({@code mc_dropout}), of {@code samples}
     * networks trained under different seeds ({@code ensemble}: the run's model and samples - 1 more), or of constant
     * width ({@code conformal}); {@code level} is the coverage the bundle's intervals aim at.
     */
    public record UncertaintyConfig(String kind, int samples, double level) {
    }

    /**
     * Attributions of the trained network on its test rows ({@code evaluation.explain}): {@code method}
     * integrated_gradients (with {@code steps}) or gradient_x_input; at most {@code rows} test rows explained (evenly
     * spread); the {@code top} features kept per prediction; permutation importance per input table and for the
     * {@code genes} globally most important features, {@code repeats} permutations each.
     */
    public record ExplainConfig(String method, int steps, int rows, int top, int repeats, int genes) {
    }

    /**
     * DrEval's randomisation tests: each named input table in turn has its rows permuted across samples (or drugs)
     * ({@code permute}) or replaced by the training mean ({@code mean}), and the model is trained again on the first fold.
     */
    public record RandomizationConfig(List<String> tables, String kind, int repeats) {
    }
}
