package org.oncobench.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --runs-dir} option every run-related command shares. */
final class RunsDirOption {
    @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR", description = "Where runs are stored (default: ${DEFAULT-VALUE}).")
    Path runsDir;
}
