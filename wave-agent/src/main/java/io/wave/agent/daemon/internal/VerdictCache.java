package io.wave.agent.daemon.internal;

import io.wave.crypto.RevocationCommitment;
import io.wave.device.RevocationFollower;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Answers to verifications that came out valid, by request, so that a service asking again about the same
 * proof is answered without decoding or evaluating it. Only valid answers are kept, each with the instant it
 * may stop holding (its verdict's expiry, or sooner the next opening or closing of a daily window on its paths)
 * and the revocation commitments its evaluation consulted: an entry is dropped the moment any of them is reported
 * revoked ({@link #revoke}), and never served past its expiry.
 *
 * <p>A revocation reaches the cache only by the agent reading the ledger, so an answer is served only while the
 * agent's last complete read of the ledger is at most {@link #LEDGER_STALENESS} old. Past that, every request
 * is evaluated afresh, and the verifier, unable to learn the revocation status, fails closed: the cache never
 * answers what an uncached request would not.
 */
public final class VerdictCache {
    /** Answers kept at most: a few MiB of JSON; the least recently used goes first. */
    public static final int MAX_ENTRIES = 10_000;

    /**
     * How old the agent's view of the ledger may be while cached answers are served: the bound after which
     * devices fail closed ({@link RevocationFollower#DEFAULT_STALENESS}), so that the agent and the devices it
     * serves refuse a grant revoked during an outage at the same time.
     */
    public static final Duration LEDGER_STALENESS = RevocationFollower.DEFAULT_STALENESS;

    /** A cached answer: the JSON served, until when, and what a revocation of would end it. */
    public record Entry(byte[] answer, Instant expires, List<RevocationCommitment> dependsOn) {
        public Entry {
            dependsOn = List.copyOf(dependsOn);
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * The answer for {@code key} if it still holds at {@code now}, nothing it depends on is {@code revoked}, and
     * the ledger was last read to its end no longer than {@link #LEDGER_STALENESS} before {@code now}; otherwise
     * null (and an answer that no longer holds is gone; one only waiting for the ledger is kept, since reading
     * the ledger again drops it if it was revoked meanwhile).
     *
     * @param ledgerReadAt when the agent's last complete read of the ledger began; null when it never completed one
     */
    public Entry get(String key, Instant now, Instant ledgerReadAt, Predicate<RevocationCommitment> revoked) {
        if (!fresh(ledgerReadAt, now)) {
            misses.increment();
            return null;
        }
        Entry e;
        synchronized (this) {
            e = entries.get(key);
        }
        if (e != null && now.isBefore(e.expires()) && e.dependsOn().stream().noneMatch(revoked)) {
            hits.increment();
            return e;
        }
        if (e != null) {
            synchronized (this) {
                entries.remove(key, e);
            }
        }
        misses.increment();
        return null;
    }

    /** Whether a view of the ledger read at {@code readAt} may still stand for it at {@code now}. */
    static boolean fresh(Instant readAt, Instant now) {
        return readAt != null && Duration.between(readAt, now).compareTo(LEDGER_STALENESS) <= 0;
    }

    public synchronized void put(String key, Entry e) {
        entries.put(key, e);
    }

    /** Drops every answer whose evaluation consulted {@code c}. */
    public synchronized void revoke(RevocationCommitment c) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (it.next().dependsOn().contains(c)) {
                it.remove();
            }
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }
}
