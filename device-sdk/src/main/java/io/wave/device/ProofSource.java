package io.wave.device;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.ledger.Ledger;
import io.wave.policy.Policy;
import io.wave.policy.ProofBuilder;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@link CommandClient} gets a proof when its caller has none at hand: built from a ledger's
 * attestations ({@link #fromLedger}), or fetched from an agent daemon (the agent client's
 * {@code proofSource()}), as {@code wave send} does without {@code --proof}.
 */
@FunctionalInterface
public interface ProofSource {
    /**
     * A proof that {@code sender} holds every policy in {@code wanted}.
     *
     * @throws WaveException NO_PROOF when none exists now (none granted, or every path revoked or expired);
     *     NOT_FOUND when the sender's entity was never published; UNAVAILABLE when the ledger or agent cannot
     *     be reached
     */
    UnverifiedProof proofFor(EntityId sender, List<Policy> wanted);

    /** Builds proofs from what {@code ledger} holds, skipping what its revocation view says is revoked. */
    static ProofSource fromLedger(Ledger ledger, Clock clock) {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(clock, "clock");
        return (sender, wanted) -> {
            ProofBuilder.Result r = ProofBuilder.create(ledger.attestationSource(), clock, ledger.revocationView())
                    .build(sender, wanted);
            if (r instanceof ProofBuilder.Found f) {
                return f.proof();
            }
            throw new WaveException(ErrorCode.NO_PROOF, ((ProofBuilder.NotFound) r).detail());
        };
    }
}
