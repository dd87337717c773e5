package org.oncobench.http;

import org.oncobench.config.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret a server bound beyond loopback requires of every request (like Jupyter's token): generated at start-up and
 * printed once, or read from a {@code --token-file}. Candidates are compared in constant time (SHA-256 of both, then
 * {@link MessageDigest#isEqual}), so neither the content nor the length of the token leaks through timing. The token is
 * never logged: {@link #toString()} does not show it.
 */
public final class AccessToken {
    /** Shortest token a {@code --token-file} may hold. */
    public static final int MIN_LENGTH = 16;
    private final String value;
    private final byte[] digest;

    private AccessToken(String value) {
        this.value = value;
        this.digest = sha256(value);
    }

    /** A fresh random token: 24 bytes from {@link SecureRandom}, as 48 hex digits. */
    public static AccessToken generate() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return new AccessToken(HexFormat.of().formatHex(bytes));
    }

    /** The token in a file (its first line, trimmed), e.g. one kept in a secret store. */
    public static AccessToken fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("--token-file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        String token = text.lines().findFirst().orElse("").trim();
        if (token.length() < MIN_LENGTH || !token.chars().allMatch(c -> c > 32 && c < 127 && c != ';' && c != ',' && c != '"' && c != '\\')) {
            throw new BadInputException("--token-file " + file + ": its first line must hold a token of at least " + MIN_LENGTH
                    + " printable ASCII characters without spaces, quotes, commas, semicolons or backslashes");
        }
        return new AccessToken(token);
    }

    /**
     * The server's token: none for a loopback bind without {@code --token-file}; else the file's, or a generated one
     * (the rule follows the bind address, not the client's).
     */
    public static AccessToken forBind(BindAddress bind, Path tokenFile) {
        if (tokenFile != null) {
            return fromFile(tokenFile);
        }
        return bind.loopback() ? null : generate();
    }

    /** The token itself, to print once at start-up. */
    public String reveal() {
        return value;
    }

    /** True when the candidate is the token (constant time). */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
    }

    /**
     * True when a request carries the token: as {@code Authorization: Bearer TOKEN}, as a cookie named
     * {@code oncobench-token...} (set by the browser UI after {@code ?token=}), or as the {@code token} query parameter.
     */
    public boolean admits(String authorization, String cookies, String queryToken) {
        boolean ok = false; // every form is checked, so the time taken does not say which one came close
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ok |= matches(authorization.substring(7).trim());
        }
        if (cookies != null) {
            for (String cookie : cookies.split(";")) {
                int eq = cookie.indexOf('=');
                if (eq > 0 && cookie.substring(0, eq).trim().startsWith(TokenFilter.COOKIE)) {
                    ok |= matches(cookie.substring(eq + 1).trim());
                }
            }
        }
        if (queryToken != null) {
            ok |= matches(queryToken);
        }
        return ok;
    }

    @Override
    public String toString() {
        return "AccessToken[hidden]";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
