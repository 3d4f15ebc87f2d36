package io.wave.ledger;

import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One object in a ledger's log, at its position. Its leaf data, which the Merkle tree hashes, is the
 * kind's code followed by the object's canonical DER.
 */
public record LedgerEntry(long index, ObjectKind kind, byte[] der, Hash id) {
    public LedgerEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        der = Objects.requireNonNull(der, "der").clone();
        if (index < 0) {
            throw new IllegalArgumentException("negative index");
        }
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    public byte[] leafData() {
        byte[] out = new byte[der.length + 1];
        out[0] = (byte) kind.code();
        System.arraycopy(der, 0, out, 1, der.length);
        return out;
    }

    /** Splits leaf data into kind and DER (the id is computed by {@link LedgerObjects#idOf}). */
    public static LedgerEntry fromLeafData(long index, byte[] leaf) {
        if (leaf == null || leaf.length < 2) {
            throw WaveException.malformed("ledger entry " + index + " is empty");
        }
        ObjectKind kind = ObjectKind.of(leaf[0] & 0xff);
        byte[] der = Arrays.copyOfRange(leaf, 1, leaf.length);
        return new LedgerEntry(index, kind, der, LedgerObjects.idOf(kind, der));
    }
}
