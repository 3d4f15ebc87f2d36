package io.wave.crypto;

import java.util.Objects;

/** The id of an entity: the hash of its complete signed public encoding. */
public record EntityId(Hash hash) {
    public EntityId {
        Objects.requireNonNull(hash, "hash");
    }

    /** Parses the text form strictly; see {@link Hash#parse}. */
    public static EntityId parse(String text) {
        return new EntityId(Hash.parse(text));
    }

    @Override
    public String toString() {
        return hash.toString();
    }
}
