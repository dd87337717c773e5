package org.oncobench.runs;

import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns what a user typed for a run into its full id: the full id, a unique prefix of it ({@code 20261202-0658}), or
 * {@code latest} (the newest run; ids start with their UTC start time). Answered from the run folders (the source of
 * truth), so a run the index has not seen yet resolves too. Every command, the UI and the Java API resolve through here.
 */
public final class RunIds {
    public static final String LATEST = "latest";
    /** Candidates an ambiguous prefix lists before "and N more". */
    static final int SHOWN = 10;
    private final Path root;

    public RunIds(RunStore store) {
        this(store.root());
    }

    /** Resolves among the run folders directly under {@code root} (the runs folder, or its trash). */
    public RunIds(Path root) {
        this.root = root;
    }

    /** The full id {@code ref} names; no run, or more than one, is the user's mistake (named, with the candidates). */
    public String resolve(String ref) {
        String text = ref == null ? "" : ref.trim();
        if (text.isEmpty()) {
            throw new BadInputException("no run id given; give a full id, a unique prefix or 'latest' (see 'oncobench runs list')");
        }
        if (!text.startsWith(".") && !text.contains("/") && !text.contains("\\") && isRun(root.resolve(text).normalize(), root)) {
            return text; // a full id: no scan
        }
        if (text.equalsIgnoreCase(LATEST)) {
            List<String> all = ids("");
            if (all.isEmpty()) {
                throw new BadInputException("'latest': there are no runs in " + root + " yet");
            }
            return all.get(all.size() - 1);
        }
        if (!text.matches("[A-Za-z0-9._-]{1,128}") || text.startsWith(".")) {
            throw new BadInputException("'" + text + "' is not a run id; ids look like 20261122-091500-quickstart-3fa2 (a unique prefix or "
                    + "'latest' will do; see 'oncobench runs list')");
        }
        List<String> matches = ids(text);
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new BadInputException("no run '" + text + "' in " + root + " (no id starts with it; see 'oncobench runs list --runs-dir DIR', "
                    + "or use 'latest')");
        }
        List<String> newest = new java.util.ArrayList<>(matches);
        java.util.Collections.reverse(newest);
        newest = newest.subList(0, Math.min(SHOWN, newest.size()));
        throw new BadInputException("run id prefix '" + text + "' is ambiguous: " + matches.size() + " runs start with it:\n  "
                + String.join("\n  ", newest) + (matches.size() > SHOWN ? "\n  ... and " + (matches.size() - SHOWN) + " more" : "")
                + "\ntype more of the id");
    }

    /** The ids of run folders (with a run.json) starting with {@code prefix}, oldest first. */
    private List<String> ids(String prefix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && n.startsWith(prefix))
                    .filter(n -> Files.isRegularFile(root.resolve(n).resolve(RunFolder.STATUS_FILE))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static boolean isRun(Path dir, Path root) {
        return root.equals(dir.getParent()) && Files.isRegularFile(dir.resolve(RunFolder.STATUS_FILE));
    }
}
