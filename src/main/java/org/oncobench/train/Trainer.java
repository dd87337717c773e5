package org.oncobench.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.oncobench.data.GatheringIterator;
import org.oncobench.eval.ClassificationMetrics;
import org.oncobench.eval.RegressionMetrics;

import java.util.ArrayList;
import java.util.List;

/** Trains a network for a number of epochs, scoring the validation rows after each (RMSE, or AUC for classification). */
public final class Trainer {

    public List<EpochRecord> train(ComputationGraph net, GatheringIterator train, Cohort cohort, int[] validationRows,
                                   FittedTransforms transforms, int epochs, TrainingProgress progress) {
        ProgressListener listener = new ProgressListener(progress, epochs, train.batchesPerEpoch());
        net.setListeners(listener);
        double[] observed = new double[validationRows.length];
        for (int i = 0; i < validationRows.length; i++) {
            observed[i] = cohort.targets()[validationRows[i]];
        }
        List<EpochRecord> history = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            listener.startEpoch(epoch);
            train.reset();
            net.fit(train);
            double valRmse = Double.NaN;
            if (validationRows.length > 0) {
                double[] predicted = BatchPredictor.predict(net, cohort, validationRows, transforms, Math.max(256, train.batch()));
                valRmse = transforms.classification() ? ClassificationMetrics.of(observed, predicted).auc()
                        : RegressionMetrics.of(observed, predicted).rmse();
            }
            EpochRecord record = new EpochRecord(epoch, listener.meanLoss(), valRmse, (System.nanoTime() - start) / 1e9);
            history.add(record);
            progress.epochDone(record, epochs);
        }
        return history;
    }
}
