package io.wave.ledger.embedded;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.RevocationCommitment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Key layouts of the embedded ledger's column families: fixed-width, big-endian, so prefixes sort. */
final class Keys {
    private Keys() {}

    static byte[] index(long i) {
        return ByteBuffer.allocate(8).putLong(i).array();
    }

    static long index(byte[] b, int offset) {
        return ByteBuffer.wrap(b, offset, 8).getLong();
    }

    static byte[] node(int level, long index) {
        return ByteBuffer.allocate(9).put((byte) level).putLong(index).array();
    }

    static byte[] id(Hash h) {
        return h.tagged();
    }

    /** An entity id followed by an entry index: one posting of a per-entity list. */
    static byte[] posting(EntityId id, long index) {
        return ByteBuffer.allocate(Hash.TAGGED_LENGTH + 8).put(id.hash().tagged()).putLong(index).array();
    }

    static byte[] prefix(EntityId id) {
        return id.hash().tagged();
    }

    static byte[] commitment(RevocationCommitment c) {
        return c.bytes();
    }

    /** A name, a NUL (names never hold one), and an entry index. */
    static byte[] name(String name, long index) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(n.length + 9).put(n).put((byte) 0).putLong(index).array();
    }

    static byte[] namePrefix(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(n.length + 1).put(n).put((byte) 0).array();
    }
}
