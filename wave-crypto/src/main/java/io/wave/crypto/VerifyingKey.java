package io.wave.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 public key (RFC 8032), 32 bytes. */
public final class VerifyingKey {
    public static final int LENGTH = Ed25519.PUBLIC_KEY_SIZE;

    private final byte[] encoded;
    /** The decoded point, kept after first use: a key that verifies often pays for decompression once. */
    private volatile Ed25519.PublicPoint point;
    /** Set when the encoding is not a point on the curve: no signature can verify under it. */
    private volatile boolean invalidPoint;

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
        return isValidRaw(Signatures.domainMessage(domain, message), signature);
    }

    /**
     * Plain RFC 8032 verification of {@code signature} over {@code m} as given, with no domain tag: what
     * {@link #isValid} does once it has tagged the message. Package-private so that vectors which sign raw
     * messages (RFC 8032, Wycheproof) test this exact path; nothing outside the package may skip the tag.
     */
    boolean isValidRaw(byte[] m, byte[] signature) {
        if (signature == null || signature.length != Signatures.SIGNATURE_LENGTH) {
            return false;
        }
        Ed25519.PublicPoint p = point;
        if (p == null) {
            if (invalidPoint) {
                return false;
            }
            p = Ed25519.validatePublicKeyPartialExport(encoded, 0);
            if (p == null) {
                invalidPoint = true;
                return false;
            }
            point = p;
        }
        // A key that verifies often has a comb table. Its accept is final and anything else goes to Bouncy
        // Castle; that the table accepts only what Bouncy Castle would is what Ed25519CombDifferentialTest and
        // the Wycheproof vectors check. The point was validated above, which the table relies on.
        io.wave.crypto.internal.Ed25519Comb comb = io.wave.crypto.internal.HotKeys.combFor(this, encoded);
        if (comb != null && comb.verifies(encoded, signature, m)) {
            return true;
        }
        return Ed25519.verify(signature, 0, p, m, 0, m.length);
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
