package org.oncobench.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets a request through to the JDK server's handler only with the {@link AccessToken}; anything else gets 401. For the
 * browser UI ({@code browser = true}) the token may also come once as {@code ?token=}: the answer sets an HttpOnly cookie and
 * redirects to the same address without the token, so it leaves the address bar and the history.
 */
public final class TokenFilter extends Filter {
    /** Prefix of the cookie's name (the UI's port follows, so two UIs on one host keep their own cookies). */
    static final String COOKIE = "oncobench-token";
    private final AccessToken token;
    private final boolean browser;

    public TokenFilter(AccessToken token, boolean browser) {
        this.token = token;
        this.browser = browser;
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        String queryToken = browser ? queryToken(ex.getRequestURI().getRawQuery()) : null;
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        String cookies = browser ? String.join(";", ex.getRequestHeaders().getOrDefault("Cookie", List.of())) : null;
        if (token.admits(authorization, cookies, null)) {
            chain.doFilter(ex);
        } else if (queryToken != null && token.matches(queryToken)) {
            ex.getResponseHeaders().add("Set-Cookie", COOKIE + "-" + ex.getLocalAddress().getPort() + "=" + token.reveal()
                    + "; Path=/; HttpOnly; SameSite=Strict");
            ex.getResponseHeaders().set("Location", withoutToken(ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery()));
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            reply(ex, 302, "");
        } else {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"oncobench\"");
            String message = "this server requires its access token: " + (browser
                    ? "open the address with ?token=... that the ui command printed, or send 'Authorization: Bearer TOKEN'"
                    : "send 'Authorization: Bearer TOKEN' with the token that serve printed (or the one in its --token-file)");
            boolean json = !browser || ex.getRequestURI().getRawPath().startsWith("/api/");
            ex.getResponseHeaders().set("Content-Type", (json ? "application/json" : "text/plain") + "; charset=utf-8");
            reply(ex, 401, json ? "{\"error\": \"" + message + "\"}" : message + "\n");
        }
    }

    @Override
    public String description() {
        return "requires the access token";
    }

    private static void reply(HttpExchange ex, int code, String body) throws IOException {
        try (ex) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(code, head || bytes.length == 0 ? -1 : bytes.length);
            if (!head && bytes.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    static String queryToken(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String part : rawQuery.split("&")) {
            if (part.startsWith("token=")) {
                return URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String withoutToken(String rawPath, String rawQuery) {
        List<String> kept = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (!part.startsWith("token=") && !part.isEmpty()) {
                kept.add(part);
            }
        }
        return rawPath + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }
}
