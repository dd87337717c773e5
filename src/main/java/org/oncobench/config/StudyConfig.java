package org.oncobench.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A study: a base experiment, fixed overrides ({@code set:}), a search space ({@code grid:} lists crossed with
 * {@code random:} draws, {@code trials:} draws per grid cell), the seeds every trial trains under, and how trials are
 * scheduled ({@code search:} asha or full). Keys of {@code set/grid/random} are experiment keys ({@code model.kind},
 * {@code training.optimizer.lr}).
 *
 * @param experiment the base experiment, resolved against the study file's folder
 * @param set        fixed overrides: key to YAML value
 * @param grid       key to the values to cross (insertion order kept)
 * @param random     key to a distribution
 * @param trials     random draws per grid cell (1 when there is no random key)
 * @param seeds      the experiment seeds each trial runs under (a trial's score is the mean over them)
 * @param seed       the sampler's seed (random draws are a function of it and the trial number)
 * @param workers    trials trained at once (the command line may override it)
 */
public record StudyConfig(String name, Path experiment, Map<String, JsonNode> set, Map<String, List<JsonNode>> grid,
                          Map<String, Distribution> random, int trials, List<Long> seeds, long seed, Search search, int workers) {

    /** The same study with another sampler seed: other draws and another trial order. */
    public StudyConfig withSeed(long otherSeed) {
        return new StudyConfig(name, experiment, set, grid, random, trials, seeds, otherSeed, search, workers);
    }

    /** How many different draws the random keys allow (Long.MAX_VALUE when a key is continuous). */
    public long distinctDraws() {
        long n = 1;
        for (Distribution d : random.values()) {
            long k = switch (d.kind()) {
                case "choice" -> d.choices().stream().distinct().count();
                case "int" -> (long) (d.high() - d.low() + 1);
                default -> Long.MAX_VALUE;
            };
            if (k == Long.MAX_VALUE || n > Long.MAX_VALUE / k) {
                return Long.MAX_VALUE;
            }
            n *= k;
        }
        return n;
    }

    /** A random key's distribution: uniform, log_uniform, int (inclusive) over [low, high], or a choice of values. */
    public record Distribution(String kind, double low, double high, List<JsonNode> choices) {
    }

    /**
     * @param kind   asha (asynchronous successive halving) or full (every trial for maxEpochs)
     * @param metric validation.rmse (regression) or validation.auc (classification)
     */
    public record Search(String kind, String metric, int minEpochs, int maxEpochs, int eta) {
        public boolean asha() {
            return "asha".equals(kind);
        }

        public boolean lowerIsBetter() {
            return !metric.endsWith(".auc");
        }

        /** The test metric that mirrors the validation metric: rmse or auc. */
        public String testMetric() {
            return testMetricOf(metric);
        }

        /** The test metric mirroring a validation metric such as validation.rmse (as leaderboard.json names it). */
        public static String testMetricOf(String validationMetric) {
            return validationMetric.substring(validationMetric.indexOf('.') + 1);
        }
    }
}
