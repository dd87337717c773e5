package org.oncobench.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.oncobench.runs.Json;
import org.oncobench.runs.RunFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Periodic checkpoints in {@code runs/<id>/checkpoints/}: {@code epoch-NNNN.zip} (the ComputationGraph with its updater
 * state, in DL4J's model-zip format, written by {@link org.oncobench.model.ModelZip}) and {@code epoch-NNNN.json} (the {@link TrainingState}), written atomically,
 * the json last, so a checkpoint counts only once both are whole. Keeps the newest N; {@code best.zip} holds the best
 * epoch's model for early stopping.
 */
public final class Checkpointer {
    private static final ObjectMapper JSON = Json.mapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final Path dir;
    private final int every;
    private final int keep;
    private final java.util.function.Consumer<String> warn;

    public Checkpointer(Path dir, int every, int keep) {
        this(dir, every, keep, message -> { });
    }

    /** @param warn hears about damaged checkpoints passed over on resume */
    public Checkpointer(Path dir, int every, int keep, java.util.function.Consumer<String> warn) {
        this.dir = dir;
        this.every = every;
        this.keep = keep;
        this.warn = warn;
    }

    public boolean due(int epoch, int lastEpoch) {
        return every > 0 && (epoch % every == 0 || epoch == lastEpoch);
    }

    public void save(ComputationGraph net, TrainingState state) {
        String base = String.format("epoch-%04d", state.epoch());
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + base + ".zip.tmp");
            org.oncobench.model.ModelZip.write(net, tmp, true);
            RunFolder.moveIntoPlace(tmp, dir.resolve(base + ".zip"));
            Path json = dir.resolve("." + base + ".json.tmp");
            Files.writeString(json, Json.write(state));
            RunFolder.moveIntoPlace(json, dir.resolve(base + ".json"));
            prune();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dir.resolve(base), e);
        }
    }

    public void saveBest(ComputationGraph net) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(".best.zip.tmp");
            org.oncobench.model.ModelZip.write(net, tmp, false);
            RunFolder.moveIntoPlace(tmp, dir.resolve("best.zip"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("best.zip"), e);
        }
    }

    public Optional<ComputationGraph> loadBest() {
        Path best = dir.resolve("best.zip");
        if (!Files.isRegularFile(best)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ModelSerializer.restoreComputationGraph(best.toFile(), false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + best, e);
        }
    }

    /** The newest complete checkpoint: its state and its network (with updater state). */
    public Optional<Restored> latest() {
        List<Path> all = checkpoints();
        for (int i = all.size() - 1; i >= 0; i--) {
            Path json = all.get(i);
            Path zip = json.resolveSibling(json.getFileName().toString().replace(".json", ".zip"));
            String name = json.getFileName().toString().replace(".json", "");
            String fallback = i > 0 ? "; using " + all.get(i - 1).getFileName().toString().replace(".json", "") + " instead"
                    : "; no older checkpoint, so training starts again from epoch 1";
            if (!Files.isRegularFile(zip)) {
                warn.accept("warning: checkpoint " + name + " has no model (" + zip.getFileName() + " is missing)" + fallback);
                continue;
            }
            try {
                TrainingState state = JSON.readValue(json.toFile(), TrainingState.class);
                return Optional.of(new Restored(state, ModelSerializer.restoreComputationGraph(zip.toFile(), true)));
            } catch (IOException | RuntimeException e) {
                warn.accept("warning: checkpoint " + name + " is damaged (" + e.getClass().getSimpleName() + ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")" + fallback);
            }
        }
        return Optional.empty();
    }

    public record Restored(TrainingState state, ComputationGraph net) {
    }

    private List<Path> checkpoints() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("epoch-\\d{4,}\\.json")).sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prune() throws IOException {
        List<Path> all = checkpoints();
        for (int i = 0; i < all.size() - keep; i++) {
            Path json = all.get(i);
            Files.deleteIfExists(json.resolveSibling(json.getFileName().toString().replace(".json", ".zip")));
            Files.deleteIfExists(json);
        }
    }
}
