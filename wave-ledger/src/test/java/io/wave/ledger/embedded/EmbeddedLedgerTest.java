package io.wave.ledger.embedded;

import static io.wave.ledger.testing.LedgerFixtures.CLOCK;
import static io.wave.ledger.testing.LedgerFixtures.assertReceiptHolds;
import static io.wave.ledger.testing.LedgerFixtures.attestation;
import static io.wave.ledger.testing.LedgerFixtures.entity;
import static io.wave.ledger.testing.LedgerFixtures.name;
import static io.wave.ledger.testing.LedgerFixtures.revocation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.AttestationId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Receipt;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.testing.LedgerFixtures;
import io.wave.policy.Grant;
import io.wave.policy.Policy;
import io.wave.policy.ProofBuilder;
import io.wave.policy.ProofVerifier;
import io.wave.policy.ReasonCode;
import io.wave.policy.Request;
import io.wave.policy.RevocationView;
import io.wave.policy.Verdict;
import io.wave.policy.testing.GrantBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded ledger as its users meet it: publish entities and grants, get receipts that prove where
 * they were written, read them back by id and by who they concern, revoke, name, and find all of it
 * again after the process closes and reopens the directory.
 */
class EmbeddedLedgerTest {
    private static final EntitySecret NS = TestEntities.create("ledger/namespace");
    private static final EntitySecret ALICE = TestEntities.create("ledger/alice");
    private static final EntitySecret BOB = TestEntities.create("ledger/bob");
    private static final String HVAC = "building1/floor2/hvac";

    /** ns grants alice on building1, re-delegable once. */
    private static final GrantBuilder NS_ALICE = GrantBuilder.grant("ledger/ns-alice", NS, ALICE.id())
            .resource("building1/*").indirections(1);
    /** alice passes it on to bob. */
    private static final GrantBuilder ALICE_BOB = GrantBuilder.grant("ledger/alice-bob", ALICE, BOB.id())
            .in(NS.id()).resource("building1/*");

    @TempDir
    Path dir;

    @Test
    void publish_entityThenAttestation_receiptsProveInclusionUnderASignedHead() {
        Attestation grant = NS_ALICE.sign();
        try (EmbeddedLedger ledger = open()) {
            Receipt ofEntity = ledger.publish(ObjectKind.ENTITY, NS.entity().encoded());
            Receipt ofGrant = ledger.publish(ObjectKind.ATTESTATION, grant.encoded());

            assertEquals(0, ofEntity.index());
            assertEquals(1, ofGrant.index());
            assertEquals(NS.id().hash(), ofEntity.id());
            assertEquals(grant.id().hash(), ofGrant.id());
            assertEquals(1, ofEntity.head().size(), "the entity's head is the one its write produced");
            assertEquals(2, ofGrant.head().size());
            assertReceiptHolds(ledger, ofEntity);
            assertReceiptHolds(ledger, ofGrant);
            assertEquals(ofGrant.head(), ledger.head());
            assertEquals(2, ledger.size());

            // The proofs bind position and content: neither proves the other entry.
            LedgerEntry entityEntry = ledger.find(ofEntity.id()).orElseThrow();
            LedgerEntry grantEntry = ledger.find(ofGrant.id()).orElseThrow();
            assertFalse(ofGrant.inclusion().verify(entityEntry, ofGrant.head()));
            assertFalse(ledger.inclusion(0, 2).verify(grantEntry, ledger.head()));
            // A head signed by another key is not this ledger's.
            VerifyingKey stranger = TestEntities.create("ledger/stranger").signingKey().verifyingKey();
            assertEquals(ErrorCode.TAMPERED,
                    assertThrows(WaveException.class, () -> ledger.head().verify(stranger)).code());
        }
    }

