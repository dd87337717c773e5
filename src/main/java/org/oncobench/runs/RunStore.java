package org.oncobench.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Map;
import java.util.List;
import java.util.stream.Stream;

/**
 * The runs folder ({@code --runs-dir}, default {@code ./runs}): run folders with unique ids
 * ({@code 20261122-091500-quickstart-3fa2}) and the registry index beside them. Two processes creating runs at once
 * never share an id or lose a run.
 */
public final class RunStore {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final String ID_PATTERN = "[A-Za-z0-9._-]{1,128}";
    private final Path root;
    private final RunRegistry registry;
    private final SecureRandom random = new SecureRandom();

    public RunStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.registry = new RunRegistry(this.root);
    }

    public Path root() {
        return root;
    }

    public RunRegistry registry() {
        return registry;
    }

    public RunFolder create(String name, String configHash, String split, String model) {
        return create(name, configHash, split, model, RunTags.NONE);
    }

    /** A new run folder, as a member of run group {@code group} (null: none). */
    public RunFolder create(String name, String configHash, String split, String model, String group) {
        return create(name, configHash, split, model, RunTags.group(group));
    }

    /** A new run folder tagged with the group, study and trial parameters it belongs to. */
    public RunFolder create(String name, String configHash, String split, String model, RunTags tags) {
        return create(name, configHash, split, null, model, tags, null);
    }

    /**
     * A new run folder whose run.json also records the seed its split was drawn from and a summary of the data (both may
     * be null).
     */
    public RunFolder create(String name, String configHash, String split, Long splitSeed, String model, RunTags tags, Map<String, Object> data) {
        return create(name, configHash, split, splitSeed, model, tags, data, null);
    }

    /** As above, with the {@code --set} overrides the experiment was loaded with (key to value; null or empty: none). */
    public RunFolder create(String name, String configHash, String split, Long splitSeed, String model, RunTags tags, Map<String, Object> data,
                            Map<String, String> overrides) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new BadInputException(root + ": cannot create the runs folder (" + e.getMessage() + "); pass --runs-dir DIR");
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        for (int attempt = 0; attempt < 100; attempt++) {
            byte[] suffix = new byte[2];
            random.nextBytes(suffix);
            String id = STAMP.format(now) + "-" + name + "-" + HexFormat.of().formatHex(suffix);
            Path dir = root.resolve(id);
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                continue;
            } catch (IOException e) {
                throw new BadInputException(dir + ": cannot create the run folder (" + e.getMessage() + ")");
            }
            RunInfo info = new RunInfo(id, name, RunStatus.RUNNING.label(), now.toInstant().toString(), null,
                    ProcessHandle.current().pid(), configHash, split, model, null, tags.group(), tags.study(), tags.params(), splitSeed, data,
                    overrides == null || overrides.isEmpty() ? null : new java.util.LinkedHashMap<>(overrides));
            RunFolder folder = new RunFolder(dir, info, registry);
            folder.publish();
            return folder;
        }
        throw new IllegalStateException("could not find a free run id under " + root);
    }

    /** The full id of a run named by its full id, a unique prefix or {@code latest} ({@link RunIds}). */
    public String resolve(String ref) {
        return new RunIds(this).resolve(ref);
    }

    /**
     * Changes a run's tags or note ({@code tags.json}, written atomically) and its index entry, in one step under the
     * registry's lock (two users tagging at once both keep their tags). Returns what the run carries now.
     */
    public RunAnnotations annotate(String ref, java.util.function.UnaryOperator<RunAnnotations> change) {
        String id = resolve(ref);
        Path dir = dirOf(id);
        RunAnnotations[] now = new RunAnnotations[1];
        registry.reindexAfter(List.of(id), () -> {
            now[0] = change.apply(RunAnnotations.read(dir));
            Path tmp = dir.resolve("." + RunAnnotations.FILE + ".tmp");
            try {
                Files.writeString(tmp, Json.write(now[0]));
                RunFolder.moveIntoPlace(tmp, dir.resolve(RunAnnotations.FILE));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + dir.resolve(RunAnnotations.FILE), e);
            }
        });
        return now[0];
    }

    /** The folder of an existing run; ids that are not plain names (e.g. {@code ../x}) are refused. */
    public Path dirOf(String id) {
        if (id == null || !id.matches(ID_PATTERN) || id.startsWith(".")) {
            throw new BadInputException("'" + id + "' is not a run id; ids look like 20261122-091500-quickstart-3fa2 (see 'oncobench runs list')");
        }
        Path dir = root.resolve(id).normalize();
        if (!dir.getParent().equals(root) || !Files.isRegularFile(dir.resolve(RunFolder.STATUS_FILE))) {
            throw new BadInputException("no run '" + id + "' in " + root + " (see 'oncobench runs list --runs-dir DIR')");
        }
        return dir;
    }

    /** Reopens an existing run folder, e.g. to resume it. */
    public RunFolder open(String id) {
        Path dir = dirOf(id);
        try {
            RunInfo info = new ObjectMapper().readValue(dir.resolve(RunFolder.STATUS_FILE).toFile(), RunInfo.class);
            return new RunFolder(dir, info, registry);
        } catch (IOException e) {
            throw new BadInputException(dir.resolve(RunFolder.STATUS_FILE) + ": unreadable (" + e.getMessage() + ")");
        }
    }

    /**
     * Every run in the registry, as a reader should see it: stale running runs shown as interrupted, folders deleted or
     * changed by hand noticed ({@link RunListing#snapshot}).
     */
    public List<RunRecord> list() {
        return new RunListing(this).snapshot().stream().map(RunRecords::effective).toList();
    }

    /** What a rebuild indexed, and each folder it could not index (or indexed with a correction), with the reason. */
    public record Rebuilt(int indexed, java.util.Map<String, String> problems) {
    }

    /** Recreates the registry from the run folders. */
    public Rebuilt rebuild() {
        List<RunRecord> records = new ArrayList<>();
        java.util.Map<String, String> problems = new java.util.LinkedHashMap<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                    RunRecords.Reading reading = RunRecords.inspect(d);
                    if (reading.record() != null) {
                        records.add(reading.record());
                    }
                    if (reading.problem() != null) {
                        problems.put(d.getFileName().toString(), reading.problem());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        registry.rebuild(records);
        return new Rebuilt(records.size(), problems);
    }
}
