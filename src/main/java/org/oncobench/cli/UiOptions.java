package org.oncobench.cli;

import org.oncobench.config.BadInputException;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** {@code --port} and {@code --host} of the browser UI ({@code ui}, {@code run --ui}). */
final class UiOptions {
    @Option(names = "--port", defaultValue = "9000", description = "UI port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address the UI binds (default: ${DEFAULT-VALUE}, this machine only; anything else is reachable from other machines).")
    String host;

    /** Checks the address and warns when the UI will be reachable from other machines. */
    void check(PrintWriter err) {
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port " + port + ": allowed 0 (any free port) to 65535");
        }
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                err.println("warning: --host " + host + " makes the UI (runs, configurations, metrics) reachable from other machines; "
                        + "it has no authentication");
                err.flush();
            }
        } catch (UnknownHostException e) {
            throw new BadInputException("--host " + host + ": unknown address; use an IP address of this machine, e.g. 127.0.0.1");
        }
    }
}
