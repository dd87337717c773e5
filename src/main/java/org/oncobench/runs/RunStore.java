package org.oncobench.runs;

import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * The runs folder ({@code --runs-dir}, default {@code ./runs}). Creates run folders with unique ids
 * ({@code 20261122-091500-quickstart-3fa2}); two processes creating runs at once never share one.
 */
public final class RunStore {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private final Path root;
    private final SecureRandom random = new SecureRandom();

    public RunStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public RunFolder create(String name, String configHash) {
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
                    ProcessHandle.current().pid(), configHash, null);
            RunFolder folder = new RunFolder(dir, info);
            folder.writeJson(RunFolder.STATUS_FILE, info);
            return folder;
        }
        throw new IllegalStateException("could not find a free run id under " + root);
    }
}
