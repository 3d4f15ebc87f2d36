package io.wave.crypto;

import java.util.Arrays;
import java.util.Base64;

/**
 * A commitment to a revocation secret: SHA3-256 of the secret under a fixed domain. Publishing the
 * secret (a {@code Revocation}) kills whatever carries the commitment.
 */
public final class RevocationCommitment {
    public static final int LENGTH = Hash.DIGEST_LENGTH;

    private final byte[] value;
    private final int hashCode;

    private RevocationCommitment(byte[] value) {
        this.value = value;
        this.hashCode = Arrays.hashCode(value);
    }

    public static RevocationCommitment of(byte[] value) {
        if (value == null || value.length != LENGTH) {
            throw WaveException.malformed("a revocation commitment is " + LENGTH + " bytes");
        }
        return new RevocationCommitment(value.clone());
    }

    public byte[] bytes() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RevocationCommitment other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    @Override
    public String toString() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
