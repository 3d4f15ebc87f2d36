package io.wave.device;

import io.wave.crypto.EntityId;
import io.wave.crypto.WaveException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers the (sender, nonce) pairs of commands seen within the freshness window, so a replayed
 * command is refused. A command older than the window is refused as stale before it gets here, so a
 * nonce need only be remembered for as long as its command could still be fresh: memory is bounded by
 * the commands one window can carry, and by {@code capacity} beyond that (then the oldest are dropped
 * and, to stay safe, commands older than the oldest kept one are refused as replays).
 *
 * <p>Across restarts the memory survives in a {@link NonceJournal} (every first sight is written before
 * it is reported), or, where it does not (volatile state, a lost journal), the guard has a <em>restart
 * floor</em>: commands with earlier timestamps may have been seen by a previous run, and the gate refuses
 * them. A command that ran before a restart at instant {@code s} was fresh then, so its timestamp is at
 * most {@code s + window}; that is the floor.
 */
public final class ReplayGuard {
    private record Key(EntityId sender, ByteBuffer nonce) {}

    private final long windowMillis;
    private final int capacity;
    /** Each nonce with the instant until which its command counts as fresh. Insertion order is close to
     * time order; an expired entry behind a live one waits for the next pass, within the capacity. */
    private final LinkedHashMap<Key, Long> seen = new LinkedHashMap<>();
    /** Commands with timestamps at or before this may have had their nonces forgotten. */
    private long forgottenBefore = Long.MIN_VALUE;
    /** Commands with timestamps before this may have run before a restart that lost the nonces. */
    private long restartFloor = Long.MIN_VALUE;
    /** Where first sights are recorded before they are reported; null for memory only. */
    private NonceJournal journal;

    /**
     * A guard in memory only, with no restart floor: for a gate whose caller keeps it for as long as the
     * nonces it has seen matter. A device agent uses {@link #restore} or {@link #volatileFrom}.
     */
    public ReplayGuard(long windowMillis, int capacity) {
        if (windowMillis <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("window and capacity must be positive");
        }
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    /** A guard in memory only that started at {@code start} knowing nothing: commands signed before
     * {@code start + window} are below its restart floor. */
    static ReplayGuard volatileFrom(long windowMillis, int capacity, Instant start) {
        ReplayGuard g = new ReplayGuard(windowMillis, capacity);
        g.restartFloor = start.toEpochMilli() + windowMillis;
        return g;
    }

    /**
     * The guard that {@code journal} remembers, recording from now on into it. A lost journal (missing or
     * unreadable) gives an empty memory with the restart floor at {@code start + window}, and that floor is
     * itself kept in the journal, so a second restart within the window does not forget it. The journal is
     * rewritten before this returns: no torn tail and no expired records are left to append after.
     *
     * @throws WaveException IO_ERROR when the journal cannot be rewritten (the agent must not start: it could
     *     not record what it checks)
     */
    static ReplayGuard restore(long windowMillis, int capacity, NonceJournal journal, Instant start) {
        ReplayGuard g = new ReplayGuard(windowMillis, capacity);
        NonceJournal.Loaded l = journal.loaded();
        if (l.lost()) {
            journal.keepUnreadable();
            g.restartFloor = start.toEpochMilli() + windowMillis;
        } else {
            g.restartFloor = l.restartFloor();
            g.forgottenBefore = l.forgottenBefore();
            for (NonceJournal.Entry e : l.entries()) {
                g.remember(new Key(e.sender(), ByteBuffer.wrap(e.nonce())), e.expiresAt());
            }
        }
        journal.rewrite(g.entries(), g.restartFloor, g.forgottenBefore);
        g.journal = journal;
        return g;
    }

    /**
     * Records the command's nonce; false when it was seen already (a replay), or when its timestamp is at or
     * before the oldest nonce this guard had to forget for lack of room. With a journal, the nonce is
     * written to it before this returns true.
     *
     * @throws WaveException IO_ERROR when the journal could not be written: nothing is recorded, and the
     *     command must not run
     */
    public synchronized boolean firstSight(EntityId sender, byte[] nonce, long timestampMillis, Instant now) {
        Objects.requireNonNull(sender, "sender");
        expire(now.toEpochMilli());
        if (timestampMillis <= forgottenBefore) {
            return false;
        }
        Key k = new Key(sender, ByteBuffer.wrap(nonce.clone()));
        if (seen.containsKey(k)) {
            return false;
        }
        long expiresAt = timestampMillis + windowMillis;
        if (journal != null) {
            journal.append(new NonceJournal.Entry(sender, nonce, expiresAt));
        }
        remember(k, expiresAt);
        if (journal != null && journal.wantsRewrite(seen.size())) {
            try {
                journal.rewrite(entries(), restartFloor, forgottenBefore);
            } catch (WaveException e) {
                // The old file is still whole and still appended to; the next first sight tries again.
            }
        }
        return true;
    }

    private void remember(Key k, long expiresAt) {
        if (seen.size() >= capacity) {
            Iterator<Map.Entry<Key, Long>> it = seen.entrySet().iterator();
            Map.Entry<Key, Long> oldest = it.next();
            forgottenBefore = Math.max(forgottenBefore, oldest.getValue() - windowMillis);
            it.remove();
        }
        seen.put(k, expiresAt);
    }

    private List<NonceJournal.Entry> entries() {
        List<NonceJournal.Entry> out = new ArrayList<>(seen.size());
        seen.forEach((k, v) -> {
            byte[] n = new byte[k.nonce().remaining()];
            k.nonce().duplicate().get(n);
            out.add(new NonceJournal.Entry(k.sender(), n, v));
        });
        return out;
    }

    private void expire(long nowMillis) {
        Iterator<Map.Entry<Key, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Long> e = it.next();
            if (e.getValue() < nowMillis) {
                it.remove();
            } else {
                break;
            }
        }
    }

    /** Commands with timestamps before this may have run before a restart this guard does not remember;
     * {@link Long#MIN_VALUE} when there is none. */
    public synchronized long restartFloor() {
        return restartFloor;
    }

    public synchronized int size() {
        return seen.size();
    }

    /** Closes the journal, if any (and so releases its lock); the guard records nothing more. */
    synchronized void close() {
        if (journal != null) {
            journal.close();
        }
    }
}
