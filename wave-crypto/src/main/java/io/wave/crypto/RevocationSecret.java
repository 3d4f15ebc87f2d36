package io.wave.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The secret behind a {@link RevocationCommitment}. Whoever holds it can revoke; it never prints.
 */
public final class RevocationSecret {
    public static final int LENGTH = 32;
    private static final byte[] COMMIT_DOMAIN = "wave.revocation.commit.v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] secret;

    private RevocationSecret(byte[] secret) {
        this.secret = secret;
    }

    public static RevocationSecret of(byte[] secret) {
        if (secret == null || secret.length != LENGTH) {
            throw WaveException.malformed("a revocation secret is " + LENGTH + " bytes");
        }
        return new RevocationSecret(secret.clone());
    }

    /**
     * Derives the secret for one object from an entity's revocation seed and a label unique to that
     * object, so an attester can revoke any attestation it made without storing per-grant state.
     */
    public static RevocationSecret derive(byte[] seed, byte[] label) {
        return new RevocationSecret(Hash.sha3Raw("wave.revocation.derive.v1".getBytes(StandardCharsets.US_ASCII),
                seed, label));
    }

    public RevocationCommitment commitment() {
        return RevocationCommitment.of(Hash.sha3Raw(COMMIT_DOMAIN, secret));
    }

    /** True when this secret opens {@code commitment}. */
    public boolean opens(RevocationCommitment commitment) {
        return MessageDigest.isEqual(commitment().bytes(), commitment.bytes());
    }

    public byte[] bytes() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RevocationSecret other && MessageDigest.isEqual(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return commitment().hashCode();
    }

    @Override
    public String toString() {
        return "RevocationSecret[redacted]";
    }
}
