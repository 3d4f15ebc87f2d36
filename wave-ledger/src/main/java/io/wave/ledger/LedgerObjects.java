package io.wave.ledger;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.objects.Revocation;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.policy.Grant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one gate every backend puts in front of its log: an object is accepted only when it decodes
 * strictly and verifies. The ledger never stores garbage, and a reader rebuilding an index from a
 * public chain, where anyone can write, skips what fails the same checks.
 */
public final class LedgerObjects {
    static final String REVOCATION_ID_DOMAIN = "wave.revocation.v1";

    private LedgerObjects() {}

    /** The id of an object: the id its own type defines (a revocation's is the hash of its encoding). */
    public static Hash idOf(ObjectKind kind, byte[] der) {
        return switch (kind) {
            case ENTITY -> UnverifiedEntity.decode(der).id().hash();
            case ATTESTATION -> UnverifiedAttestation.decode(der).id().hash();
            case NAME -> NameDeclaration.decode(der).id().hash();
            case REVOCATION -> Hash.sha3(REVOCATION_ID_DOMAIN, Revocation.decode(der).encode());
        };
    }

    /**
     * Decodes and verifies an object for publication.
     *
     * @param entities    the entities already on the ledger (an attestation's or name's attester must be)
     * @param commitments whether a commitment belongs to something on the ledger (a revocation must open one)
     * @throws WaveException MALFORMED, TOO_LARGE, BAD_SIGNATURE; NOT_FOUND when the attester's entity or the
     *     revoked object is not on the ledger
     */
    public static LedgerObject check(ObjectKind kind, byte[] der, Function<EntityId, Optional<Entity>> entities,
            Predicate<RevocationCommitment> commitments) {
        switch (kind) {
            case ENTITY:
                return new LedgerObject.EntityObject(UnverifiedEntity.decode(der).verify());
            case ATTESTATION: {
                UnverifiedAttestation ua = UnverifiedAttestation.decode(der);
                Entity attester = entities.apply(ua.attester()).orElseThrow(() -> new WaveException(ErrorCode.NOT_FOUND,
                        "attestation " + ua.id() + ": its attester " + ua.attester() + " is not on the ledger; publish the entity first"));
                return new LedgerObject.AttestationObject(Grant.of(ua.verify(attester)));
            }
            case NAME: {
                NameDeclaration n = NameDeclaration.decode(der);
                Entity attester = entities.apply(n.attester()).orElseThrow(() -> new WaveException(ErrorCode.NOT_FOUND,
                        "name declaration " + n.id() + ": its attester " + n.attester() + " is not on the ledger"));
                return new LedgerObject.NameObject(n.verify(attester));
            }
            case REVOCATION: {
                Revocation r = Revocation.decode(der);
                if (!commitments.test(r.commitment())) {
                    throw new WaveException(ErrorCode.NOT_FOUND,
                            "the revocation opens commitment " + r.commitment() + ", which nothing on the ledger carries");
                }
                return new LedgerObject.RevocationObject(r, Hash.sha3(REVOCATION_ID_DOMAIN, der));
            }
            default:
                throw new IllegalStateException();
        }
    }
}
