package io.wave.ledger.ethereum;

import static io.wave.ledger.testing.LedgerFixtures.CLOCK;
import static io.wave.ledger.testing.LedgerFixtures.attestation;
import static io.wave.ledger.testing.LedgerFixtures.entity;
import static io.wave.ledger.testing.LedgerFixtures.revocation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Receipt;
import io.wave.ledger.ethereum.internal.Chain;
import io.wave.ledger.ethereum.internal.Registry;
import io.wave.policy.Grant;
import io.wave.policy.Policy;
import io.wave.policy.ProofBuilder;
import io.wave.policy.ProofVerifier;
import io.wave.policy.ReasonCode;
import io.wave.policy.Request;
import io.wave.policy.RevocationView;
import io.wave.policy.Verdict;
import io.wave.policy.testing.GrantBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Credentials;

/**
 * Direct mode on a real node: objects go on chain as events of a registry deployed for each test, and
 * any reader that knows only the node's URL and the registry's address rebuilds the same ledger, skipping
 * what anyone may have written there that does not verify, waiting for confirmations, and rolling back
 * what a reorganisation took away.
 */
@ExtendWith(Ganache.Shared.class)
class EthereumLedgerIT {
    private static final EntitySecret NS = TestEntities.create("eth/namespace");
    private static final EntitySecret ALICE = TestEntities.create("eth/alice");
    private static final EntitySecret BOB = TestEntities.create("eth/bob");
    private static final EntitySecret MALLORY = TestEntities.create("eth/mallory");
    private static final String HVAC = "building1/floor2/hvac";
    private static final GrantBuilder NS_ALICE = GrantBuilder.grant("eth/ns-alice", NS, ALICE.id())
            .resource("building1/*").indirections(1);
    private static final GrantBuilder ALICE_BOB = GrantBuilder.grant("eth/alice-bob", ALICE, BOB.id()).in(NS.id())
            .resource("building1/*");
    private static final Credentials PAYER = Ganache.account(0);

    private static Ganache node;
    private String contract;

    @BeforeAll
    static void node(Ganache shared) {
        node = shared;
    }

    @BeforeEach
    void deploy() {
        contract = EthereumRegistry.deploy(node.url(), PAYER);
    }

    /** A ledger that publishes with the test account and reads the chain on every call. */
    private EthereumConfig config() {
        return EthereumConfig.of(node.url()).withContract(contract).withKey(KeySource.of(PAYER))
                .withMaxStaleness(Duration.ZERO).withPollInterval(Duration.ofMillis(20)).withTimeout(Duration.ofSeconds(30));
    }

    /** What a second machine has: the URI and no key. */
    private EthereumLedger reader(int confirmations) {
        return EthereumLedger.open(EthereumConfig.parse("ethereum:" + node.url() + "?contract=" + contract
                + "&confirmations=" + confirmations, KeySource.none()).withMaxStaleness(Duration.ZERO));
    }

    @Test
    void deploy_givesTheAddressOfAnEmptyRegistry() {
        assertTrue(contract.matches("0x[0-9a-f]{40}"), contract);
        try (EthereumLedger ledger = EthereumLedger.open(config())) {
            assertEquals(0, ledger.size());
            assertEquals(contract, ledger.contract());
        }
        String nobody = "0x000000000000000000000000000000000000dead";
        WaveException e = assertThrows(WaveException.class, () -> EthereumLedger.open(config().withContract(nobody)));
        assertEquals(ErrorCode.NOT_FOUND, e.code(), e.getMessage());
    }

