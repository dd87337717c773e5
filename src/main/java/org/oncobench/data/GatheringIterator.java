package org.oncobench.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Serves mini-batches of cohort rows by gathering each row's feature-table rows (all sample tables, then all drug
 * tables) into one input row; the rows x features matrix is never materialised. Shuffles the row order each epoch
 * with its own seeded generator, so training is reproducible. Labels are the standardised targets (regression) or
 * one-hot classes [negative, positive] (classification).
 */
public final class GatheringIterator implements DataSetIterator {
    private final Cohort cohort;
    private final int[] rows;
    private final int batchSize;
    private final FittedTransforms transforms;
    private final Random random;
    private final boolean shuffle;
    private final int width;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    public GatheringIterator(Cohort cohort, int[] rows, int batchSize, FittedTransforms transforms, long seed, boolean shuffle) {
        this.cohort = cohort;
        this.rows = rows.clone();
        this.batchSize = batchSize;
        this.transforms = transforms;
        this.random = new Random(seed);
        this.shuffle = shuffle;
        this.width = cohort.inputWidth();
        if (shuffle) {
            shuffleRows();
        }
    }

    /** Number of batches in one pass. */
    public int batchesPerEpoch() {
        return (rows.length + batchSize - 1) / batchSize;
    }

    /** Gathers the input features of the given cohort rows into a [n, width] row-major buffer. */
    public static float[] gatherFeatures(Cohort cohort, int[] rows, int from, int to) {
        int width = cohort.inputWidth();
        float[] features = new float[(to - from) * width];
        for (int i = from; i < to; i++) {
            int row = rows[i];
            int offset = (i - from) * width;
            int s = cohort.rowSample()[row];
            for (FeatureTable t : cohort.sampleTables()) {
                t.copyRow(s, features, offset);
                offset += t.width();
            }
            int d = cohort.rowDrug()[row];
            for (FeatureTable t : cohort.drugTables()) {
                t.copyRow(d, features, offset);
                offset += t.width();
            }
        }
        return features;
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int to = Math.min(rows.length, cursor + num);
        int n = to - cursor;
        float[] features = gatherFeatures(cohort, rows, cursor, to);
        int outs = totalOutcomes();
        float[] labels = new float[n * outs];
        for (int i = 0; i < n; i++) {
            float y = cohort.targets()[rows[cursor + i]];
            if (transforms.classification()) {
                labels[i * 2 + (y > 0.5f ? 1 : 0)] = 1f; // one-hot: [negative, positive]
            } else {
                labels[i] = transforms.standardiseTarget(y);
            }
        }
        cursor = to;
        DataSet ds = new DataSet(Nd4j.create(features, new long[]{n, width}, 'c'), Nd4j.create(labels, new long[]{n, outs}, 'c'));
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    private void shuffleRows() {
        for (int i = rows.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
    }

    @Override
    public int inputColumns() {
        return width;
    }

    @Override
    public int totalOutcomes() {
        return transforms.classification() ? 2 : 1;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public void reset() {
        cursor = 0;
        if (shuffle) {
            shuffleRows();
        }
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public boolean hasNext() {
        return cursor < rows.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }
}
