package io.wave.ledger;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.SigningKey;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.WaveException;
import io.wave.ledger.merkle.Merkle;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A ledger's signed statement that its log held {@code size} entries with Merkle root {@code root} at
 * {@code timestamp} (milliseconds since the epoch). Signed with the ledger's own Ed25519 key over
 * {@code "wave.sth.v1" || 0x00 || size (8 bytes) || timestamp (8 bytes) || root (32 bytes)}.
 */
public record SignedTreeHead(long size, long timestamp, byte[] root, byte[] signature) {
    static final String DOMAIN = "wave.sth.v1";

    public SignedTreeHead {
        root = Objects.requireNonNull(root, "root").clone();
        signature = Objects.requireNonNull(signature, "signature").clone();
        if (size < 0 || root.length != Merkle.HASH_LENGTH || signature.length != 64) {
            throw WaveException.malformed("a tree head has a size, a 32-byte root and a 64-byte signature");
        }
    }

    public static SignedTreeHead sign(long size, long timestamp, byte[] root, SigningKey key) {
        return new SignedTreeHead(size, timestamp, root, key.sign(DOMAIN, signedBytes(size, timestamp, root)));
    }

    static byte[] signedBytes(long size, long timestamp, byte[] root) {
        return ByteBuffer.allocate(16 + root.length).putLong(size).putLong(timestamp).put(root).array();
    }

    /**
     * Checks the signature under the ledger's key.
     *
     * @throws WaveException TAMPERED when it does not verify
     */
    public SignedTreeHead verify(VerifyingKey ledgerKey) {
        if (!ledgerKey.isValid(DOMAIN, signedBytes(size, timestamp, root), signature)) {
            throw new WaveException(ErrorCode.TAMPERED, "tree head of size " + size + " is not signed by the ledger's key");
        }
        return this;
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public String rootHex() {
        return HexFormat.of().formatHex(root);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTreeHead h && h.size == size && h.timestamp == timestamp
                && java.util.Arrays.equals(h.root, root) && java.util.Arrays.equals(h.signature, signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, timestamp, java.util.Arrays.hashCode(root));
    }

    @Override
    public String toString() {
        return "SignedTreeHead[size=" + size + ", root=" + rootHex() + ", timestamp=" + timestamp + "]";
    }
}
