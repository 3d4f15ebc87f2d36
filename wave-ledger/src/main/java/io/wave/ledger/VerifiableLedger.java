package io.wave.ledger;

import io.wave.crypto.VerifyingKey;

/**
 * A ledger kept as a Merkle log in the manner of Certificate Transparency (RFC 9162): it signs tree
 * heads with its own key and proves inclusion of every entry and consistency between any two heads,
 * so a client that kept an old head detects a rewritten or forked history.
 */
public interface VerifiableLedger extends Ledger {
    /** The current signed tree head. */
    SignedTreeHead head();

    /** The key that signs this ledger's tree heads. */
    VerifyingKey treeHeadKey();

    /** Proof that entry {@code index} is in the tree of {@code treeSize} entries. */
    Proofs.Inclusion inclusion(long index, long treeSize);

    /** Proof that the tree of {@code first} entries is a prefix of the tree of {@code second}. */
    Proofs.Consistency consistency(long first, long second);
}
