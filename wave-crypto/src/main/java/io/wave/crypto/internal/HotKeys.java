package io.wave.crypto.internal;

import io.wave.crypto.VerifyingKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keys this process verifies under most, each with a comb table that makes its verifications about
 * three times cheaper (see {@link Ed25519Comb}). A key earns a table after {@link #THRESHOLD} verifications;
 * at most {@link #CAPACITY} tables are kept, the least recently used going first.
 *
 * <p>Process-wide on purpose: the same key arrives inside many short-lived objects (every reply carries
 * its device's entity, every command the sender's proof), so a table held by one {@link VerifyingKey}
 * instance would rarely be met again. Bounded in memory: {@code CAPACITY} tables of about 284 KiB, and
 * at most {@link #MAX_COUNTED} keys counted. Set the system property {@code wave.crypto.hotKeys} to
 * change the capacity; 0 turns the tables off. Internal: {@link VerifyingKey} is its only caller, and
 * benchmarks that must measure a first sight switch it off with {@link #enabled(boolean)}.
 */
public final class HotKeys {
    /** Tables kept: 16 is 4.5 MiB, enough for a device's senders or a service's devices. */
    public static final int CAPACITY = Math.max(0, Integer.getInteger("wave.crypto.hotKeys", 16));
    /** Verifications before a key gets a table: building one costs about as much as 20 verifications. */
    public static final int THRESHOLD = 16;
    /** Keys counted toward a table before the count starts afresh: bounds what a flood of new keys costs. */
    static final int MAX_COUNTED = 4096;

    private static final Map<VerifyingKey, AtomicInteger> USES = new ConcurrentHashMap<>();
    private static final Map<VerifyingKey, Hot> TABLES = new ConcurrentHashMap<>();

    private static volatile boolean enabled = true;

    private record Hot(Ed25519Comb comb, long[] lastUse) {}

    private HotKeys() {}

    /**
     * The table for {@code key} (whose encoding is {@code encoded}) once it is hot, else null; counts this use
     * either way. A key Bouncy Castle does not take as a point (small-order ones included) never gets one:
     * under such a key a table would accept forgeries, and its accept is final (see {@link Ed25519Comb}).
     */
    public static Ed25519Comb combFor(VerifyingKey key, byte[] encoded) {
        if (CAPACITY == 0 || !enabled) {
            return null;
        }
        Hot hot = TABLES.get(key);
        if (hot != null) {
            hot.lastUse[0] = System.nanoTime();
            return hot.comb;
        }
        if (USES.size() >= MAX_COUNTED) {
            USES.clear();
        }
        if (USES.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() < THRESHOLD) {
            return null;
        }
        USES.remove(key);
        Ed25519Comb comb = Ed25519Comb.of(encoded, Ed25519Comb.KEY_WINDOW);
        if (comb == null) {
            return null;
        }
        TABLES.put(key, new Hot(comb, new long[] {System.nanoTime()}));
        while (TABLES.size() > CAPACITY) {
            evictOldest();
        }
        return comb;
    }

    private static void evictOldest() {
        VerifyingKey oldest = null;
        long at = Long.MAX_VALUE;
        for (Map.Entry<VerifyingKey, Hot> e : TABLES.entrySet()) {
            if (e.getValue().lastUse[0] < at) {
                at = e.getValue().lastUse[0];
                oldest = e.getKey();
            }
        }
        if (oldest != null) {
            TABLES.remove(oldest);
        }
    }

    /**
     * Turns the tables on or off for the whole process (those built are kept, unused, while off): benchmarks
     * measure a verifier seeing keys for the first time with them off. On by default.
     */
    public static void enabled(boolean on) {
        enabled = on;
    }

    /** Whether tables are in use. */
    public static boolean enabled() {
        return enabled && CAPACITY > 0;
    }

    /** How many keys have tables now: for tests and benchmarks. */
    public static int size() {
        return TABLES.size();
    }

    /** Drops every table and count: for tests and benchmarks. */
    public static void clear() {
        TABLES.clear();
        USES.clear();
    }
}
