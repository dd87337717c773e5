package org.oncobench.train;

import org.oncobench.config.ExperimentConfig;
import org.oncobench.data.Fold;
import org.oncobench.eval.BaselineSet;
import org.oncobench.runs.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Baselines fitted once per (data, task, split, seed, fold, baselines) and shared by every run that asks for the same:
 * a study's trials differ in the network only, so their baselines are identical fits, and the tree ensembles are the
 * expensive part of a short trial. Held by one study (never static); a search over a data or split key gets one fit
 * per value, as it should.
 */
public final class BaselineCache {
    private final ConcurrentHashMap<String, CompletableFuture<BaselineSet>> fits = new ConcurrentHashMap<>();

    CompletableFuture<BaselineSet> fit(ExperimentConfig config, Fold fold, Supplier<CompletableFuture<BaselineSet>> start) {
        return fits.computeIfAbsent(key(config, fold), k -> start.get());
    }

    public int size() {
        return fits.size();
    }

    static String key(ExperimentConfig config, Fold fold) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("data", config.data());
        k.put("task", config.task());
        k.put("split", config.split());
        k.put("seed", config.seed());
        k.put("repeat", fold.repeat());
        k.put("fold", fold.fold());
        k.put("baselines", config.evaluation().baselines());
        k.put("group", config.evaluation().group());
        return Json.write(k);
    }
}
