package org.oncobench.train;

import org.oncobench.config.BadInputException;

import java.util.Locale;

/**
 * Training produced a non-finite loss or non-finite predictions: the settings (usually the learning rate) are the
 * user's to change, so it is reported like bad input (exit code 2) and the run is marked failed.
 */
public final class TrainingDivergedException extends BadInputException {
    public TrainingDivergedException(int epoch, double loss, String what) {
        super(String.format(Locale.ROOT, "training diverged at epoch %d (loss %s)%s; lower training.optimizer.lr, or add "
                + "training.optimizer.schedule, model.batch_norm or a smaller model.l2", epoch, Double.isFinite(loss)
                ? String.format(Locale.ROOT, "%.4g", loss) : String.valueOf(loss), what == null ? "" : ": " + what));
    }
}
