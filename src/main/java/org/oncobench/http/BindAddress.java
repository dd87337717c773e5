package org.oncobench.http;

import com.sun.net.httpserver.HttpServer;
import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where a server listens ({@code --host}, {@code --port}), checked once for every server command (ui, run --ui, serve):
 * a port outside 0..65535, an unknown host and a port in use are the user's to fix, each with the same message.
 */
public record BindAddress(InetAddress address, String host, int port) {
    /** Checks a {@code --host} and {@code --port}; 0 picks any free port. */
    public static BindAddress of(String host, int port) {
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port " + port + ": allowed 0 (any free port) to 65535");
        }
        try {
            return new BindAddress(InetAddress.getByName(host), host, port);
        } catch (UnknownHostException e) {
            throw new BadInputException("--host " + host + ": unknown address; use an IP address of this machine, e.g. 127.0.0.1");
        }
    }

    /** True when only this machine can connect (127.0.0.1, ::1); anything else, 0.0.0.0 included, is reachable from others. */
    public boolean loopback() {
        return address.isLoopbackAddress();
    }

    /** Creates (binds) the JDK's HTTP server here; a port in use or an address not of this machine is a user error. */
    public HttpServer bind(int backlog) {
        try {
            return HttpServer.create(new InetSocketAddress(address, port), backlog);
        } catch (IOException e) {
            throw new BadInputException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); choose another --port");
        }
    }
}
