package org.oncobench.eval;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import io.github.metarank.lightgbm4j.LGBMBooster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.oncobench.data.Cohort;
import org.oncobench.data.GatheringIterator;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tree ensembles on exactly the model's inputs and training rows, with LightGBM (through lightgbm4j): gradient
 * boosting ({@code gbm}) and random forests ({@code rf}: LightGBM's bagged mode, rows bootstrapped at 0.632 and features
 * sampled per node), for regression (squared error) and classification (logistic). These are the baselines DrEval found
 * hardest to beat. DESIGN.md names XGBoost4J; LightGBM measured better here: XGBoost4J's CPU matrix holds about 11 bytes
 * per cell (9-11 GB resident at GDSC scale) and its quantised and external-memory matrices are GPU-only in the Maven
 * build, while LightGBM bins rows pushed in blocks into about one byte per cell.
 * <p>
 * Tuned on the validation rows only, over a small grid: gbm num_leaves {15, 63} x learning_rate {0.1, 0.3}, up to 300
 * rounds with early stopping after 15 rounds without improvement on the validation rows (rows and features subsampled
 * at 0.8); rf num_leaves {63, 255}, 100 trees, feature_fraction_bynode 0.33, min_data_in_leaf 5. Leaves hold at least
 * 20 rows (gbm), fewer on small cohorts ({@link #minDataInLeaf}). The setting with the
 * best validation RMSE (AUC for classification) wins; without validation rows the centre of the grid is used (gbm
 * 63 leaves, 0.1, 200 rounds; rf 255 leaves). Above {@link #LARGE_CELLS} training cells (GDSC scale) each grid shrinks to
 * one setting, since one round there costs about a second: gbm 63 leaves at 0.1 with rows and features subsampled at
 * 0.5 per round; rf 1,023 leaves (a forest needs deep trees on 150k rows) with a third of the features per tree.
 * <p>
 * Memory: the training matrix is never built on the Java side. Bins come from an evenly spaced sample of at most 20,000
 * training rows; then every training row is pushed to LightGBM in blocks gathered from the feature tables, straight from
 * ND4J's off-heap buffers, into binned columns of about one byte per cell. Seeded, deterministic mode, a fixed thread
 * count: the same data gives the same trees.
 */
public final class TreeEnsemble {
    public enum Kind { GBM, RF }

    private static final Cleaner CLEANER = Cleaner.create();
    static final int BLOCK = 4096;
    /** Rows the bin boundaries come from (as one off-heap block: at GDSC scale 20,000 rows are 324 MB): 312 per bin. */
    static final int BIN_SAMPLE = 20_000;
    static final int GBM_MAX_ROUNDS = 300;
    static final int EARLY_STOP = 15;
    static final int RF_TREES = 100;
    static final int MAX_BIN = 64;
    static final long LARGE_CELLS = 100_000_000L;
    /**
     * LightGBM caches one histogram per leaf (16 bytes per bin per leaf): at GDSC scale with 1,023 leaves that alone is
     * about 2 GB. Capped, the least recently used leaves' histograms are rebuilt when needed.
     */
    static final int HISTOGRAM_POOL_MB = 384;

    private final Kind kind;
    private final Handle booster;
    private final boolean classification;
    private final int width;
    private final Map<String, Object> settings;

    private TreeEnsemble(Kind kind, Handle booster, boolean classification, int width, Map<String, Object> settings) {
        this.kind = kind;
        this.booster = booster;
        this.classification = classification;
        this.width = width;
        this.settings = settings;
    }

    public Kind kind() {
        return kind;
    }

    /** The chosen hyperparameters, rounds, and the validation score they were chosen by. */
    public Map<String, Object> settings() {
        return settings;
    }

    public static TreeEnsemble fit(Kind kind, Cohort prepared, int[] train, int[] validation, boolean classification, long seed, int threads) {
        loadNative();
        int width = prepared.inputWidth();
        boolean large = (long) train.length * width > LARGE_CELLS;
        String common = common(classification, seed, threads);
        List<Map<String, Object>> grid = grid(kind, validation.length > 0, large, minDataInLeaf(train.length));
        Handle trainSet = dataset(prepared, train, common, null);
        Handle validSet = validation.length > 0 ? dataset(prepared, validation, common, trainSet) : null;
        double[] observed = new double[validation.length];
        for (int i = 0; i < observed.length; i++) {
            observed[i] = prepared.targets()[validation[i]];
        }
        try {
            TreeEnsemble best = null;
            double bestScore = Double.NaN;
            for (Map<String, Object> setting : grid) {
                StringBuilder params = new StringBuilder(common).append(" metric=").append(classification ? "binary_logloss" : "rmse");
                setting.forEach((k, v) -> params.append(' ').append(k).append('=').append(v));
                Handle booster = booster(trainSet, params.toString());
                int rounds = train(kind, booster, validSet, validation.length);
                Map<String, Object> chosen = new LinkedHashMap<>(setting);
                chosen.put(kind == Kind.GBM ? "rounds" : "trees", rounds);
                TreeEnsemble candidate = new TreeEnsemble(kind, booster, classification, width, chosen);
                if (validation.length == 0) {
                    best = candidate;
                    break;
                }
                Scores s = Scores.of(classification, observed, candidate.predict(prepared, validation));
                chosen.put("validation_" + s.headlineName(), RegressionMetrics.finite(s.headline()));
                if (best == null || (Double.isFinite(s.headline()) && (!Double.isFinite(bestScore)
                        || (s.higherIsBetter() ? s.headline() > bestScore : s.headline() < bestScore)))) {
                    if (best != null) {
                        best.booster.close();
                    }
                    best = candidate;
                    bestScore = s.headline();
                } else {
                    booster.close();
                }
            }
            best.settings.put("chosen_by", validation.length > 0 ? "validation rows" : "default: no validation rows to tune on");
            best.settings.put("grid_size", grid.size());
            best.settings.put("threads", threads);
            return best;
        } finally {
            if (validSet != null) {
                validSet.close();
            }
            trainSet.close();
        }
    }

    private static String common(boolean classification, long seed, int threads) {
        return String.format(Locale.ROOT, "objective=%s max_bin=%d num_threads=%d seed=%d deterministic=true force_col_wise=true "
                + "histogram_pool_size=%d feature_pre_filter=false verbosity=-1", classification ? "binary" : "regression", MAX_BIN, threads, seed & 0x7fffffffL,
                HISTOGRAM_POOL_MB);
    }

    /**
     * A regression forest of {@code trees} trees in one given setting (LightGBM's rf mode), on the rows' inputs: the
     * per-drug forests of {@code single_drug_rf}, whose settings their own inner cross-validation chooses.
     */
    static TreeEnsemble forest(Cohort prepared, int[] train, int numLeaves, int trees, long seed, int threads) {
        loadNative();
        StringBuilder params = new StringBuilder(common(false, seed, threads)).append(" metric=rmse");
        Map<String, Object> setting = new LinkedHashMap<>();
        setting.put("boosting", "rf");
        setting.put("num_leaves", numLeaves);
        setting.put("bagging_fraction", 0.632);
        setting.put("bagging_freq", 1);
        setting.put("feature_fraction_bynode", 0.33);
        setting.put("min_data_in_leaf", Math.min(5, minDataInLeaf(train.length)));
        setting.forEach((k, v) -> params.append(' ').append(k).append('=').append(v));
        try (Handle trainSet = dataset(prepared, train, common(false, seed, threads), null)) {
            Handle booster = booster(trainSet, params.toString());
            grow(booster, trees);
            setting.put("trees", trees);
            return new TreeEnsemble(Kind.RF, booster, false, prepared.inputWidth(), setting);
        }
    }

    /** Grows one setting's trees: boosting rounds until early stopping on the validation rows (GBM), or the forest's trees. */
    private static int train(Kind kind, Handle booster, Handle validSet, int validationRows) {
        if (kind == Kind.GBM) {
            if (validSet != null) {
                check(lightgbmlib.LGBM_BoosterAddValidData(booster.pointer, validSet.pointer)); // early stopping watches it
            }
            return boost(booster, validSet, validationRows > 0 ? GBM_MAX_ROUNDS : 200);
        }
        grow(booster, RF_TREES);
        return RF_TREES;
    }

    /** Grows {@code trees} more trees (a forest's rounds: no validation to stop on). */
    private static void grow(Handle booster, int trees) {
        SWIGTYPE_p_int finished = lightgbmlib.new_intp();
        try {
            for (int i = 0; i < trees; i++) {
                check(lightgbmlib.LGBM_BoosterUpdateOneIter(booster.pointer, finished));
            }
        } finally {
            lightgbmlib.delete_intp(finished);
        }
    }

    /**
     * Rows a leaf must hold: LightGBM's default of 20, fewer on small cohorts (a fiftieth of the rows, at least 3). With
     * 20, a fold of 38 training rows bagged at 0.8 cannot split at all and every tree is one leaf (bladderbatch's folds).
     */
    static int minDataInLeaf(int trainRows) {
        return Math.max(3, Math.min(20, trainRows / 50));
    }

    private static List<Map<String, Object>> grid(Kind kind, boolean tuned, boolean large, int minLeaf) {
        List<Map<String, Object>> grid = new ArrayList<>();
        if (kind == Kind.GBM) {
            int[] leaves = tuned && !large ? new int[]{15, 63} : new int[]{63};
            double[] rates = tuned && !large ? new double[]{0.1, 0.3} : new double[]{0.1};
            for (int l : leaves) {
                for (double r : rates) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("num_leaves", l);
                    p.put("learning_rate", r);
                    p.put("feature_fraction", large ? 0.5 : 0.8);
                    p.put("bagging_fraction", large ? 0.5 : 0.8);
                    p.put("bagging_freq", 1);
                    p.put("min_data_in_leaf", minLeaf);
                    grid.add(p);
                }
            }
        } else {
            for (int l : tuned && !large ? new int[]{63, 255} : new int[]{large ? 1023 : 255}) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("boosting", "rf");
                p.put("num_leaves", l);
                p.put("bagging_fraction", 0.632);
                p.put("bagging_freq", 1);
                // a forest samples features per split; at scale per tree too, which is what makes a round affordable
                p.put(large ? "feature_fraction" : "feature_fraction_bynode", 0.33);
                p.put("min_data_in_leaf", Math.min(5, minLeaf));
                grid.add(p);
            }
        }
        return grid;
    }

    /** Boosts until {@code maxRounds}, or until the validation metric has not improved for {@link #EARLY_STOP} rounds. */
    private static int boost(Handle booster, Handle validSet, int maxRounds) {
        SWIGTYPE_p_int finished = lightgbmlib.new_intp();
        double best = Double.POSITIVE_INFINITY;
        int bestRound = 0;
        int round = 0;
        SWIGTYPE_p_int len = lightgbmlib.new_intp();
        SWIGTYPE_p_double eval = lightgbmlib.new_doubleArray(4);
        try {
            while (round < maxRounds) {
                check(lightgbmlib.LGBM_BoosterUpdateOneIter(booster.pointer, finished));
                round++;
                if (validSet == null) {
                    continue;
                }
                check(lightgbmlib.LGBM_BoosterGetEval(booster.pointer, 1, len, eval));
                double score = lightgbmlib.doubleArray_getitem(eval, 0); // rmse or logloss: lower is better
                if (score < best) {
                    best = score;
                    bestRound = round;
                } else if (round - bestRound >= EARLY_STOP) {
                    break;
                }
            }
            if (validSet != null) {
                for (int i = round; i > bestRound; i--) {
                    check(lightgbmlib.LGBM_BoosterRollbackOneIter(booster.pointer));
                }
                return bestRound;
            }
            return round;
        } finally {
            lightgbmlib.delete_doubleArray(eval);
            lightgbmlib.delete_intp(len);
            lightgbmlib.delete_intp(finished);
        }
    }

    /** Predictions (target units, or positive-class probabilities) for any rows of a cohort prepared like the training one. */
    public double[] predict(Cohort prepared, int[] rows) {
        double[] out = new double[rows.length];
        SWIGTYPE_p_long_long len = lightgbmlib.new_int64_tp();
        try {
            predictInto(prepared, rows, out, len);
        } finally {
            lightgbmlib.delete_int64_tp(len);
        }
        return out;
    }

    private void predictInto(Cohort prepared, int[] rows, double[] out, SWIGTYPE_p_long_long len) {
        for (int from = 0; from < rows.length; from += BLOCK) {
            int to = Math.min(rows.length, from + BLOCK);
            int n = to - from;
            INDArray block = block(prepared, rows, from, to);
            SWIGTYPE_p_double result = lightgbmlib.new_doubleArray(n);
            try {
                check(lightgbmlib.LGBM_BoosterPredictForMat(booster.pointer, pointer(block), lightgbmlibConstants.C_API_DTYPE_FLOAT32, n, width,
                        1, lightgbmlibConstants.C_API_PREDICT_NORMAL, 0, -1, "num_threads=1", len, result));
                for (int i = 0; i < n; i++) {
                    out[from + i] = lightgbmlib.doubleArray_getitem(result, i);
                }
            } finally {
                lightgbmlib.delete_doubleArray(result);
                block.close(); // off-heap: freed now, not when a collection happens to run
            }
        }
    }

    /** A LightGBM dataset of the rows: bins from a sample of them (or from {@code reference}), then every row pushed in blocks. */
    private static Handle dataset(Cohort prepared, int[] rows, String params, Handle reference) {
        int width = prepared.inputWidth();
        SWIGTYPE_p_p_void out = lightgbmlib.new_voidpp();
        Handle binned = reference;
        Handle sample = null;
        try {
            if (reference == null) {
                int[] sampleRows = evenlySpaced(rows, BIN_SAMPLE);
                INDArray s = block(prepared, sampleRows, 0, sampleRows.length);
                check(lightgbmlib.LGBM_DatasetCreateFromMat(pointer(s), lightgbmlibConstants.C_API_DTYPE_FLOAT32, sampleRows.length, width, 1,
                        params, null, out));
                s.close();
                sample = new Handle(lightgbmlib.voidpp_value(out), Handle.DATASET);
                binned = sample;
            }
            check(lightgbmlib.LGBM_DatasetCreateByReference(binned.pointer, rows.length, out));
            Handle data = new Handle(lightgbmlib.voidpp_value(out), Handle.DATASET);
            for (int from = 0; from < rows.length; from += BLOCK) {
                int to = Math.min(rows.length, from + BLOCK);
                INDArray block = block(prepared, rows, from, to);
                check(lightgbmlib.LGBM_DatasetPushRows(data.pointer, pointer(block), lightgbmlibConstants.C_API_DTYPE_FLOAT32, to - from, width, from));
                block.close(); // LightGBM has binned it; free the off-heap block now (a 4,096-row block at GDSC scale is 66 MB)
            }
            INDArray labels = Nd4j.createUninitialized(DataType.FLOAT, rows.length);
            for (int i = 0; i < rows.length; i++) {
                labels.putScalar(i, prepared.targets()[rows[i]]);
            }
            check(lightgbmlib.LGBM_DatasetSetField(data.pointer, "label", pointer(labels), rows.length, lightgbmlibConstants.C_API_DTYPE_FLOAT32));
            labels.close();
            return data;
        } finally {
            lightgbmlib.delete_voidpp(out);
            if (sample != null) {
                sample.close();
            }
        }
    }

    private static Handle booster(Handle trainSet, String params) {
        SWIGTYPE_p_p_void out = lightgbmlib.new_voidpp();
        try {
            check(lightgbmlib.LGBM_BoosterCreate(trainSet.pointer, params, out));
            return new Handle(lightgbmlib.voidpp_value(out), Handle.BOOSTER);
        } finally {
            lightgbmlib.delete_voidpp(out);
        }
    }

    /** At most {@code max} of the rows, evenly spaced (all of them when there are fewer). */
    static int[] evenlySpaced(int[] rows, int max) {
        if (rows.length <= max) {
            return rows;
        }
        int[] out = new int[max];
        for (int i = 0; i < max; i++) {
            out[i] = rows[(int) ((long) i * rows.length / max)];
        }
        return out;
    }

    /** Rows [from, to) of the concatenated inputs as one row-major float array, off-heap. */
    static INDArray block(Cohort prepared, int[] rows, int from, int to) {
        INDArray[] parts = GatheringIterator.gatherFeatures(prepared, rows, from, to);
        if (parts.length == 1) {
            return parts[0];
        }
        INDArray b = Nd4j.hstack(parts);
        for (INDArray p : parts) {
            p.close();
        }
        return b;
    }

    /** A pointer LightGBM can read: the array's own off-heap buffer (the caller keeps the array alive during the call). */
    private static SWIGTYPE_p_void pointer(INDArray array) {
        long address = array.data().address() + array.offset() * array.data().getElementSize();
        return new SWIGTYPE_p_void(address, false) {
        };
    }

    private static void check(int code) {
        if (code != 0) {
            throw new IllegalStateException("LightGBM: " + lightgbmlib.LGBM_GetLastError());
        }
    }

    private static void loadNative() {
        try {
            LGBMBooster.loadNative();
        } catch (IOException e) {
            throw new IllegalStateException("cannot load LightGBM's native library: " + e.getMessage(), e);
        }
    }

    /** A native LightGBM object freed when closed, or when it becomes unreachable. */
    private static final class Handle implements AutoCloseable {
        static final int DATASET = 0;
        static final int BOOSTER = 1;
        final SWIGTYPE_p_void pointer;
        private final Cleaner.Cleanable cleanable;

        Handle(SWIGTYPE_p_void pointer, int type) {
            this.pointer = pointer;
            this.cleanable = CLEANER.register(this, new Free(pointer, type));
        }

        @Override
        public void close() {
            cleanable.clean();
        }

        /** Frees the native object; must not refer to the Handle. */
        private record Free(SWIGTYPE_p_void pointer, int type) implements Runnable {
            public void run() {
                if (type == DATASET) {
                    lightgbmlib.LGBM_DatasetFree(pointer);
                } else {
                    lightgbmlib.LGBM_BoosterFree(pointer);
                }
            }
        }
    }
}
