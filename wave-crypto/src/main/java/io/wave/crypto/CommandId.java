package io.wave.crypto;

import java.util.Objects;

/**
 * The id of a command: the hash of its signed body. The same command sent with its proof or with only
 * the proof's id has the same id, so a device answers both with one reply.
 */
public record CommandId(Hash hash) {
    public CommandId {
        Objects.requireNonNull(hash, "hash");
    }

    /** Parses the text form strictly; see {@link Hash#parse}. */
    public static CommandId parse(String text) {
        return new CommandId(Hash.parse(text));
    }

    @Override
    public String toString() {
        return hash.toString();
    }
}
