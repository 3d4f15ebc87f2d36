package io.wave.ledger.http;

import static io.wave.ledger.testing.LedgerFixtures.CLOCK;
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
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.Ledger;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.Ledgers;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Receipt;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.server.LedgerServer;
import io.wave.ledger.testing.RawHttp;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ledger server on a free loopback port, over a real embedded ledger, driven by the real client the way
 * agents on two machines would: publish and read back with every answer proven, a second machine seeing the
 * same ledger and the same heads, proofs built through one and verified through the other, and the server
 * going away and coming back while publishes wait in the outbox.
 */
class HttpLedgerTest {
    private static final EntitySecret NS = TestEntities.create("http/namespace");
    private static final EntitySecret ALICE = TestEntities.create("http/alice");
    private static final EntitySecret BOB = TestEntities.create("http/bob");
    private static final String HVAC = "building1/floor2/hvac";
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static final GrantBuilder NS_ALICE = GrantBuilder.grant("http/ns-alice", NS, ALICE.id())
            .resource("building1/*").indirections(1);
    private static final GrantBuilder ALICE_BOB = GrantBuilder.grant("http/alice-bob", ALICE, BOB.id())
            .in(NS.id()).resource("building1/*");

    @TempDir
    Path dir;

    private EmbeddedLedger ledger;
    private LedgerServer server;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void startServer() {
        startServer(0, c -> {});
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        stopServer();
    }

