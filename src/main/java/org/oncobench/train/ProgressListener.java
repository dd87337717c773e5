package org.oncobench.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/** A DL4J listener that forwards each mini-batch's loss to a {@link TrainingProgress} and averages it per epoch. */
final class ProgressListener extends BaseTrainingListener {
    private final TrainingProgress progress;
    private final int epochs;
    private final int batches;
    private int epoch;
    private int batch;
    private double lossSum;

    ProgressListener(TrainingProgress progress, int epochs, int batches) {
        this.progress = progress;
        this.epochs = epochs;
        this.batches = batches;
    }

    void startEpoch(int oneBasedEpoch) {
        epoch = oneBasedEpoch;
        batch = 0;
        lossSum = 0;
    }

    double meanLoss() {
        return batch == 0 ? Double.NaN : lossSum / batch;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epochCount) {
        batch++;
        double loss = model.score();
        lossSum += loss;
        progress.batchDone(epoch, epochs, batch, batches, loss);
    }
}
