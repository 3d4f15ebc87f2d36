package io.wave.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** An X25519 private key. Never prints; compares in constant time. */
public final class DecryptionKey {
    public static final int LENGTH = X25519.SCALAR_SIZE;

    private final byte[] scalar;
    private final EncryptionKey publicKey;

    private DecryptionKey(byte[] scalar) {
        this.scalar = scalar;
        byte[] pk = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(scalar, 0, pk, 0);
        this.publicKey = EncryptionKey.of(pk);
    }

    public static DecryptionKey generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] k = new byte[LENGTH];
        X25519.generatePrivateKey(random, k);
        return new DecryptionKey(k);
    }

    public static DecryptionKey fromBytes(byte[] scalar) {
        if (scalar == null || scalar.length != LENGTH) {
            throw WaveException.malformed("an X25519 private key is " + LENGTH + " bytes");
        }
        return new DecryptionKey(scalar.clone());
    }

    /**
     * The X25519 shared secret with {@code peer}.
     *
     * @throws WaveException MALFORMED when the peer key is a low-order point (the result would be zero)
     */
    public byte[] agree(EncryptionKey peer) {
        byte[] out = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(scalar, 0, peer.encoded(), 0, out, 0)) {
            throw WaveException.malformed("X25519 peer key is a low-order point");
        }
        return out;
    }

    public EncryptionKey publicKey() {
        return publicKey;
    }

    public byte[] bytes() {
        return scalar.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecryptionKey other && MessageDigest.isEqual(scalar, other.scalar);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    @Override
    public String toString() {
        return "DecryptionKey[redacted, public=" + publicKey + "]";
    }
}
