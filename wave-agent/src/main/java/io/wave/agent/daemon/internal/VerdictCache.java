package io.wave.agent.daemon.internal;

import io.wave.crypto.RevocationCommitment;
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
 * stops holding (its verdict's expiry) and the revocation commitments its evaluation consulted: an entry is
 * dropped the moment any of them is reported revoked ({@link #revoke}), and never served past its expiry.
 */
public final class VerdictCache {
    /** Answers kept at most: a few MiB of JSON; the least recently used goes first. */
    public static final int MAX_ENTRIES = 10_000;

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
     * The answer for {@code key} if it still holds at {@code now} and nothing it depends on is {@code revoked};
     * otherwise null (and the entry is gone).
     */
    public Entry get(String key, Instant now, Predicate<RevocationCommitment> revoked) {
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
