package org.oncobench.data;

import org.oncobench.stats.Shuffles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Serves mini-batches of cohort rows as MultiDataSets with one feature array per table (sample tables, then drug
 * tables: the network's named inputs), gathered by index from the per-entity tables; the rows x features matrix is
 * never materialised. Shuffles the row order per epoch from (seed, epoch), so training is reproducible and resumable.
 * Labels are the standardised targets (regression) or one-hot classes [negative, positive] (classification).
 */
public final class GatheringIterator implements MultiDataSetIterator {
    private final Cohort cohort;
    private final int[] original;
    private final int[] rows;
    private final long seed;
    private final int batchSize;
    private final FittedTransforms transforms;
    private final boolean shuffle;
    private int cursor;
    private long gatherNanos;
    private MultiDataSetPreProcessor preProcessor;

    public GatheringIterator(Cohort cohort, int[] rows, int batchSize, FittedTransforms transforms, long seed, boolean shuffle) {
        this.cohort = cohort;
        this.original = rows.clone();
        this.rows = rows.clone();
        this.batchSize = batchSize;
        this.transforms = transforms;
        this.seed = seed;
        this.shuffle = shuffle;
        startEpoch(0);
    }

    /**
     * Rewinds for the given epoch. The order depends only on (seed, epoch), never on earlier epochs, so a run resumed
     * from a checkpoint sees exactly the batches an uninterrupted run would have.
     */
    public void startEpoch(int epoch) {
        cursor = 0;
        System.arraycopy(original, 0, rows, 0, rows.length);
        if (shuffle) {
            Shuffles.shuffle(rows, new Random(seed * 1_000_003L + epoch)::nextInt);
        }
    }

    /** Number of batches in one pass. */
    public int batchesPerEpoch() {
        return (rows.length + batchSize - 1) / batchSize;
    }

    public int batch() {
        return batchSize;
    }

    /** Time spent gathering batches so far (the data pipeline's share of an epoch, for benchmarks). */
    public long gatherNanos() {
        return gatherNanos;
    }

    /** The feature tables in input order: sample tables, then drug tables. */
    public static List<FeatureTable> inputTables(Cohort cohort) {
        List<FeatureTable> all = new ArrayList<>(cohort.sampleTables());
        all.addAll(cohort.drugTables());
        return all;
    }

    /** Gathers the features of rows[from, to) into one array per input table. */
    public static INDArray[] gatherFeatures(Cohort cohort, int[] rows, int from, int to) {
        List<FeatureTable> tables = inputTables(cohort);
        INDArray[] out = new INDArray[tables.size()];
        int n = to - from;
        for (int t = 0; t < tables.size(); t++) {
            FeatureTable table = tables.get(t);
            boolean isDrug = t >= cohort.sampleTables().size();
            int w = table.width();
            float[] buffer = new float[n * w];
            for (int i = from; i < to; i++) {
                int entity = isDrug ? cohort.rowDrug()[rows[i]] : cohort.rowSample()[rows[i]];
                table.copyRow(entity, buffer, (i - from) * w);
            }
            out[t] = floats(buffer, n, w);
        }
        return out;
    }

    /**
     * A new [rows, columns] float array holding {@code values}, copied in one bulk move ({@code Nd4j.create(float[])}
     * copies element by element: measured as most of the gathering time).
     */
    public static INDArray floats(float[] values, int rows, int columns) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, columns}, 'c');
        a.data().asNioFloat().put(0, values, 0, values.length);
        return a;
    }

    @Override
    public MultiDataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long t0 = System.nanoTime();
        int to = Math.min(rows.length, cursor + num);
        int n = to - cursor;
        INDArray[] features = gatherFeatures(cohort, rows, cursor, to);
        int outs = transforms.classification() ? 2 : 1;
        float[] labels = new float[n * outs];
        for (int i = 0; i < n; i++) {
            float y = cohort.targets()[rows[cursor + i]];
            if (transforms.classification()) {
                labels[i * 2 + (y > 0.5f ? 1 : 0)] = 1f;
            } else {
                labels[i] = transforms.standardiseTarget(y);
            }
        }
        cursor = to;
        MultiDataSet ds = new org.nd4j.linalg.dataset.MultiDataSet(features, new INDArray[]{floats(labels, n, outs)});
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        gatherNanos += System.nanoTime() - t0;
        return ds;
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /** Rewinds without reshuffling (the trainer calls {@link #startEpoch} at each epoch). */
    @Override
    public void reset() {
        cursor = 0;
    }

    @Override
    public boolean hasNext() {
        return cursor < rows.length;
    }

    @Override
    public MultiDataSet next() {
        return next(batchSize);
    }
}
