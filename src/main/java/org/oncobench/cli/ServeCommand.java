package org.oncobench.cli;

import org.oncobench.config.BadInputException;
import org.oncobench.export.Bundle;
import org.oncobench.export.RestServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code oncobench serve BUNDLE [--port 8080] [--host 127.0.0.1] [--token-file FILE]}: a local REST service until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve a bundle over HTTP: GET /health, GET /schema, POST /predict, POST /explain, and the Open Inference Protocol (KServe v2) under /v2.")
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE.zip")
    Path bundle;

    @Option(names = "--verify", paramLabel = "PUBKEY.pem", description = "Refuse the bundle unless its manifest is signed by the private key "
            + "matching this public key (X.509 PEM).")
    Path publicKey;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; "
            + "anything else is reachable from other machines and requires an access token, generated and printed once unless --token-file gives it).")
    String host;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Require the token on this file's first line (at least 16 characters) as 'Authorization: Bearer TOKEN'.")
    Path tokenFile;

    @Option(names = "--threads", defaultValue = "8", description = "Request threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--request-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Close a client's connection when its request takes longer than this to arrive (default: ${DEFAULT-VALUE}).")
    int requestTimeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (requestTimeout < 1 || requestTimeout > 3600) {
            throw new BadInputException("--request-timeout " + requestTimeout + " is out of range; allowed: 1 to 3600 seconds");
        }
        ServerAccess access = ServerAccess.of(host, port, tokenFile, spec.commandLine().getErr(), "the model");
        Bundle opened = Bundle.open(bundle, publicKey);
        RestServer server = new RestServer(opened, access.bind(), threads, RestServer.Limits.DEFAULT.withRequestSeconds(requestTimeout), access.token());
        server.start();
        if (access.tokenLine() != null) {
            spec.commandLine().getOut().println(access.tokenLine());
        }
        spec.commandLine().getOut().println("Serving " + opened.file() + " on http://" + host + ":" + server.port()
                + "  (GET /health, GET /schema, POST /predict, POST /explain; Open Inference Protocol: POST /v2/models/" + server.modelName() + "/infer; Ctrl-C stops)");
        spec.commandLine().getOut().flush();
        UntilShutdown.await(server::close, "oncobench-serve-stop");
        return 0;
    }
}
