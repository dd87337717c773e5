package org.oncobench.data;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.SplitConfig;

import java.util.Random;

/** Assigns cohort rows to train / validation / test, reproducibly for a seed. */
public interface Splitter {

    SplitAssignment assign(Cohort cohort, SplitConfig config, long seed);

    static Splitter forKind(String kind) {
        return switch (kind) {
            case "mixed" -> new MixedSplit();
            case "cell-blind" -> new CellBlindSplit();
            default -> throw new BadInputException("split.kind: '" + kind + "' is not supported; allowed: mixed, cell-blind");
        };
    }

    /**
     * Shuffles {@code n} units with the seed and gives each a part: the first {@code test} share to test, the next
     * {@code validation} share to validation, the rest to training. At least one unit goes to test and to training.
     */
    static byte[] partitionUnits(int n, SplitConfig config, long seed, String unitName) {
        int nTest = (int) Math.round(config.test() * n);
        int nVal = (int) Math.round(config.validation() * n);
        nTest = Math.max(1, nTest);
        if (config.validation() > 0) {
            nVal = Math.max(1, nVal);
        }
        if (n - nTest - nVal < 1) {
            throw new BadInputException("split: only " + n + " " + unitName + " to split; need at least "
                    + (nTest + nVal + 1) + " for test = " + config.test() + " and validation = " + config.validation());
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        byte[] part = new byte[n];
        for (int k = 0; k < n; k++) {
            part[order[k]] = k < nTest ? SplitAssignment.TEST : k < nTest + nVal ? SplitAssignment.VALIDATION : SplitAssignment.TRAIN;
        }
        return part;
    }
}
