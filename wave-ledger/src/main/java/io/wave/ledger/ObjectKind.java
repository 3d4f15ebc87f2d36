package io.wave.ledger;

import io.wave.crypto.WaveException;

/** What a ledger entry holds. The code is the first byte of the entry's leaf data; never renumber. */
public enum ObjectKind {
    ENTITY(1),
    ATTESTATION(2),
    NAME(3),
    REVOCATION(4);

    private final int code;

    ObjectKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ObjectKind of(int code) {
        for (ObjectKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw WaveException.malformed("unknown ledger object kind " + code);
    }
}
