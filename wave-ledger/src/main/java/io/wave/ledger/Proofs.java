package io.wave.ledger;

import io.wave.crypto.WaveException;
import io.wave.ledger.merkle.Merkle;
import java.util.List;
import java.util.Objects;

/** Merkle proofs as a ledger hands them out. */
public final class Proofs {
    private Proofs() {}

    /** That entry {@code index} is in the tree of {@code treeSize} entries. */
    public record Inclusion(long index, long treeSize, List<byte[]> hashes) {
        public Inclusion {
            hashes = List.copyOf(Objects.requireNonNull(hashes, "hashes"));
            if (hashes.size() > Merkle.MAX_PROOF_HASHES) {
                throw WaveException.tooLarge("inclusion proof of " + hashes.size() + " hashes");
            }
        }

        /** True when {@code entry}'s leaf is at {@code index} under {@code head}. */
        public boolean verify(LedgerEntry entry, SignedTreeHead head) {
            return entry.index() == index && head.size() == treeSize
                    && Merkle.verifyInclusion(Merkle.leafHash(entry.leafData()), index, treeSize, hashes, head.root());
        }
    }

    /** That the tree of {@code first} entries is a prefix of the tree of {@code second}. */
    public record Consistency(long first, long second, List<byte[]> hashes) {
        public Consistency {
            hashes = List.copyOf(Objects.requireNonNull(hashes, "hashes"));
            if (hashes.size() > Merkle.MAX_PROOF_HASHES) {
                throw WaveException.tooLarge("consistency proof of " + hashes.size() + " hashes");
            }
        }

        public boolean verify(SignedTreeHead older, SignedTreeHead newer) {
            return older.size() == first && newer.size() == second
                    && Merkle.verifyConsistency(first, second, older.root(), newer.root(), hashes);
        }
    }
}
