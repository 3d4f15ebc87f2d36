package io.wave.crypto;

import java.nio.charset.StandardCharsets;

/** Shared rules for what is signed: every signature covers a domain tag, a NUL, then the message. */
final class Signatures {
    static final int SIGNATURE_LENGTH = 64;

    private Signatures() {}

    static byte[] domainMessage(String domain, byte[] message) {
        byte[] d = domain.getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[d.length + 1 + message.length];
        System.arraycopy(d, 0, m, 0, d.length);
        System.arraycopy(message, 0, m, d.length + 1, message.length);
        return m;
    }
}