    @Test
    void publish_thenReadBack_everyAnswerProvenUnderThePinnedKey() {
        Attestation nsAlice = NS_ALICE.sign();
        Attestation aliceBob = ALICE_BOB.sign();
        NameDeclaration bobsName = declare(NS, BOB, "bob.acme");
        HttpLedger client = client("machine-a");

        List<Receipt> receipts = client.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()),
                entity(BOB.entity()), attestation(nsAlice), attestation(aliceBob), name(bobsName)));

        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), receipts.stream().map(Receipt::index).toList());
        assertEquals(ledger.treeHeadKey(), client.treeHeadKey(), "pinned on first use: the server's own key");
        assertTrue(Files.isRegularFile(client.stateDirectory().resolve("tree-head.pub")));
        for (Receipt r : receipts) {
            r.head().verify(ledger.treeHeadKey());
            assertTrue(r.inclusion().verify(ledger.find(r.id()).orElseThrow(), r.head()));
            assertTrue(r.anchor().startsWith(server.uri().toString()), r.anchor());
        }
        assertEquals(aliceBob.id().hash(), receipts.get(4).id());

        LedgerEntry found = client.find(aliceBob.id().hash()).orElseThrow();
        assertEquals(ObjectKind.ATTESTATION, found.kind());
        assertArrayEquals(aliceBob.encoded(), found.der());
        assertTrue(client.find(GrantBuilder.grant("http/never", NS, BOB.id()).sign().id().hash()).isEmpty());
        assertEquals(ALICE.entity(), client.entity(ALICE.id()).orElseThrow());
        assertTrue(client.entity(new io.wave.crypto.EntityId(nsAlice.id().hash())).isEmpty(), "a grant is not an entity");
        assertEquals(Set.of(nsAlice.id()), ids(client.grantsTo(ALICE.id())));
        assertEquals(Set.of(aliceBob.id()), ids(client.grantsFrom(ALICE.id())));
        assertTrue(client.grantsTo(NS.id()).isEmpty());
        assertEquals(List.of(bobsName.id()), client.resolve("bob.acme").stream().map(NameDeclaration::id).toList());
        assertEquals(BOB.id(), client.resolve("bob.acme").get(0).body().subject());
        assertTrue(client.resolve("Not a name").isEmpty());

        List<LedgerEntry> page = client.entries(2, 3);
        assertEquals(List.of(2L, 3L, 4L), page.stream().map(LedgerEntry::index).toList());
        assertArrayEquals(ledger.entries(2, 3).get(2).leafData(), page.get(2).leafData());
        assertTrue(client.entries(6, 10).isEmpty());
        assertEquals(6, client.size());

        // Proofs on demand verify against heads the client checked itself.
        SignedTreeHead head = client.head();
        assertEquals(ledger.head(), head);
        assertTrue(client.inclusion(3, 6).verify(page.get(1), head));
        SignedTreeHead earlier = receipts.get(0).head();
        client.publish(ObjectKind.ATTESTATION, GrantBuilder.grant("http/ns-bob", NS, BOB.id()).sign().encoded());
        assertTrue(client.consistency(earlier.size(), 7).verify(earlier, client.head()));
        assertEquals(client.head(), client.lastVerifiedHead().orElseThrow());
    }

    @Test
    void publish_refusedByTheServer_keepsTheServersCode_andIsNotQueued() {
        HttpLedger client = client("machine-a");
        byte[] forged = NS.entity().encoded();
        forged[forged.length - 1] ^= 1;

        assertCode(ErrorCode.BAD_SIGNATURE, () -> client.publish(ObjectKind.ENTITY, forged));
        assertCode(ErrorCode.NOT_FOUND, () -> client.publish(ObjectKind.ATTESTATION, NS_ALICE.sign().encoded()));
        // Garbage never leaves the client.
        assertCode(ErrorCode.MALFORMED, () -> client.publish(ObjectKind.ENTITY, new byte[] {1, 2, 3}));
        assertEquals(0, client.queued());
        assertEquals(0, ledger.size());
    }

    @Test
    void secondMachine_seesTheSameLedgerAndTheSameHeads() {
        HttpLedger a = client("machine-a");
        HttpLedger b = client("machine-b");
        a.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()), attestation(NS_ALICE.sign())));

        assertEquals(a.head(), b.head());
        assertEquals(a.treeHeadKey(), b.treeHeadKey());
        assertEquals(leaves(a.entries(0, 100)), leaves(b.entries(0, 100)));

        // B keeps following as A publishes: each new head is checked against the one B kept.
        Receipt r = a.publish(ObjectKind.ENTITY, BOB.entity().encoded());
        assertEquals(r.head(), b.head());
        assertEquals(BOB.entity(), b.entity(BOB.id()).orElseThrow());
        assertEquals(a.lastVerifiedHead(), b.lastVerifiedHead());
        assertFalse(a.stateDirectory().equals(b.stateDirectory()));

        // What B kept survives B: a new client on B's directory starts from that head.
        b.close();
        HttpLedger bAgain = client("machine-b");
        assertEquals(r.head(), bAgain.lastVerifiedHead().orElseThrow());
        assertEquals(r.head(), bAgain.head());
    }

    @Test
    void proofs_builtThroughOneMachine_verifyThroughAnother_untilRevokedThroughTheFirst() {
        Attestation nsAlice = NS_ALICE.sign();
        Attestation aliceBob = ALICE_BOB.sign();
        Request request = new Request(List.of(Policy.parse("device:actuate@" + NS.id() + "/" + HVAC)), BOB.id(), null);
        HttpLedger a = client("machine-a");
        HttpLedger b = client("machine-b");
        a.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()), entity(BOB.entity()), attestation(nsAlice),
                attestation(aliceBob)));

        ProofBuilder.Result built = ProofBuilder.create(a.attestationSource(), CLOCK, a.revocationView())
                .build(BOB.id(), request.required());
        ProofBuilder.Found found = assertInstanceOf(ProofBuilder.Found.class, built, built::toString);
        assertEquals(List.of(nsAlice.id(), aliceBob.id()), found.paths().get(0).stream().map(Grant::id).toList());
        ProofVerifier verifier = ProofVerifier.create(CLOCK, b.revocationView());
        Verdict before = verifier.verify(found.proof().encoded(), request);
        assertTrue(before.valid(), before.reason() + ": " + before.detail());

        a.publish(ObjectKind.REVOCATION, revocation(ALICE.attestationRevocationSecret(ALICE_BOB.nonce())).der());

        assertEquals(RevocationView.Status.REVOKED, b.revocationStatus(aliceBob.body().revocation()));
        assertEquals(RevocationView.Status.NOT_REVOKED, b.revocationStatus(nsAlice.body().revocation()));
        Verdict after = verifier.verify(found.proof().encoded(), request);
        assertEquals(ReasonCode.REVOKED, after.reason(), after.detail());
        assertInstanceOf(ProofBuilder.NotFound.class, ProofBuilder.create(b.attestationSource(), CLOCK,
                b.revocationView()).build(BOB.id(), request.required()), "no proof through a revoked grant");
    }

    @Test
    void publish_rateLimited_isQueued_andDeliveredOnceTheServersBudgetRefills() {
        ManualClock serverClock = new ManualClock();
        stopServer();
        startServer(0, c -> {
            c.publishBurst = 1;
            c.publishesPerSecond = 1;
            c.clock = serverClock;
        });
        HttpLedger client = client("machine-a");
        client.publish(ObjectKind.ENTITY, NS.entity().encoded());

        WaveException limited = assertCode(ErrorCode.RATE_LIMITED,
                () -> client.publish(ObjectKind.ENTITY, ALICE.entity().encoded()));

        assertTrue(limited.getMessage().contains("queued"), limited.getMessage());
        assertEquals(1, client.queued(), "a server that says 'later' gets it later, as one that is away does");
        assertTrue(ledger.find(ALICE.id().hash()).isEmpty());
        assertEquals(1, client.size(), "reads are not limited");
        serverClock.advance(Duration.ofSeconds(1));
        Await.until("the rate-limited publish is delivered", PATIENCE, () -> client.queued() == 0);
        assertEquals(ALICE.entity(), client.entity(ALICE.id()).orElseThrow());
    }

    @Test
    void revocation_sentRightAfterAFloodFromTheSameAddress_isTaken() {
        stopServer();
        startServer(0, c -> {
            c.publishBurst = 2;
            c.publishesPerSecond = 0.001;
            c.revocationBurst = 2;
            c.revocationsPerSecond = 0.001;
        });
        HttpLedger client = client("machine-a");
        Attestation aliceBob = ALICE_BOB.sign();
        client.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()), entity(BOB.entity()),
                attestation(NS_ALICE.sign()), attestation(aliceBob)));
        byte[] revokeNsAlice = revocation(NS.attestationRevocationSecret(NS_ALICE.nonce())).der();
        client.publish(ObjectKind.REVOCATION, revokeNsAlice);

        // Anyone on this machine, from the client's own address: garbage, then publishes and repeated revocations
        // until the server refuses them for rate.
        URI server = this.server.uri();
        for (int i = 0; i < 130; i++) {
            RawHttp.assertRefused(RawHttp.exchange(server, RawHttp.post("/v1/objects", "{\"objects\":[" + i + "]}")),
                    "garbage " + i);
        }
        String replay = "{\"objects\":[{\"kind\":\"entity\",\"der\":\"" + Base64.getEncoder().encodeToString(
                NS.entity().encoded()) + "\"}]}";
        String revokeAgain = "{\"objects\":[{\"kind\":\"revocation\",\"der\":\""
                + Base64.getEncoder().encodeToString(revokeNsAlice) + "\"}]}";
        for (String flood : List.of(replay, revokeAgain)) {
            int sent = 0;
            while (RawHttp.exchange(server, RawHttp.post("/v1/objects", flood)).status() != 429) {
                assertTrue(++sent < 10, "a bucket of 2 is spent within 10 requests");
            }
        }

        client.publish(ObjectKind.REVOCATION, revocation(ALICE.attestationRevocationSecret(ALICE_BOB.nonce())).der());

        assertEquals(RevocationView.Status.REVOKED, client.revocationStatus(aliceBob.body().revocation()));
        assertEquals(0, client.queued());
    }

    @Test
    void serverStopped_readsAreUnavailable_publishesQueueThenArriveInOrderAfterRestart() {
        HttpLedger client = client("machine-a");
        client.publish(ObjectKind.ENTITY, NS.entity().encoded());
        int port = server.port();
        stopServer();

        assertCode(ErrorCode.UNAVAILABLE, client::head);
        assertCode(ErrorCode.UNAVAILABLE, () -> client.find(NS.id().hash()));
        assertCode(ErrorCode.UNAVAILABLE, () -> client.grantsTo(ALICE.id()));
        assertEquals(RevocationView.Status.UNKNOWN, client.revocationView().status(NS.entity().revocation()),
                "a verifier asking an unreachable ledger fails closed");
        // Alice's grant to Bob needs Alice's entity first: queued in that order, they must arrive in that order.
        WaveException queued = assertCode(ErrorCode.UNAVAILABLE,
                () -> client.publish(ObjectKind.ENTITY, ALICE.entity().encoded()));
        assertTrue(queued.getMessage().contains("queued"), queued.getMessage());
        assertCode(ErrorCode.UNAVAILABLE, () -> client.publish(ObjectKind.ATTESTATION, ALICE_BOB.sign().encoded()));
        assertEquals(2, client.queued());

        startServer(port, c -> {});
        Await.until("the queued publishes are delivered", PATIENCE, () -> client.queued() == 0);

        HttpLedger other = client("machine-b");
        LedgerEntry aliceEntry = other.find(ALICE.id().hash()).orElseThrow();
        LedgerEntry grant = other.find(ALICE_BOB.sign().id().hash()).orElseThrow();
        assertTrue(aliceEntry.index() < grant.index());
        assertEquals(Set.of(ALICE_BOB.sign().id()), ids(other.grantsFrom(ALICE.id())));
        assertEquals(3, client.size());
    }

    @Test
    void outbox_outlivesTheClient_andFlushSendsIt_settingAsideWhatTheServerRefuses() {
        Consumer<HttpLedger.Config> noBackgroundRetry = c -> c.retryFirst = c.retryMax = Duration.ofHours(1);
        HttpLedger client = client("machine-a", noBackgroundRetry);
        int port = server.port();
        stopServer();
        assertCode(ErrorCode.UNAVAILABLE, () -> client.publish(ObjectKind.ENTITY, NS.entity().encoded()));
        // Bob's grant to Alice cannot be taken: Bob's entity is never published.
        assertCode(ErrorCode.UNAVAILABLE, () -> client.publish(ObjectKind.ATTESTATION,
                GrantBuilder.grant("http/bob-alice", BOB, ALICE.id()).sign().encoded()));
        assertCode(ErrorCode.UNAVAILABLE, () -> client.publish(ObjectKind.ATTESTATION, NS_ALICE.sign().encoded()));
        WaveException stillQueued = assertCode(ErrorCode.UNAVAILABLE, client::flush);
        assertTrue(stillQueued.getMessage().contains("3 publishes still queued"), stillQueued.getMessage());
        client.close();

        startServer(port, c -> {});
        HttpLedger again = client("machine-a", noBackgroundRetry);
        assertEquals(3, again.queued());

        assertEquals(2, again.flush());

        assertEquals(0, again.queued());
        assertEquals(Set.of(NS_ALICE.sign().id()), ids(again.grantsFrom(NS.id())));
        Path refused = again.stateDirectory().resolve("outbox").resolve("refused");
        try (Stream<Path> files = Files.list(refused)) {
            List<String> reasons = files.filter(p -> p.toString().endsWith(".reason.txt")).map(this::read).toList();
            assertEquals(1, reasons.size());
            assertTrue(reasons.get(0).startsWith("NOT_FOUND"), reasons.get(0));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ledgersOpen_httpUri_isAVerifyingClientKeptUnderHome() {
        Path home = dir.resolve("home");
        try (Ledger l = Ledgers.open("http://127.0.0.1:" + server.port(), home, CLOCK)) {
            HttpLedger client = assertInstanceOf(HttpLedger.class, l);
            client.publish(ObjectKind.ENTITY, NS.entity().encoded());
            assertEquals(NS.entity(), client.entity(NS.id()).orElseThrow());
            assertEquals(home.resolve("ledgers").resolve("127.0.0.1_" + server.port()), client.stateDirectory());
            assertTrue(Files.isRegularFile(client.stateDirectory().resolve("tree-head.pub")));
        }
        assertCode(ErrorCode.BAD_ARGUMENT, () -> Ledgers.open("http://127.0.0.1:1/some/path", home, CLOCK));
        assertCode(ErrorCode.BAD_ARGUMENT, () -> Ledgers.open("http://bad host", home, CLOCK));
    }

    // ------------------------------------------------------------------ helpers

    private void startServer(int port, Consumer<LedgerServer.Config> config) {
        ledger = EmbeddedLedger.open(dir.resolve("server-data"), CLOCK);
        server = LedgerServer.create(ledger, c -> {
            c.port = port;
            config.accept(c);
        }).start();
    }

    private void stopServer() {
        if (server != null) {
            server.stop();
            server = null;
        }
        if (ledger != null) {
            ledger.close();
            ledger = null;
        }
    }

    private HttpLedger client(String machine) {
        return client(machine, c -> {});
    }

    /** A client on its own state directory, as on its own machine; quick to give up and to retry. */
    private HttpLedger client(String machine, Consumer<HttpLedger.Config> config) {
        HttpLedger c = HttpLedger.open(server.uri(), dir.resolve(machine), cfg -> {
            cfg.connectTimeout = Duration.ofSeconds(2);
            cfg.requestTimeout = Duration.ofSeconds(10);
            cfg.retryFirst = Duration.ofMillis(50);
            cfg.retryMax = Duration.ofMillis(500);
            config.accept(cfg);
        });
        open.add(c);
        return c;
    }

    private static NameDeclaration declare(EntitySecret attester, EntitySecret subject, String name) {
        return NameDeclaration.sign(new NameDeclaration.Body(attester.id(), subject.id(), name, GrantBuilder.AROUND_NOW,
                attester.nameRevocationSecret(name, subject.id()).commitment()), attester);
    }

    private static Set<AttestationId> ids(List<Grant> grants) {
        return grants.stream().map(Grant::id).collect(Collectors.toSet());
    }

    private static List<String> leaves(List<LedgerEntry> entries) {
        return entries.stream().map(e -> java.util.HexFormat.of().formatHex(e.leafData())).toList();
    }

    private String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A clock the test moves: the server's rate limits refill only when told. */
    private static final class ManualClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.ofEpochSecond(GrantBuilder.NOW);

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static WaveException assertCode(ErrorCode code, org.junit.jupiter.api.function.Executable e) {
        WaveException w = assertThrows(WaveException.class, e);
        assertEquals(code, w.code(), w.getMessage());
        return w;
    }
}
