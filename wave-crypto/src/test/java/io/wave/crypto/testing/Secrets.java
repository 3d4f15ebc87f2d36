package io.wave.crypto.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** Assertions that secret bytes do not appear in text, in any of the forms a careless toString uses. */
public final class Secrets {
    private Secrets() {}

    /** Fails when {@code text} contains {@code secret} as hex, base64, base64url or Arrays.toString. */
    public static void assertNotLeaked(String text, byte[] secret) {
        String[] forms = {
            HexFormat.of().formatHex(secret),
            HexFormat.of().withUpperCase().formatHex(secret),
            Base64.getEncoder().withoutPadding().encodeToString(secret),
            Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
            Arrays.toString(secret),
        };
        for (String form : forms) {
            // Any 8-character window would already be a leak of 4+ bytes.
            for (int i = 0; i + 8 <= form.length(); i += 4) {
                String window = form.substring(i, i + 8);
                assertFalse(text.contains(window), "text leaks secret material (" + window + "): " + text);
            }
        }
    }
}
