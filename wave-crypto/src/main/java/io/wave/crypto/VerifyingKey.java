package io.wave.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 public key (RFC 8032), 32 bytes. */
public final class VerifyingKey {
    public static final int LENGTH = Ed25519.PUBLIC_KEY_SIZE;

    private final byte[] encoded;

    private VerifyingKey(byte[] encoded) {
        this.encoded = encoded;
    }

    /** Wraps a 32-byte encoded key; the point itself is checked when a signature is verified. */
    public static VerifyingKey of(byte[] encoded) {
        if (encoded == null || encoded.length != LENGTH) {
            throw WaveException.malformed("an Ed25519 public key is " + LENGTH + " bytes");
        }
        return new VerifyingKey(encoded.clone());
    }

    /**
     * Verifies {@code signature} over {@code domain || message}; returns normally only when it holds.
     *
     * @throws WaveException with {@link ErrorCode#BAD_SIGNATURE} when it does not
     */
    public void verify(String domain, byte[] message, byte[] signature) {
        if (!isValid(domain, message, signature)) {
            throw new WaveException(ErrorCode.BAD_SIGNATURE, "signature does not verify");
        }
    }

    /** As {@link #verify} but answering a boolean, for verifiers that turn a failure into a verdict. */
    public boolean isValid(String domain, byte[] message, byte[] signature) {
        if (signature == null || signature.length != Signatures.SIGNATURE_LENGTH) {
            return false;
        }
        byte[] m = Signatures.domainMessage(domain, message);
        return Ed25519.verify(signature, 0, encoded, 0, m, 0, m.length);
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyingKey other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Ed25519:" + HexFormat.of().formatHex(encoded);
    }
}
