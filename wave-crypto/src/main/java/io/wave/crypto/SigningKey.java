package io.wave.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key (the 32-byte seed of RFC 8032). Not a record: it never prints, compares in
 * constant time, and hands out its bytes only through {@link #seed()}.
 */
public final class SigningKey {
    public static final int SEED_LENGTH = Ed25519.SECRET_KEY_SIZE;

    private final byte[] seed;
    /** The public key's encoding, derived once: signing with it spares a scalar multiplication per signature. */
    private final byte[] publicKey;
    private final VerifyingKey verifyingKey;

    private SigningKey(byte[] seed) {
        this.seed = seed;
        this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, publicKey, 0);
        this.verifyingKey = VerifyingKey.of(publicKey.clone());
    }

    public static SigningKey generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] seed = new byte[SEED_LENGTH];
        Ed25519.generatePrivateKey(random, seed);
        return new SigningKey(seed);
    }

    public static SigningKey fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw WaveException.malformed("an Ed25519 private key is " + SEED_LENGTH + " bytes");
        }
        return new SigningKey(seed.clone());
    }

    /** Signs {@code domain || NUL || message} (pure Ed25519, deterministic). */
    public byte[] sign(String domain, byte[] message) {
        byte[] m = Signatures.domainMessage(domain, message);
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        // Bouncy Castle's sign(seed, message) derives the public key again on every call (a fixed-base scalar
        // multiplication, as costly as the signature's own); the key derived at construction gives the same
        // signature for half the work.
        Ed25519.sign(seed, 0, publicKey, 0, m, 0, m.length, sig, 0);
        return sig;
    }

    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    /** The secret seed (a copy). Callers that store it are responsible for protecting it. */
    public byte[] seed() {
        return seed.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningKey other && MessageDigest.isEqual(seed, other.seed);
    }

    @Override
    public int hashCode() {
        return verifyingKey.hashCode();
    }

    @Override
    public String toString() {
        return "SigningKey[redacted, public=" + verifyingKey + "]";
    }
}