    @Test
    void reads_returnWhatWasPublished_byIdAndByWhoItConcerns() {
        Attestation nsAlice = NS_ALICE.sign();
        Attestation aliceBob = ALICE_BOB.sign();
        try (EmbeddedLedger ledger = open()) {
            ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()), entity(BOB.entity()),
                    attestation(nsAlice), attestation(aliceBob)));

            LedgerEntry found = ledger.find(aliceBob.id().hash()).orElseThrow();
            assertEquals(ObjectKind.ATTESTATION, found.kind());
            assertArrayEquals(aliceBob.encoded(), found.der());
            assertEquals(ALICE.entity(), ledger.entity(ALICE.id()).orElseThrow());
            assertTrue(ledger.entity(TestEntities.create("ledger/nobody").id()).isEmpty());
            // An attestation's id is not an entity, even though both live in one id index.
            assertTrue(ledger.entity(new io.wave.crypto.EntityId(nsAlice.id().hash())).isEmpty());

            assertEquals(Set.of(nsAlice.id()), ids(ledger.grantsTo(ALICE.id())));
            assertEquals(Set.of(aliceBob.id()), ids(ledger.grantsTo(BOB.id())));
            assertEquals(Set.of(aliceBob.id()), ids(ledger.grantsFrom(ALICE.id())));
            assertEquals(Set.of(nsAlice.id()), ids(ledger.grantsFrom(NS.id())));
            assertTrue(ledger.grantsFrom(BOB.id()).isEmpty());
        }
    }

    @Test
    void reopen_keepsSizeHeadEveryObjectAndEveryIndex() {
        Attestation nsAlice = NS_ALICE.sign();
        Attestation aliceBob = ALICE_BOB.sign();
        NameDeclaration bobsName = declare(NS, BOB, "bob.acme");
        List<LedgerEntry> before;
        SignedTreeHead headBefore;
        VerifyingKey keyBefore;
        try (EmbeddedLedger ledger = open()) {
            ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()), entity(BOB.entity()),
                    attestation(nsAlice), attestation(aliceBob), name(bobsName)));
            ledger.publish(ObjectKind.REVOCATION, revocationOf(NS, NS_ALICE).der());
            before = ledger.entries(0, 100);
            headBefore = ledger.head();
            keyBefore = ledger.treeHeadKey();
        }

        try (EmbeddedLedger ledger = open()) {
            assertEquals(7, ledger.size());
            assertEquals(headBefore, ledger.head());
            assertEquals(keyBefore, ledger.treeHeadKey());
            ledger.head().verify(keyBefore);
            List<LedgerEntry> after = ledger.entries(0, 100);
            assertEquals(before.size(), after.size());
            for (LedgerEntry e : before) {
                LedgerEntry again = ledger.find(e.id()).orElseThrow(() -> new AssertionError(e.id() + " lost"));
                assertEquals(e.index(), again.index());
                assertArrayEquals(e.leafData(), again.leafData());
                assertTrue(ledger.inclusion(e.index(), ledger.size()).verify(again, ledger.head()));
            }
            assertArrayEquals(ledger.head().root(), LedgerFixtures.rootOf(after));
            // Indexes, re-read from disk (the grant cache starts empty): grants, names, revocations.
            assertEquals(Set.of(aliceBob.id()), ids(ledger.grantsTo(BOB.id())));
            assertEquals(Set.of(nsAlice.id()), ids(ledger.grantsFrom(NS.id())));
            assertEquals(List.of(bobsName.id()), ledger.resolve("bob.acme").stream().map(NameDeclaration::id).toList());
            assertEquals(RevocationView.Status.REVOKED, ledger.revocationStatus(nsAlice.body().revocation()));
            assertEquals(RevocationView.Status.NOT_REVOKED, ledger.revocationStatus(aliceBob.body().revocation()));

            // And it goes on from where it was.
            Receipt next = ledger.publish(ObjectKind.ATTESTATION,
                    GrantBuilder.grant("ledger/after-reopen", NS, BOB.id()).sign().encoded());
            assertEquals(7, next.index());
            assertTrue(ledger.consistency(7, 8).verify(headBefore, ledger.head()));
        }
    }

    @Test
    void reopen_signsWithTheSameKey_keptOwnerOnly() throws Exception {
        VerifyingKey key;
        try (EmbeddedLedger ledger = open()) {
            key = ledger.treeHeadKey();
            ledger.publish(ObjectKind.ENTITY, NS.entity().encoded());
        }
        Path keyFile = dir.resolve("tree-head.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));

        try (EmbeddedLedger ledger = open()) {
            assertEquals(key, ledger.treeHeadKey());
            Receipt r = ledger.publish(ObjectKind.ENTITY, ALICE.entity().encoded());
            r.head().verify(key);
        }
        // Another directory is another ledger with a key of its own.
        try (EmbeddedLedger other = EmbeddedLedger.open(dir.resolve("other"), CLOCK)) {
            assertFalse(key.equals(other.treeHeadKey()));
        }
    }

    @Test
    void publishAll_acceptsAnEntityTogetherWithTheGrantsThatNeedIt() {
        Attestation nsAlice = NS_ALICE.sign();
        Attestation nsBob = GrantBuilder.grant("ledger/ns-bob", NS, BOB.id()).sign();
        try (EmbeddedLedger ledger = open()) {
            // Without the entity first, the same grants are refused.
            assertEquals(ErrorCode.NOT_FOUND, assertThrows(WaveException.class,
                    () -> ledger.publishAll(List.of(attestation(nsAlice), entity(NS.entity())))).code());
            assertEquals(0, ledger.size());

            List<Receipt> receipts = ledger.publishAll(List.of(entity(NS.entity()), attestation(nsAlice),
                    attestation(nsBob)));

            assertEquals(List.of(0L, 1L, 2L), receipts.stream().map(Receipt::index).toList());
            for (Receipt r : receipts) {
                assertEquals(3, r.head().size(), "one write, one head");
                assertReceiptHolds(ledger, r);
            }
            assertEquals(Set.of(nsAlice.id(), nsBob.id()), ids(ledger.grantsFrom(NS.id())));
        }
    }

    @Test
    void publish_sameObjectAgain_answersItsPositionAndDoesNotGrowTheLog() {
        Attestation nsAlice = NS_ALICE.sign();
        try (EmbeddedLedger ledger = open()) {
            List<Receipt> first = ledger.publishAll(List.of(entity(NS.entity()), attestation(nsAlice)));
            SignedTreeHead head = ledger.head();

            Receipt again = ledger.publish(ObjectKind.ATTESTATION, nsAlice.encoded());
            List<Receipt> bothAgain = ledger.publishAll(List.of(entity(NS.entity()), attestation(nsAlice)));
            List<Receipt> twiceInOneCall = ledger.publishAll(List.of(attestation(nsAlice), attestation(nsAlice)));

            assertEquals(first.get(1).index(), again.index());
            assertEquals(List.of(0L, 1L), bothAgain.stream().map(Receipt::index).toList());
            assertEquals(List.of(1L, 1L), twiceInOneCall.stream().map(Receipt::index).toList());
            assertEquals(2, ledger.size());
            assertEquals(head, ledger.head(), "nothing new, no new head");
            assertReceiptHolds(ledger, again);

            // A new object in the same call as a repeated one is appended once, after the rest.
            Attestation nsBob = GrantBuilder.grant("ledger/ns-bob", NS, BOB.id()).sign();
            List<Receipt> mixed = ledger.publishAll(List.of(attestation(nsBob), attestation(nsAlice), attestation(nsBob)));
            assertEquals(List.of(2L, 1L, 2L), mixed.stream().map(Receipt::index).toList());
            assertEquals(3, ledger.size());
        }
    }

    @Test
    void revocation_onTheLedger_makesTheVerifierRefuseProofsThroughTheRevokedGrant() {
        Attestation nsAlice = NS_ALICE.sign();
        Attestation aliceBob = ALICE_BOB.sign();
        Request request = new Request(List.of(Policy.parse("device:actuate@" + NS.id() + "/" + HVAC)), BOB.id(), null);
        try (EmbeddedLedger ledger = open()) {
            ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()), entity(BOB.entity()),
                    attestation(nsAlice), attestation(aliceBob)));

            // Built from nothing but what the ledger holds.
            ProofBuilder.Result built = ProofBuilder.create(ledger.attestationSource(), CLOCK, ledger.revocationView())
                    .build(BOB.id(), request.required());
            ProofBuilder.Found found = assertInstanceOf(ProofBuilder.Found.class, built, () -> built.toString());
            assertEquals(List.of(nsAlice.id(), aliceBob.id()), found.paths().get(0).stream().map(Grant::id).toList());
            ProofVerifier verifier = ProofVerifier.create(CLOCK, ledger.revocationView());
            Verdict before = verifier.verify(found.proof().encoded(), request);
            assertTrue(before.valid(), before.reason() + ": " + before.detail());

            Publication revokeAliceBob = revocationOf(ALICE, ALICE_BOB);
            Receipt r = ledger.publish(revokeAliceBob.kind(), revokeAliceBob.der());
            assertReceiptHolds(ledger, r);
            assertEquals(ObjectKind.REVOCATION, ledger.find(r.id()).orElseThrow().kind());
            assertEquals(RevocationView.Status.REVOKED, ledger.revocationStatus(aliceBob.body().revocation()));
            assertEquals(RevocationView.Status.NOT_REVOKED, ledger.revocationStatus(nsAlice.body().revocation()));

            Verdict after = verifier.verify(found.proof().encoded(), request);
            assertEquals(ReasonCode.REVOKED, after.reason(), after.detail());
            assertInstanceOf(ProofBuilder.NotFound.class, ProofBuilder.create(ledger.attestationSource(), CLOCK,
                    ledger.revocationView()).build(BOB.id(), request.required()), "no proof through a revoked grant");
        }
    }

    @Test
    void revocation_ofAnEntity_revokesItsCommitment() {
        try (EmbeddedLedger ledger = open()) {
            ledger.publish(ObjectKind.ENTITY, ALICE.entity().encoded());
            assertEquals(RevocationView.Status.NOT_REVOKED, ledger.revocationStatus(ALICE.entity().revocation()));

            Publication p = revocation(ALICE.entityRevocationSecret());
            ledger.publish(p.kind(), p.der());

            assertEquals(RevocationView.Status.REVOKED, ledger.revocationStatus(ALICE.entity().revocation()));
        }
    }

    @Test
    void resolve_findsADeclaredName_untilItsDeclarationIsRevoked() {
        NameDeclaration older = declare(NS, ALICE, "alice.acme");
        NameDeclaration newer = declare(ALICE, ALICE, "alice.acme");
        try (EmbeddedLedger ledger = open()) {
            assertTrue(ledger.resolve("alice.acme").isEmpty());
            // A name whose declarer is not on the ledger is refused like any orphan.
            assertEquals(ErrorCode.NOT_FOUND,
                    assertThrows(WaveException.class, () -> ledger.publish(ObjectKind.NAME, older.encoded())).code());

            ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()), name(older), name(newer)));

            assertEquals(List.of(newer.id(), older.id()), nameIds(ledger.resolve("alice.acme")), "newest first");
            assertEquals(ALICE.id(), ledger.resolve("alice.acme").get(0).body().subject());
            assertTrue(ledger.resolve("alice").isEmpty(), "a prefix of a name is another name");
            assertTrue(ledger.resolve("alice.acme.extra").isEmpty());

            Publication revoke = revocation(ALICE.nameRevocationSecret("alice.acme", ALICE.id()));
            ledger.publish(revoke.kind(), revoke.der());

            assertEquals(List.of(older.id()), nameIds(ledger.resolve("alice.acme")));
        }
    }

    @Test
    void open_refusesADirectoryAlreadyOpen_untilTheFirstIsClosed() {
        EmbeddedLedger first = open();
        try {
            first.publish(ObjectKind.ENTITY, NS.entity().encoded());
            WaveException e = assertThrows(WaveException.class, this::open);
            assertEquals(ErrorCode.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("in use"), e.getMessage());
            // The refused open harmed nothing.
            assertEquals(1, first.size());
            first.publish(ObjectKind.ENTITY, ALICE.entity().encoded());
        } finally {
            first.close();
        }
        try (EmbeddedLedger second = open()) {
            assertEquals(2, second.size());
        }
    }

    @Test
    void open_refusesAHeadNotSignedByTheKeyBesideIt_andHoldsNothingAfterwards() throws Exception {
        try (EmbeddedLedger ledger = open()) {
            ledger.publish(ObjectKind.ENTITY, NS.entity().encoded());
        }
        Path keyFile = dir.resolve("tree-head.key");
        byte[] key = Files.readAllBytes(keyFile);
        Files.write(keyFile, TestEntities.create("ledger/substitute-key").signingKey().seed());

        assertEquals(ErrorCode.TAMPERED, assertThrows(WaveException.class, this::open).code());

        // The refused open released the store: with its own key back, the ledger opens in this process.
        Files.write(keyFile, key);
        try (EmbeddedLedger ledger = open()) {
            assertEquals(1, ledger.size());
        }
    }

    @Test
    void open_reportsADamagedLedgerAsAnIoError_notAsInUse() throws Exception {
        try (EmbeddedLedger ledger = open()) {
            ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()), attestation(NS_ALICE.sign())));
        }
        RawStore.flush(dir);
        // Damage every table file but its footer: RocksDB then reads a block whose checksum does not match.
        try (Stream<Path> files = Files.list(RawStore.dbDir(dir))) {
            for (Path sst : files.filter(p -> p.toString().endsWith(".sst")).toList()) {
                byte[] b = Files.readAllBytes(sst);
                for (int i = 0; i < b.length - 64; i++) {
                    b[i] ^= 0x5a;
                }
                Files.write(sst, b);
            }
        }

        WaveException e = assertThrows(WaveException.class, this::open);

        // Retrying cannot help a damaged store: it is not "in use", whatever words its error contains.
        assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void close_refusesLaterUse_withUnavailable() {
        EmbeddedLedger ledger = open();
        ledger.publish(ObjectKind.ENTITY, NS.entity().encoded());
        ledger.close();
        ledger.close();

        assertEquals(ErrorCode.UNAVAILABLE, assertThrows(WaveException.class,
                () -> ledger.publish(ObjectKind.ENTITY, ALICE.entity().encoded())).code());
        assertEquals(ErrorCode.UNAVAILABLE, assertThrows(WaveException.class, () -> ledger.find(NS.id().hash())).code());
        // A verifier asking a closed ledger fails closed.
        assertEquals(RevocationView.Status.UNKNOWN, ledger.revocationView().status(NS.entity().revocation()));
    }

    // ------------------------------------------------------------------ helpers

    private EmbeddedLedger open() {
        return EmbeddedLedger.open(dir, CLOCK);
    }

    /** The revocation {@code attester} publishes to kill the grant {@code b} signs. */
    private static Publication revocationOf(EntitySecret attester, GrantBuilder b) {
        return revocation(attester.attestationRevocationSecret(b.nonce()));
    }

    private static NameDeclaration declare(EntitySecret attester, EntitySecret subject, String name) {
        return NameDeclaration.sign(new NameDeclaration.Body(attester.id(), subject.id(), name, GrantBuilder.AROUND_NOW,
                attester.nameRevocationSecret(name, subject.id()).commitment()), attester);
    }

    private static Set<AttestationId> ids(List<Grant> grants) {
        return grants.stream().map(Grant::id).collect(Collectors.toSet());
    }

    private static List<io.wave.crypto.NameId> nameIds(List<NameDeclaration> names) {
        return names.stream().map(NameDeclaration::id).toList();
    }
}
