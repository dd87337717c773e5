package org.oncobench.cli;

import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code --port}, {@code --host} and {@code --token-file} of the browser UI ({@code ui}, {@code run --ui}). */
final class UiOptions {
    @Option(names = "--port", defaultValue = "9000", description = "UI port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address the UI binds (default: ${DEFAULT-VALUE}, this machine only; anything else is reachable from other machines "
                    + "and requires an access token, generated and printed once unless --token-file gives it).")
    String host;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Require the token on this file's first line (at least 16 characters) instead of a generated one.")
    Path tokenFile;

    /** Checks the address and port, and decides the access token (required beyond loopback). */
    ServerAccess check(PrintWriter err) {
        return ServerAccess.of(host, port, tokenFile, err, "the UI (runs, configurations, metrics)");
    }
}
