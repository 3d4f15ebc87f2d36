package io.wave.ledger.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wave.crypto.WaveException;
import io.wave.ledger.server.JsonHttp;

/** What every JSON-body fuzz target asserts: a client's body is refused with a 4xx and a message, never a 5xx. */
public final class ClientBodies {
    private ClientBodies() {}

    /** What a refusal of a client's body must be, as the servers' one exception mapper would answer it. */
    public static void assertRefusedAsClientError(Exception e) {
        WaveException w = JsonHttp.asWaveException(e);
        int status = w.code().httpStatus();
        if (status >= 500) {
            fail("a client's body got " + status + " " + w.code() + ": " + w.getMessage(), e);
        }
        assertTrue(status >= 400 && w.getMessage() != null, w.code() + " " + status);
    }
}
