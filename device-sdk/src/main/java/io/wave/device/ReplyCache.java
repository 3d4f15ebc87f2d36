package io.wave.device;

import io.wave.crypto.CommandId;

/**
 * The signed replies to recent commands, by command id, so that a command delivered twice (QoS 1 after a
 * lost acknowledgement, a client's retry after a timeout) runs once and is answered twice with the same
 * bytes. A command whose handler is still running is marked pending; its duplicates get nothing, since
 * the first reply is on its way.
 */
final class ReplyCache {
    /** Replies are a few hundred bytes; 4,096 of them cover any retry a client makes within its timeout. */
    static final int DEFAULT_CAPACITY = 4096;
    private static final byte[] PENDING = new byte[0];

    private final BoundedMap<CommandId, byte[]> map;

    ReplyCache(int capacity) {
        this.map = new BoundedMap<>(capacity);
    }

    /** The reply sent for {@code id}, or null (also while it is pending). */
    byte[] lookup(CommandId id) {
        byte[] r = map.get(id);
        return r == null || r == PENDING ? null : r;
    }

    boolean isPending(CommandId id) {
        return map.get(id) == PENDING;
    }

    void begin(CommandId id) {
        map.put(id, PENDING);
    }

    void complete(CommandId id, byte[] reply) {
        map.put(id, reply.clone());
    }

    void abandon(CommandId id) {
        map.remove(id);
    }
}
