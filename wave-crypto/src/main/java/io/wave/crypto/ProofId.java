package io.wave.crypto;

import java.util.Objects;

/** The id of a proof: the hash of its encoding, which a device may be sent instead of the proof itself. */
public record ProofId(Hash hash) {
    public ProofId {
        Objects.requireNonNull(hash, "hash");
    }

    /** Parses the text form strictly; see {@link Hash#parse}. */
    public static ProofId parse(String text) {
        return new ProofId(Hash.parse(text));
    }

    @Override
    public String toString() {
        return hash.toString();
    }
}