    @Test
    void publishAll_entityAndAttestations_goInOneTransaction_andComeBackIndexed() {
        Attestation nsAlice = NS_ALICE.sign();
        Attestation aliceBob = ALICE_BOB.sign();
        try (EthereumLedger ledger = EthereumLedger.open(config())) {
            List<Receipt> receipts = ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()),
                    entity(BOB.entity()), attestation(nsAlice), attestation(aliceBob)));

            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), receipts.stream().map(Receipt::index).toList());
            assertEquals(1, receipts.stream().map(Receipt::anchor).distinct().count(), "one transaction: " + receipts);
            assertTrue(receipts.get(0).anchor().matches("eth:block=\\d+,tx=0x[0-9a-f]{64}"), receipts.get(0).anchor());
            assertNull(receipts.get(0).head(), "direct mode has no tree head");
            assertNull(receipts.get(0).inclusion());
            assertEquals(nsAlice.id().hash(), receipts.get(3).id());
            assertEquals(List.of(nsAlice.id()), ledger.grantsTo(ALICE.id()).stream().map(Grant::id).toList());
            assertEquals(List.of(aliceBob.id()), ledger.grantsFrom(ALICE.id()).stream().map(Grant::id).toList());
            assertEquals(BOB.id(), ledger.entity(BOB.id()).orElseThrow().id());
            assertArrayEquals(aliceBob.encoded(), ledger.find(aliceBob.id().hash()).orElseThrow().der());

            // Publishing what is already there sends nothing and answers the first receipts.
            long block = node.blockNumber();
            assertEquals(receipts.subList(3, 5), ledger.publishAll(List.of(attestation(nsAlice), attestation(aliceBob))));
            assertEquals(block, node.blockNumber());
        }
    }

    @Test
    void publishAll_sendsBatchSizeObjectsPerTransaction() {
        List<Publication> five = List.of(entity(NS.entity()), entity(ALICE.entity()), entity(BOB.entity()),
                attestation(NS_ALICE.sign()), attestation(ALICE_BOB.sign()));
        try (EthereumLedger ledger = EthereumLedger.open(config().withBatchSize(2))) {
            long before = node.blockNumber();
            List<Receipt> receipts = ledger.publishAll(five);

            assertEquals(3, receipts.stream().map(Receipt::anchor).distinct().count(), receipts.toString());
            assertEquals(before + 3, node.blockNumber(), "ganache mines each transaction in its own block");
            assertEquals(5, ledger.size());
        }
    }

    @Test
    void publishAll_checksEverythingBeforeSendingAnything() {
        Attestation orphan = GrantBuilder.grant("eth/orphan", MALLORY, BOB.id()).sign();
        byte[] forged = NS_ALICE.sign().encoded();
        forged[forged.length - 1] ^= 1;
        try (EthereumLedger ledger = EthereumLedger.open(config())) {
            long block = node.blockNumber();

            WaveException noAttester = assertThrows(WaveException.class,
                    () -> ledger.publishAll(List.of(entity(NS.entity()), attestation(orphan))));
            WaveException badSignature = assertThrows(WaveException.class,
                    () -> ledger.publishAll(List.of(entity(NS.entity()), new Publication(ObjectKind.ATTESTATION, forged))));
            WaveException opensNothing = assertThrows(WaveException.class,
                    () -> ledger.publish(ObjectKind.REVOCATION, revocation(MALLORY.entityRevocationSecret()).der()));

            assertEquals(ErrorCode.NOT_FOUND, noAttester.code(), noAttester.getMessage());
            assertEquals(ErrorCode.BAD_SIGNATURE, badSignature.code(), badSignature.getMessage());
            assertEquals(ErrorCode.NOT_FOUND, opensNothing.code(), opensNothing.getMessage());
            assertEquals(block, node.blockNumber(), "nothing was sent, not even the valid entity");
            assertEquals(0, ledger.size());
        }
        try (EthereumLedger readOnly = reader(0)) {
            WaveException e = assertThrows(WaveException.class, () -> readOnly.publish(ObjectKind.ENTITY,
                    NS.entity().encoded()));
            assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
        }
    }

    @Test
    void secondReader_withOnlyTheUrlAndAddress_rebuildsTheSameLedger_andSeesTheRevocation() {
        Attestation nsAlice = NS_ALICE.sign();
        Attestation aliceBob = ALICE_BOB.sign();
        Request request = new Request(List.of(Policy.parse("device:actuate@" + NS.id() + "/" + HVAC)), BOB.id(), null);
        try (EthereumLedger writer = EthereumLedger.open(config()); EthereumLedger reader = reader(0)) {
            writer.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()), entity(BOB.entity())));
            writer.publishAll(List.of(attestation(nsAlice), attestation(aliceBob)));

            assertEquals(ids(writer.entries(0, 100)), ids(reader.entries(0, 100)));
            assertEquals(List.of(nsAlice.id()), reader.grantsTo(ALICE.id()).stream().map(Grant::id).toList());
            assertArrayEquals(ALICE.entity().encoded(), reader.entity(ALICE.id()).orElseThrow().encoded());

            // The reader's ledger is enough to build and check the proof bob needs.
            ProofBuilder.Found found = assertInstanceOf(ProofBuilder.Found.class,
                    ProofBuilder.create(reader.attestationSource(), CLOCK, reader.revocationView())
                            .build(BOB.id(), request.required()));
            ProofVerifier verifier = ProofVerifier.create(CLOCK, reader.revocationView());
            Verdict before = verifier.verify(found.proof().encoded(), request);
            assertTrue(before.valid(), before.reason() + ": " + before.detail());

            Publication revoke = revocation(ALICE.attestationRevocationSecret(ALICE_BOB.nonce()));
            writer.publish(revoke.kind(), revoke.der());

            assertEquals(RevocationView.Status.REVOKED, reader.revocationStatus(aliceBob.body().revocation()));
            assertEquals(RevocationView.Status.NOT_REVOKED, reader.revocationStatus(nsAlice.body().revocation()));
            assertEquals(ReasonCode.REVOKED, verifier.verify(found.proof().encoded(), request).reason());
            assertEquals(6, reader.size());
        }
    }

    @Test
    void objectsWrittenStraightToTheContract_thatDoNotVerify_areSkippedAndCounted() {
        Attestation orphan = GrantBuilder.grant("eth/orphan", MALLORY, BOB.id()).sign();
        byte[] badSignature = NS_ALICE.sign().encoded();
        badSignature[badSignature.length - 1] ^= 1;
        Attestation good = NS_ALICE.sign();
        // Anyone can call publish(bytes[]): these bypass every check EthereumLedger makes.
        sendStraight(List.of(
                leaf(ObjectKind.ENTITY, NS.entity().encoded()),
                new byte[0],
                new byte[] {2, (byte) 0xde, (byte) 0xad},
                leaf(9, NS.entity().encoded()),
                leaf(ObjectKind.ATTESTATION, orphan.encoded()),
                leaf(ObjectKind.ATTESTATION, badSignature),
                leaf(ObjectKind.REVOCATION, revocation(MALLORY.entityRevocationSecret()).der()),
                leaf(ObjectKind.ENTITY, NS.entity().encoded()),
                leaf(ObjectKind.ENTITY, ALICE.entity().encoded()),
                leaf(ObjectKind.ATTESTATION, good.encoded())));

        try (EthereumLedger reader = reader(0)) {
            EthereumLedger.Status s = reader.refresh();

            assertEquals(3, s.size(), "the entities and the good grant, the duplicate entity once");
            assertEquals(6, s.skippedEvents());
            assertEquals(List.of(NS.id().hash(), ALICE.id().hash(), good.id().hash()), ids(reader.entries(0, 10)));
            assertEquals(List.of(good.id()), reader.grantsTo(ALICE.id()).stream().map(Grant::id).toList());
            assertTrue(reader.grantsTo(BOB.id()).isEmpty(), "mallory's grant is not there: mallory is not");
        }
    }

    @Test
    void confirmations_hideObjectsUntilEnoughBlocksAreMinedOnTop() {
        try (EthereumLedger writer = EthereumLedger.open(config()); EthereumLedger reader = reader(2)) {
            writer.publish(ObjectKind.ENTITY, NS.entity().encoded());

            assertEquals(0, reader.size(), "its block has no confirmation yet");
            node.mine(1);
            assertEquals(0, reader.size(), "one block on top, two wanted");
            node.mine(1);
            assertEquals(1, reader.size());
            assertTrue(reader.entity(NS.id()).isPresent());
        }
    }

    @Test
    void reorganisation_rollsTheIndexBackAndReadsTheNewChain() {
        try (EthereumLedger writer = EthereumLedger.open(config()); EthereumLedger reader = reader(0)) {
            writer.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity())));
            assertEquals(2, reader.size());
            String fork = node.snapshot();

            Attestation nsAlice = NS_ALICE.sign();
            writer.publish(ObjectKind.ATTESTATION, nsAlice.encoded());
            assertEquals(3, reader.size());
            assertEquals(1, reader.grantsTo(ALICE.id()).size());

            // The block holding the grant is replaced by one holding bob's entity.
            node.revert(fork);
            writer.publish(ObjectKind.ENTITY, BOB.entity().encoded());

            assertEquals(List.of(NS.id().hash(), ALICE.id().hash(), BOB.id().hash()), ids(reader.entries(0, 10)));
            assertTrue(reader.grantsTo(ALICE.id()).isEmpty(), "the grant's block is gone, and the grant with it");
            assertTrue(reader.find(nsAlice.id().hash()).isEmpty());
            assertEquals(1, reader.status().reorganisations());

            // The same again, replaced by empty blocks only: the index falls back to what is left.
            fork = node.snapshot();
            writer.publish(ObjectKind.ATTESTATION, nsAlice.encoded());
            assertEquals(4, reader.size());
            node.revert(fork);
            node.mine(2);
            assertEquals(3, reader.size());
            assertEquals(2, reader.status().reorganisations());

            // The writer saw it too: publishing the grant again puts it back.
            Receipt again = writer.publish(ObjectKind.ATTESTATION, nsAlice.encoded());
            assertEquals(3, again.index());
            assertEquals(4, reader.size());
        }
    }

    @Test
    void stoppedNode_makesReadsAndPublishesUnavailable_andRevocationStatusUnknown() {
        // Checked on a node of its own, stopped halfway.
        try (Ganache own = Ganache.start()) {
            String address = EthereumRegistry.deploy(own.url(), PAYER);
            EthereumConfig c = EthereumConfig.of(own.url()).withContract(address).withKey(KeySource.of(PAYER))
                    .withMaxStaleness(Duration.ZERO).withTimeout(Duration.ofSeconds(5));
            try (EthereumLedger ledger = EthereumLedger.open(c)) {
                ledger.publish(ObjectKind.ENTITY, NS.entity().encoded());
                own.stop();

                for (Runnable read : List.<Runnable>of(ledger::size, () -> ledger.entity(NS.id()),
                        () -> ledger.grantsTo(ALICE.id()), () -> ledger.revocationStatus(NS.entity().revocation()),
                        () -> ledger.entries(0, 10), () -> ledger.publish(ObjectKind.ENTITY, ALICE.entity().encoded()))) {
                    assertEquals(ErrorCode.UNAVAILABLE, assertThrows(WaveException.class, read::run).code());
                }
                assertEquals(RevocationView.Status.UNKNOWN, ledger.revocationView().status(NS.entity().revocation()),
                        "fail closed: verifiers treat unknown as revoked");
            }
            for (Runnable connect : List.<Runnable>of(() -> EthereumLedger.open(c), () -> TreeHeadAnchor.open(c),
                    () -> EthereumRegistry.deploy(own.url(), PAYER))) {
                WaveException e = assertThrows(WaveException.class, connect::run);
                assertEquals(ErrorCode.UNAVAILABLE, e.code());
                assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
            }
        }
    }

    private void sendStraight(List<byte[]> leaves) {
        try (Chain chain = Chain.connect(URI.create(node.url()), Duration.ofSeconds(30), Duration.ofMillis(20))) {
            Registry registry = Registry.at(chain, contract);
            String tx = chain.send(PAYER, chain.chainId(), chain.pendingNonce(PAYER.getAddress()), contract,
                    registry.publishCall(leaves));
            chain.receipt(tx);
        }
    }

    private static byte[] leaf(ObjectKind kind, byte[] der) {
        return leaf(kind.code(), der);
    }

    private static byte[] leaf(int code, byte[] der) {
        byte[] out = new byte[der.length + 1];
        out[0] = (byte) code;
        System.arraycopy(der, 0, out, 1, der.length);
        return out;
    }

    private static List<io.wave.crypto.Hash> ids(List<LedgerEntry> entries) {
        return entries.stream().map(LedgerEntry::id).toList();
    }
}
