package io.wave.ledger.embedded;

import static io.wave.ledger.testing.LedgerFixtures.CLOCK;
import static io.wave.ledger.testing.LedgerFixtures.attestation;
import static io.wave.ledger.testing.LedgerFixtures.entity;
import static io.wave.ledger.testing.LedgerFixtures.revocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.RevocationSecret;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.testing.DeterministicRandom;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.SignedTreeHead;
import io.wave.policy.testing.GrantBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger never stores garbage: every refusal carries its stable code, and after it the log has the
 * same size and the same signed head as before. A batch is refused whole.
 */
class EmbeddedLedgerRefusalTest {
    private static final EntitySecret NS = TestEntities.create("refusal/namespace");
    private static final EntitySecret ALICE = TestEntities.create("refusal/alice");
    private static final EntitySecret ORPHAN_ATTESTER = TestEntities.create("refusal/never-published");

    @TempDir
    Path dir;
    private EmbeddedLedger ledger;

    @BeforeEach
    void openWithTheNamespacePublished() {
        ledger = EmbeddedLedger.open(dir, CLOCK);
        ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity())));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void publish_refusesBytesThatAreNotDer() {
        assertRefused(ErrorCode.MALFORMED, ObjectKind.ATTESTATION, "not DER at all".getBytes());
        assertRefused(ErrorCode.MALFORMED, ObjectKind.ENTITY, new byte[0]);
        byte[] grant = grant("truncated").encoded();
        assertRefused(ErrorCode.MALFORMED, ObjectKind.ATTESTATION, Arrays.copyOf(grant, grant.length - 1));
        byte[] trailing = Arrays.copyOf(grant, grant.length + 1);
        assertRefused(ErrorCode.MALFORMED, ObjectKind.ATTESTATION, trailing);
    }

    @Test
    void publish_refusesAnObjectDeclaredAsAnotherKind() {
        assertRefused(ErrorCode.MALFORMED, ObjectKind.ATTESTATION, NS.entity().encoded());
        assertRefused(ErrorCode.MALFORMED, ObjectKind.ENTITY, grant("as-entity").encoded());
        assertRefused(ErrorCode.MALFORMED, ObjectKind.ENTITY,
                revocation(NS.attestationRevocationSecret(new byte[16])).der());
        // A revocation's size bound is checked before its structure.
        assertRefused(ErrorCode.TOO_LARGE, ObjectKind.REVOCATION, grant("as-revocation").encoded());
    }

    @Test
    void publish_refusesForgedSignature() {
        byte[] forged = grant("forged").encoded();
        forged[forged.length - 1] ^= 1; // the signature is the last field
        assertRefused(ErrorCode.BAD_SIGNATURE, ObjectKind.ATTESTATION, forged);

        EntitySecret mallory = TestEntities.create("refusal/mallory");
        byte[] forgedEntity = mallory.entity().encoded();
        forgedEntity[forgedEntity.length - 1] ^= 1;
        assertRefused(ErrorCode.BAD_SIGNATURE, ObjectKind.ENTITY, forgedEntity);
    }

    @Test
    void publish_refusesAnAttestationWhoseAttesterIsNotOnTheLedger() {
        Attestation orphan = GrantBuilder.grant("refusal/orphan", ORPHAN_ATTESTER, ALICE.id()).sign();
        WaveException e = assertRefused(ErrorCode.NOT_FOUND, ObjectKind.ATTESTATION, orphan.encoded());
        assertTrue(e.getMessage().contains(ORPHAN_ATTESTER.id().toString()), e.getMessage());
    }

    @Test
    void publish_refusesARevocationThatOpensNothingOnTheLedger() {
        byte[] secret = new byte[RevocationSecret.LENGTH];
        new DeterministicRandom("refusal/unknown-secret").nextBytes(secret);
        assertRefused(ErrorCode.NOT_FOUND, revocation(RevocationSecret.of(secret)));
        // Nor one for a grant that was signed but never published.
        GrantBuilder unpublished = GrantBuilder.grant("refusal/unpublished", NS, ALICE.id());
        assertRefused(ErrorCode.NOT_FOUND, revocation(NS.attestationRevocationSecret(unpublished.nonce())));
    }

    @Test
    void publish_refusesAnAttestationWhoseResourceIsNotValidPolicy() {
        for (String bad : List.of("a//b", "a/*/b", "/a", "a/b*")) {
            Attestation a = GrantBuilder.grant("refusal/resource " + bad, NS, ALICE.id()).resource(bad).sign();
            assertRefused(ErrorCode.MALFORMED, ObjectKind.ATTESTATION, a.encoded());
        }
    }

    @Test
    void publishAll_writesNothingWhenOneObjectIsBad() {
        EntitySecret bob = TestEntities.create("refusal/bob");
        Attestation good = GrantBuilder.grant("refusal/batch-good", NS, bob.id()).sign();
        byte[] forged = grant("batch-forged").encoded();
        forged[forged.length - 1] ^= 1;

        assertBatchRefused(ErrorCode.BAD_SIGNATURE, List.of(entity(bob.entity()), attestation(good),
                new Publication(ObjectKind.ATTESTATION, forged)));
        // The bad object first or last makes no difference.
        assertBatchRefused(ErrorCode.MALFORMED, List.of(new Publication(ObjectKind.ENTITY, new byte[] {0x30, 0x00}),
                entity(bob.entity()), attestation(good)));
        assertTrue(ledger.find(bob.id().hash()).isEmpty());
        assertTrue(ledger.find(good.id().hash()).isEmpty());
        assertTrue(ledger.grantsTo(bob.id()).isEmpty());

        // The good part alone goes through: the refusal was about the bad object, not the rest.
        assertEquals(List.of(2L, 3L), ledger.publishAll(List.of(entity(bob.entity()), attestation(good))).stream()
                .map(io.wave.ledger.Receipt::index).toList());
    }

    @Test
    void publishAll_refusesMoreThanOneGroupAtOnce() {
        Publication p = attestation(grant("too-many"));
        List<Publication> tooMany = new ArrayList<>(Collections.nCopies(EmbeddedLedger.MAX_GROUP + 1, p));
        assertBatchRefused(ErrorCode.TOO_LARGE, tooMany);
    }

    // ------------------------------------------------------------------ helpers

    private static Attestation grant(String label) {
        return GrantBuilder.grant("refusal/" + label, NS, ALICE.id()).sign();
    }

    private WaveException assertRefused(ErrorCode code, ObjectKind kind, byte[] der) {
        return assertRefused(code, new Publication(kind, der));
    }

    private WaveException assertRefused(ErrorCode code, Publication p) {
        long size = ledger.size();
        SignedTreeHead head = ledger.head();
        WaveException e = assertThrows(WaveException.class, () -> ledger.publish(p.kind(), p.der()));
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(size, ledger.size());
        assertEquals(head, ledger.head());
        assertTrue(ledger.entry(size).isEmpty(), "nothing stored past the head either");
        return e;
    }

    private void assertBatchRefused(ErrorCode code, List<Publication> batch) {
        long size = ledger.size();
        SignedTreeHead head = ledger.head();
        WaveException e = assertThrows(WaveException.class, () -> ledger.publishAll(batch));
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(size, ledger.size());
        assertEquals(head, ledger.head());
        assertTrue(ledger.entry(size).isEmpty(), "nothing stored past the head either");
    }
}
