package org.oncobench.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessTokenTest {
    @TempDir
    Path dir;

    @Test
    void theRuleFollowsTheBindAddress() {
        assertNull(AccessToken.forBind(BindAddress.of("127.0.0.1", 0), null));
        assertNull(AccessToken.forBind(BindAddress.of("::1", 0), null));
        AccessToken any = AccessToken.forBind(BindAddress.of("0.0.0.0", 0), null);
        assertTrue(any != null && any.reveal().matches("[0-9a-f]{48}"));
        assertNotEquals(any.reveal(), AccessToken.generate().reveal());
        assertFalse(any.toString().contains(any.reveal()));
    }

    @Test
    void admitsTheTokenAsBearerCookieOrQueryAndNothingElse() {
        AccessToken t = AccessToken.generate();
        String v = t.reveal();
        assertTrue(t.admits("Bearer " + v, null, null));
        assertTrue(t.admits("bearer " + v, null, null));
        assertTrue(t.admits(null, "other=1; oncobench-token-9000=" + v, null));
        assertTrue(t.admits(null, null, v));
        assertFalse(t.admits(null, null, null));
        assertFalse(t.admits("Basic " + v, null, null));
        assertFalse(t.admits("Bearer " + v.substring(1), null, null));
        assertFalse(t.admits("Bearer " + v + "0", null, null));
        assertFalse(t.admits(null, "session=" + v, null), "a cookie of another name");
        assertFalse(t.matches(""));
    }

    @Test
    void aTokenFileHoldsALongPrintableToken() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "  0123456789abcdefXYZ  \nignored\n");
        assertTrue(AccessToken.fromFile(file).matches("0123456789abcdefXYZ"));
        Files.writeString(file, "short\n");
        assertEquals("--token-file " + file + ": its first line must hold a token of at least 16 printable ASCII characters without spaces, "
                + "quotes, commas, semicolons or backslashes", assertThrows(BadInputException.class, () -> AccessToken.fromFile(file)).getMessage());
        assertTrue(assertThrows(BadInputException.class, () -> AccessToken.fromFile(dir.resolve("absent"))).getMessage()
                .startsWith("--token-file " + dir.resolve("absent") + ": cannot read it"));
        Files.writeString(file, "0123456789abcdefXYZ\n");
        assertTrue(AccessToken.forBind(BindAddress.of("127.0.0.1", 0), file).matches("0123456789abcdefXYZ"), "a token file applies on loopback too");
    }

    @Test
    void portsAndHostsAreCheckedWithOneMessage() {
        assertEquals("--port 70000: allowed 0 (any free port) to 65535",
                assertThrows(BadInputException.class, () -> BindAddress.of("127.0.0.1", 70000)).getMessage());
        assertTrue(assertThrows(BadInputException.class, () -> BindAddress.of("no-such-host.invalid", 0)).getMessage()
                .startsWith("--host no-such-host.invalid: unknown address"));
        assertFalse(BindAddress.of("0.0.0.0", 0).loopback());
    }
}
