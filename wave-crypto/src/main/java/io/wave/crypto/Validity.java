package io.wave.crypto;

import java.time.Instant;
import java.util.Objects;

/**
 * A validity window in whole seconds, both ends inclusive: valid at {@code t} when
 * {@code notBefore <= t <= notAfter}.
 */
public record Validity(Instant notBefore, Instant notAfter) {
    public Validity {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (notBefore.getNano() != 0 || notAfter.getNano() != 0) {
            throw WaveException.malformed("validity is kept in whole seconds");
        }
        if (notAfter.isBefore(notBefore)) {
            throw WaveException.malformed("validity ends before it starts");
        }
    }

    public static Validity ofSeconds(long notBefore, long notAfter) {
        return new Validity(Instant.ofEpochSecond(notBefore), Instant.ofEpochSecond(notAfter));
    }

    /** From {@code now} (truncated to the second) for {@code seconds}. */
    public static Validity startingAt(Instant now, long seconds) {
        long start = now.getEpochSecond();
        return ofSeconds(start, Math.addExact(start, seconds));
    }

    public boolean contains(Instant t) {
        return !t.isBefore(notBefore) && t.getEpochSecond() <= notAfter.getEpochSecond();
    }
}
