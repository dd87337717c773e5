package org.oncobench.runs;

import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deleting runs without regret: {@code delete} moves a run folder to {@code runs/.trash/} and drops it from the index in
 * one step under the registry's lock, {@code restore} moves it back and indexes it again, {@code gc} removes what has
 * been in the trash longer than a given time. No other run is touched; a running run cannot be deleted, nor a trial of
 * a study that still exists (its leaderboard names the run).
 */
public final class RunTrash {
    public static final String DIR = ".trash";
    /** Written into a trashed folder: when it was deleted (ISO instant), for gc; removed on restore. */
    static final String DELETED = ".deleted";
    private final RunStore store;

    public RunTrash(RunStore store) {
        this.store = store;
    }

    public Path dir() {
        return store.root().resolve(DIR);
    }

    /** A run in the trash: its id and when it was deleted. */
    public record Trashed(String id, Instant deleted) {
    }

    /** What gc removed: the runs and the bytes they held. */
    public record Collected(List<String> ids, long bytes) {
    }

    /**
     * Moves runs (ids, unique prefixes or {@code latest}) to the trash. Every id is resolved and checked first, so a bad
     * or running one deletes none. Returns the full ids.
     */
    public List<String> delete(List<String> refs) {
        List<String> ids = refs.stream().map(store::resolve).distinct().toList();
        for (String id : ids) {
            refuseRunning(id);
            refuseStudyTrial(id);
            if (Files.exists(dir().resolve(id))) {
                throw new BadInputException("run " + id + " is already in " + dir() + " (restore it, or empty the trash with 'oncobench runs gc')");
            }
        }
        for (String id : ids) {
            store.registry().reindexAfter(List.of(id), () -> {
                refuseRunning(id); // again under the lock: a resume may have started since
                move(store.root().resolve(id), dir().resolve(id));
                write(dir().resolve(id).resolve(DELETED), Instant.now().toString());
            });
        }
        return ids;
    }

    /** Moves runs (ids or unique prefixes of runs in the trash) back and indexes them again. Returns the full ids. */
    public List<String> restore(List<String> refs) {
        RunIds trashed = new RunIds(dir());
        List<String> ids = refs.stream().map(ref -> {
            try {
                return trashed.resolve(ref);
            } catch (BadInputException e) {
                throw new BadInputException("in the trash: " + e.getMessage() + " (see 'oncobench runs list --trash')");
            }
        }).distinct().toList();
        for (String id : ids) {
            if (Files.exists(store.root().resolve(id))) {
                throw new BadInputException("cannot restore " + id + ": " + store.root().resolve(id) + " exists");
            }
        }
        for (String id : ids) {
            store.registry().reindexAfter(List.of(id), () -> {
                move(dir().resolve(id), store.root().resolve(id));
                try {
                    Files.deleteIfExists(store.root().resolve(id).resolve(DELETED));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return ids;
    }

    /** The trash, most recently deleted first. */
    public List<Trashed> list() {
        if (!Files.isDirectory(dir())) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(dir())) {
            return dirs.filter(Files::isDirectory).map(d -> new Trashed(d.getFileName().toString(), deletedAt(d)))
                    .sorted(Comparator.comparing(Trashed::deleted).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir(), e);
        }
    }

    /** Removes for good every run deleted more than {@code olderThan} ago. */
    public Collected gc(Duration olderThan) {
        Instant cutoff = Instant.now().minus(olderThan);
        List<String> removed = new ArrayList<>();
        long bytes = 0;
        for (Trashed t : list()) {
            if (!t.deleted().isAfter(cutoff)) {
                bytes += removeTree(dir().resolve(t.id()));
                removed.add(t.id());
            }
        }
        return new Collected(removed, bytes);
    }

    /** "30d", "12h", "90m", "0d": how long runs stay in the trash. */
    public static Duration age(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})([dhm])").matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new BadInputException("--older-than '" + text + "': expected a number and a unit, d (days), h (hours) or m (minutes), e.g. 30d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
    }

    /** The folder of the studies beside the runs (study.StudyFolder.DIR; named here, as the study package builds on this one). */
    private static final String STUDIES = "studies";

    /**
     * A study's trial run stays while its study does: the study's leaderboard ranks it by id (its seeds' runs, the chosen
     * trial, the critical-difference test), so deleting the run alone would leave the study pointing at a missing run.
     */
    private void refuseStudyTrial(String id) {
        RunRecords.read(store.root().resolve(id)).ifPresent(r -> {
            if (r.study() != null && Files.isDirectory(store.root().resolve(STUDIES).resolve(r.study()))) {
                throw new BadInputException("run " + id + " is a trial of study " + r.study() + ", whose leaderboard ("
                        + store.root().resolve(STUDIES).resolve(r.study()).resolve("leaderboard.json") + ") ranks it: a study's runs are kept "
                        + "with the study (see 'oncobench study show " + r.study() + "'); nothing was deleted");
            }
        });
    }

    private void refuseRunning(String id) {
        RunRecords.read(store.root().resolve(id)).map(RunRecords::effective).ifPresent(r -> {
            if (RunStatus.RUNNING.label().equals(r.status())) {
                throw new BadInputException("run " + id + " is running (process " + r.pid() + "): stop it before deleting it; nothing was deleted");
            }
        });
    }

    private static Instant deletedAt(Path dir) {
        try {
            Path marker = dir.resolve(DELETED);
            return Files.isRegularFile(marker) ? Instant.parse(Files.readString(marker).trim()) : Files.getLastModifiedTime(dir).toInstant();
        } catch (IOException | RuntimeException e) {
            return Instant.EPOCH; // no readable time: old
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    /** Best effort: without the marker, gc goes by the folder's modification time. */
    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            // the run is in the trash either way
        }
    }

    /** Deletes a folder and everything in it; returns the bytes its files held. */
    private static long removeTree(Path root) {
        long[] bytes = {0};
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    bytes[0] += Files.size(p);
                }
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
        return bytes[0];
    }
}
