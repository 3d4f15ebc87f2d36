package io.wave.crypto;

import java.util.Objects;

/** The id of an attestation: the hash of its complete signed encoding. */
public record AttestationId(Hash hash) {
    public AttestationId {
        Objects.requireNonNull(hash, "hash");
    }

    /** Parses the text form strictly; see {@link Hash#parse}. */
    public static AttestationId parse(String text) {
        return new AttestationId(Hash.parse(text));
    }

    @Override
    public String toString() {
        return hash.toString();
    }
}
