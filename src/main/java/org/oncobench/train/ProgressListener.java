package org.oncobench.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * A DL4J listener that forwards each mini-batch's loss to a {@link TrainingProgress} and averages it per epoch. With
 * data-parallel training ({@code training.workers}) every worker's replica calls it from its own thread: it is
 * synchronised, and the epoch's sum is exact (BigDecimal), so the mean does not depend on the order the workers
 * finish in.
 */
final class ProgressListener extends BaseTrainingListener {
    private final TrainingProgress progress;
    private final int epochs;
    private final int batches;
    private int epoch;
    private int batch;
    private java.math.BigDecimal lossSum = java.math.BigDecimal.ZERO;
    private boolean nonFinite;

    ProgressListener(TrainingProgress progress, int epochs, int batches) {
        this.progress = progress;
        this.epochs = epochs;
        this.batches = batches;
    }

    synchronized void startEpoch(int oneBasedEpoch) {
        epoch = oneBasedEpoch;
        batch = 0;
        lossSum = java.math.BigDecimal.ZERO;
        nonFinite = false;
    }

    synchronized double meanLoss() {
        if (batch == 0 || nonFinite) {
            return Double.NaN;
        }
        return lossSum.divide(java.math.BigDecimal.valueOf(batch), java.math.MathContext.DECIMAL64).doubleValue();
    }

    @Override
    public synchronized void iterationDone(Model model, int iteration, int epochCount) {
        batch++;
        double loss = model.score();
        if (Double.isFinite(loss)) {
            lossSum = lossSum.add(new java.math.BigDecimal(loss));
        } else {
            nonFinite = true;
        }
        progress.batchDone(epoch, epochs, batch, batches, loss);
    }
}
