package org.oncobench.cli;

import org.oncobench.http.AccessToken;
import org.oncobench.http.BindAddress;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Where a server command listens and the token it requires: one check for {@code ui}, {@code run --ui} and {@code serve}
 * (port range, unknown host, a bind beyond loopback). A generated token is printed once, by the command, and nowhere else.
 */
record ServerAccess(BindAddress bind, AccessToken token, Path tokenFile) {
    static ServerAccess of(String host, int port, Path tokenFile, PrintWriter err, String what) {
        BindAddress bind = BindAddress.of(host, port);
        AccessToken token = AccessToken.forBind(bind, tokenFile);
        if (!bind.loopback()) {
            err.println("warning: --host " + host + " makes " + what + " reachable from other machines; every request must carry the access token");
            err.flush();
        }
        return new ServerAccess(bind, token, tokenFile);
    }

    /** The address to open in a browser: with {@code ?token=} when the token was generated (the user has no other copy). */
    String browserUrl(String url) {
        return token != null && tokenFile == null ? url + "?token=" + token.reveal() : url;
    }

    /** A line that tells an API client how to authenticate, or null when no token is needed. */
    String tokenLine() {
        if (token == null) {
            return null;
        }
        return tokenFile == null
                ? "access token: " + token.reveal() + "  (send 'Authorization: Bearer <token>'; printed only here)"
                : "access token: the one in " + tokenFile + "  (send 'Authorization: Bearer <token>')";
    }
}
