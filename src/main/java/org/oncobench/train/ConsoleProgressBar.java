package org.oncobench.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws {@code epoch 3/20 [=====>    ] batch 17/36 loss 0.4213 ETA 0:12} on one line of a terminal, redrawn at most
 * ten times a second; without a terminal (CI, pipes) it prints one line per epoch instead.
 */
public final class ConsoleProgressBar implements TrainingProgress {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean interactive;
    private long start = System.nanoTime();
    private long lastDraw;
    private final String metricName;
    private long totalBatches;

    public ConsoleProgressBar(PrintStream out, boolean interactive, String metricName) {
        this.out = out;
        this.interactive = interactive;
        this.metricName = metricName;
    }

    @Override
    public void batchDone(int epoch, int epochs, int batch, int batches, double loss) {
        totalBatches = (long) epochs * batches;
        if (epoch == 1 && batch == 1) {
            start = System.nanoTime(); // a new fold starts its own clock
        }
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && batch < batches) {
            return;
        }
        lastDraw = now;
        long done = (long) (epoch - 1) * batches + batch;
        int filled = (int) (WIDTH * batch / Math.max(1, batches));
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        out.print(String.format(Locale.ROOT, "\r  epoch %d/%d [%s] batch %d/%d  loss %.4f  ETA %s   ", epoch, epochs, bar, batch, batches,
                loss, eta(done)));
        out.flush();
    }

    @Override
    public void epochDone(EpochRecord r, int epochs) {
        long done = (long) r.epoch() * Math.max(1, totalBatches / Math.max(1, epochs));
        String val = Double.isFinite(r.validationMetric()) ? String.format(Locale.ROOT, "  validation %s %.4f", metricName, r.validationMetric()) : "";
        out.print(String.format(Locale.ROOT, "%s  epoch %d/%d  train loss %.4f%s  (%.1fs, ETA %s)%s", interactive ? "\r" : "", r.epoch(),
                epochs, r.trainLoss(), val, r.seconds(), eta(done), interactive ? " ".repeat(20) + "\n" : "\n"));
        out.flush();
    }

    private String eta(long done) {
        if (done <= 0 || totalBatches <= 0) {
            return "?";
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long seconds = Math.max(0, Math.round(elapsed / done * (totalBatches - done)));
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
