package io.wave.crypto;

import java.util.Objects;

/** The id of a name declaration: the hash of its complete signed encoding. */
public record NameId(Hash hash) {
    public NameId {
        Objects.requireNonNull(hash, "hash");
    }

    /** Parses the text form strictly; see {@link Hash#parse}. */
    public static NameId parse(String text) {
        return new NameId(Hash.parse(text));
    }

    @Override
    public String toString() {
        return hash.toString();
    }
}
