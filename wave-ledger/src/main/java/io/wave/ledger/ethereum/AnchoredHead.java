package io.wave.ledger.ethereum;

import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.ethereum.internal.Registry;
import java.util.Objects;

/**
 * A signed tree head as anchored on chain: the head (its signature already checked under the log's key)
 * and the block and transaction that carry it.
 */
public record AnchoredHead(SignedTreeHead head, long block, String transaction) {
    public AnchoredHead {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(transaction, "transaction");
    }

    /** {@code eth:block=N,tx=0x...}, as receipts name places on chain. */
    public String anchor() {
        return Registry.anchor(block, transaction);
    }
}
