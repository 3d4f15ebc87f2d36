package io.wave.device;

import io.wave.crypto.EntityId;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers the (sender, nonce) pairs of commands seen within the freshness window, so a replayed
 * command is refused. A command older than the window is refused as stale before it gets here, so a
 * nonce need only be remembered for as long as its command could still be fresh: memory is bounded by
 * the commands one window can carry, and by {@code capacity} beyond that (then the oldest are dropped
 * and, to stay safe, commands older than the oldest kept one are refused as replays).
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

    public ReplayGuard(long windowMillis, int capacity) {
        if (windowMillis <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("window and capacity must be positive");
        }
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    /**
     * Records the command's nonce; false when it was seen already (a replay), or when its timestamp is at or
     * before the oldest nonce this guard had to forget for lack of room.
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
        if (seen.size() >= capacity) {
            Iterator<Map.Entry<Key, Long>> it = seen.entrySet().iterator();
            Map.Entry<Key, Long> oldest = it.next();
            forgottenBefore = Math.max(forgottenBefore, oldest.getValue() - windowMillis);
            it.remove();
        }
        seen.put(k, timestampMillis + windowMillis);
        return true;
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

    public synchronized int size() {
        return seen.size();
    }
}
