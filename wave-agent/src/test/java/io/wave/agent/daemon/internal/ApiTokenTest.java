package io.wave.agent.daemon.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a token's strength is counted: by length, in the smallest common alphabet its characters fit. */
class ApiTokenTest {
    @Test
    void bits_countsSixPerBase64Character_fourPerHexDigit_andLessForDecimalDigits() {
        assertEquals(132, ApiToken.bits("AbCdEfGhIjKlMnOpQrStUv"), 1e-9);
        assertEquals(126, ApiToken.bits("AbCdEfGhIjKlMnOpQrStU"), 1e-9);
        assertEquals(128, ApiToken.bits("0123456789abcdef0123456789abcdef"), 1e-9);
        assertEquals(128, ApiToken.bits("0123456789ABCDEF0123456789ABCDEF"), 1e-9);
        assertTrue(ApiToken.bits("1".repeat(38)) < ApiToken.MIN_BITS);
        assertTrue(ApiToken.bits("1".repeat(39)) >= ApiToken.MIN_BITS);
        assertEquals(ApiToken.bits("AbCdEfGhIjKlMnOpQrSt"), ApiToken.bits("AbCdEfGhIjKlMnOpQrSt=="), 1e-9,
                "padding carries nothing");
    }

    @Test
    void aTokenTheAgentMakes_passesItsOwnBound() {
        byte[] b = new byte[ApiToken.TOKEN_BYTES];
        String t = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        assertTrue(ApiToken.bits(t) >= ApiToken.MIN_BITS, t);
    }
}
