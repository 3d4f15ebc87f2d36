package io.wave.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** An X25519 public key (RFC 7748), 32 bytes: what others use to encrypt to an entity. */
public final class EncryptionKey {
    public static final int LENGTH = X25519.POINT_SIZE;

    private final byte[] encoded;

    private EncryptionKey(byte[] encoded) {
        this.encoded = encoded;
    }

    public static EncryptionKey of(byte[] encoded) {
        if (encoded == null || encoded.length != LENGTH) {
            throw WaveException.malformed("an X25519 public key is " + LENGTH + " bytes");
        }
        return new EncryptionKey(encoded.clone());
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptionKey other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "X25519:" + HexFormat.of().formatHex(encoded);
    }
}
