package io.wave.ledger;

import io.wave.crypto.Hash;
import java.util.Objects;
import java.util.Optional;

/**
 * What a publish answers once the object is durable: its id, its position, and where it is anchored.
 * A Merkle-log ledger (embedded, server) adds the signed tree head that includes it and the proof of
 * inclusion, so the publisher can check it was really written; an Ethereum ledger in direct mode names
 * the block and transaction instead ({@code anchor}).
 */
public record Receipt(Hash id, ObjectKind kind, long index, String anchor, SignedTreeHead head,
        Proofs.Inclusion inclusion) {
    public Receipt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(anchor, "anchor");
    }

    public Optional<SignedTreeHead> treeHead() {
        return Optional.ofNullable(head);
    }

    public Optional<Proofs.Inclusion> inclusionProof() {
        return Optional.ofNullable(inclusion);
    }
}
