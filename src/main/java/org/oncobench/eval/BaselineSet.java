package org.oncobench.eval;

import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The baselines of one fold, fitted on its training rows (tuned on its validation rows where they have settings) before
 * the network trains, each independently: a baseline that fails (too little memory for ridge's linear system, a
 * degenerate fit) is recorded as skipped with its reason and never stops the run or costs the trained model.
 */
public final class BaselineSet {
    private static final Logger LOG = LoggerFactory.getLogger(BaselineSet.class);

    /** A fitted baseline: predictions for any rows of a cohort prepared like the training one, and its chosen settings. */
    public interface Fitted {
        double[] predict(Cohort prepared, int[] rows);

        default Map<String, Object> settings() {
            return Map.of();
        }
    }

    private final Map<String, Fitted> fitted;
    private final Map<String, String> skipped;

    private BaselineSet(Map<String, Fitted> fitted, Map<String, String> skipped) {
        this.fitted = fitted;
        this.skipped = skipped;
    }

    /**
     * Fits the named baselines on {@code trainRows} of the prepared cohort; {@code status} hears about skipped ones.
     */
    public static BaselineSet fit(List<String> names, Cohort prepared, int[] trainRows, int[] validationRows, FittedTransforms transforms,
                                  long seed, Consumer<String> status) {
        Map<String, Fitted> fitted = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        Baselines means = Baselines.fit(prepared, trainRows);
        for (String name : names) {
            try {
                fitted.put(name, switch (name) {
                    case "ridge" -> {
                        RidgeRegression r = RidgeRegression.fit(prepared, trainRows, validationRows);
                        yield new Fitted() {
                            public double[] predict(Cohort c, int[] rows) {
                                return r.predict(c, rows);
                            }

                            public Map<String, Object> settings() {
                                return r.settings();
                            }
                        };
                    }
                    case "logistic" -> {
                        LogisticRegression l = LogisticRegression.fit(prepared, trainRows, transforms, 1e-3, seed);
                        yield new Fitted() {
                            public double[] predict(Cohort c, int[] rows) {
                                return l.predict(c, rows);
                            }

                            public Map<String, Object> settings() {
                                return l.settings();
                            }
                        };
                    }
                    default -> (c, rows) -> means.predict(name, c, rows);
                });
            } catch (RuntimeException | OutOfMemoryError e) {
                String reason = e instanceof OutOfMemoryError ? "not enough memory (" + e.getMessage() + ")" : String.valueOf(e.getMessage());
                LOG.debug("baseline {} failed", name, e);
                skipped.put(name, reason);
                status.accept(String.format(Locale.ROOT, "warning: baseline %s skipped: %s", name, reason));
            }
        }
        return new BaselineSet(fitted, skipped);
    }

    /** Each fitted baseline's predictions for the rows. */
    public Map<String, double[]> predict(Cohort prepared, int[] rows) {
        Map<String, double[]> out = new LinkedHashMap<>();
        fitted.forEach((name, f) -> out.put(name, f.predict(prepared, rows)));
        return out;
    }

    /** Settings chosen while fitting (e.g. ridge's penalty), per baseline that has any. */
    public Map<String, Map<String, Object>> settings() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        fitted.forEach((name, f) -> {
            if (!f.settings().isEmpty()) {
                out.put(name, f.settings());
            }
        });
        return out;
    }

    /** Baselines that could not be fitted, with the reason. */
    public Map<String, String> skipped() {
        return skipped;
    }
}
