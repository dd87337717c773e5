package org.oncobench.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * One run's folder. Every file is written to a temporary name and moved into place, so readers never see half a file.
 * Status changes go to {@code run.json} first, then to the registry index.
 */
public final class RunFolder {
    public static final String STATUS_FILE = "run.json";
    private final Path dir;
    private final RunRegistry registry;
    private RunInfo info;

    RunFolder(Path dir, RunInfo info, RunRegistry registry) {
        this.dir = dir;
        this.info = info;
        this.registry = registry;
    }

    public String id() {
        return info.id();
    }

    public Path dir() {
        return dir;
    }

    public RunInfo info() {
        return info;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public void writeText(String name, String text) {
        writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    public void writeJson(String name, Object value) {
        writeText(name, Json.write(value));
    }

    public void writeBytes(String name, byte[] bytes) {
        Path target = dir.resolve(name);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.write(tmp, bytes);
            moveIntoPlace(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Moves a file written elsewhere in the folder (e.g. a model saved by a library) into place atomically. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Records the current state in run.json and the registry. */
    void publish() {
        writeJson(STATUS_FILE, info);
        registry.reindex(java.util.List.of(info.id()));
    }

    /** Records how the run ended. */
    public synchronized void finish(RunStatus status, String error) {
        if (!RunStatus.RUNNING.label().equals(info.status())) {
            return; // already ended (e.g. interrupted, then the failure that followed)
        }
        info = info.finish(status, Instant.now().toString(), error);
        publish();
    }

    /** A resumed run is running again, in this process. */
    public synchronized void restart() {
        info = info.restart(ProcessHandle.current().pid());
        publish();
    }

    public synchronized boolean isRunning() {
        return RunStatus.RUNNING.label().equals(info.status());
    }
}
