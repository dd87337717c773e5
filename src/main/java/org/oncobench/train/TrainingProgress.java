package org.oncobench.train;

/** Receives training progress; the CLI draws a progress bar, tests stay quiet. */
public interface TrainingProgress {
    void batchDone(int epoch, int epochs, int batch, int batches, double loss);

    void epochDone(EpochRecord record, int epochs);

    TrainingProgress QUIET = new TrainingProgress() {
        @Override
        public void batchDone(int epoch, int epochs, int batch, int batches, double loss) {
        }

        @Override
        public void epochDone(EpochRecord record, int epochs) {
        }
    };
}
