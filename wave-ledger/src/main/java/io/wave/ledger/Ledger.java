package io.wave.ledger;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.policy.AttestationSource;
import io.wave.policy.Grant;
import io.wave.policy.RevocationView;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where entities, attestations, name declarations and revocations are anchored so that nobody can
 * quietly rewrite or hide them. Every backend (embedded RocksDB log, ledger server, Ethereum) answers
 * this interface; all of them verify what they accept ({@link LedgerObjects#check}) and hand out only
 * verified objects.
 *
 * <p>Failures are {@link io.wave.crypto.WaveException}s: bad objects MALFORMED, TOO_LARGE,
 * BAD_SIGNATURE, NOT_FOUND; an unreachable backend UNAVAILABLE; a backend caught lying TAMPERED.
 */
public interface Ledger extends AutoCloseable {
    /** Verifies and appends one object; returns once it is durable. Publishing an object already there
     * returns its existing receipt. */
    Receipt publish(ObjectKind kind, byte[] der);

    /** Verifies all, then appends all in one durable write, in order (later objects may rely on earlier
     * ones, e.g. an entity and then its attestations); nothing is written if any fails. */
    List<Receipt> publishAll(List<Publication> objects);

    /** One object to publish. */
    record Publication(ObjectKind kind, byte[] der) {
        public Publication {
            java.util.Objects.requireNonNull(kind, "kind");
            der = der.clone();
        }
    }

    /** The entry with this id. */
    Optional<LedgerEntry> find(Hash id);

    Optional<Entity> entity(EntityId id);

    /** Verified grants whose subject is {@code subject}. */
    List<Grant> grantsTo(EntityId subject);

    /** Verified grants made by {@code attester}. */
    List<Grant> grantsFrom(EntityId attester);

    /** Whether {@code commitment} has been opened by a revocation on this ledger. */
    RevocationView.Status revocationStatus(RevocationCommitment commitment);

    /** Every verified, unrevoked declaration of {@code name}, newest first. */
    List<NameDeclaration> resolve(String name);

    /** Up to {@code max} entries from position {@code from}: how followers (device agents) watch. */
    List<LedgerEntry> entries(long from, int max);

    /** Number of entries. */
    long size();

    @Override
    void close();

    /**
     * This ledger as the policy engine's revocation view. When the ledger cannot answer (unreachable,
     * rate limited, caught misbehaving) the status is {@code UNKNOWN}, which verifiers treat as revoked
     * unless configured otherwise: fail closed.
     */
    default RevocationView revocationView() {
        return c -> {
            try {
                return revocationStatus(c);
            } catch (io.wave.crypto.WaveException e) {
                switch (e.code()) {
                    case UNAVAILABLE, RATE_LIMITED, TAMPERED, IO_ERROR:
                        return RevocationView.Status.UNKNOWN;
                    default:
                        throw e;
                }
            }
        };
    }

    /** This ledger as the policy engine's attestation source, for building proofs. */
    default AttestationSource attestationSource() {
        Ledger self = this;
        return new AttestationSource() {
            @Override
            public Collection<Grant> grantsTo(EntityId subject) {
                return self.grantsTo(subject);
            }

            @Override
            public Optional<Entity> entity(EntityId id) {
                return self.entity(id);
            }
        };
    }
}
