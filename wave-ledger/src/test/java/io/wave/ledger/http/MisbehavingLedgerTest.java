package io.wave.ledger.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.http.internal.Wire;
import io.wave.ledger.testing.LedgerFixtures;
import io.wave.policy.Policy;
import io.wave.policy.ProofBuilder;
import io.wave.policy.RevocationView;
import io.wave.policy.testing.GrantBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a ledger server that lies: a head signed by another key, a rewritten history, a false
 * inclusion proof, a grant with a bad signature, answers that are not even JSON. Each is caught with the
 * right code, and nothing the liar said is kept or returned.
 */
class MisbehavingLedgerTest {
    private static final EntitySecret NS = TestEntities.create("lying/namespace");
    private static final EntitySecret ALICE = TestEntities.create("lying/alice");
    private static final EntitySecret BOB = TestEntities.create("lying/bob");

    @TempDir
    Path dir;

    private FakeLedger fake;
    private final List<HttpLedger> clients = new ArrayList<>();

    @BeforeEach
    void startFake() {
        fake = new FakeLedger("the-ledger");
    }

    @AfterEach
    void stop() {
        clients.forEach(HttpLedger::close);
        fake.close();
    }

    @Test
    void headSignedByAnotherKey_isTampered_andThePinnedKeyAndKeptHeadStand() {
        fake.append(ObjectKind.ENTITY, NS.entity().encoded());
        HttpLedger client = client("machine");
        SignedTreeHead first = client.head();
        VerifyingKey pinned = client.treeHeadKey();
        assertEquals(fake.key(), pinned);

        fake.signWith("an-impostor");
        fake.append(ObjectKind.ENTITY, ALICE.entity().encoded());

        WaveException e = assertCode(ErrorCode.TAMPERED, client::head);
        assertTrue(e.getMessage().contains("not signed by the ledger's key"), e.getMessage());
        assertEquals(first, client.lastVerifiedHead().orElseThrow(), "the impostor's head is not kept");
        assertEquals(pinned, client.treeHeadKey(), "the impostor's key (now served at /v1/key) is not pinned");
        assertCode(ErrorCode.TAMPERED, () -> client.find(ALICE.id().hash()));
        // The pin is on disk: the next run on this machine refuses the impostor as well.
        client.close();
        assertCode(ErrorCode.TAMPERED, client("machine")::head);
        // A client told the true key out of band refuses the impostor from its first answer.
        HttpLedger told = client("told", c -> c.ledgerKey = pinned);
        assertCode(ErrorCode.TAMPERED, told::head);
        assertTrue(told.lastVerifiedHead().isEmpty());
    }

    @Test
    void forkedHistory_isTampered_inThisRunAndTheNext() {
        fake.append(ObjectKind.ENTITY, NS.entity().encoded());
        fake.append(ObjectKind.ENTITY, ALICE.entity().encoded());
        HttpLedger client = client("machine");
        SignedTreeHead kept = client.head();

        // Same key, longer log, but a different past: no consistency proof can join the two.
        rewrite(ALICE, NS, BOB);
        WaveException longer = assertCode(ErrorCode.TAMPERED, client::head);
        assertTrue(longer.getMessage().contains("rewritten or forked"), longer.getMessage());
        // Same size, other root.
        rewrite(ALICE, NS);
        assertCode(ErrorCode.TAMPERED, client::head);
        // Shorter, and not a prefix.
        rewrite(BOB);
        assertCode(ErrorCode.TAMPERED, client::head);
        assertEquals(kept, client.lastVerifiedHead().orElseThrow());

        // The kept head is on disk: tomorrow's run is not fooled either.
        client.close();
        HttpLedger tomorrow = client("machine");
        rewrite(ALICE, NS, BOB);
        assertCode(ErrorCode.TAMPERED, tomorrow::head);
        // The true history, extended, is accepted and kept.
        rewrite(NS, ALICE, BOB);
        assertEquals(3, tomorrow.head().size());
        assertEquals(3, tomorrow.lastVerifiedHead().orElseThrow().size());
    }

    @Test
    void falseInclusionProof_inAReceiptOrAnAnswer_isTampered() {
        fake.append(ObjectKind.ENTITY, NS.entity().encoded());
        HttpLedger client = client("machine");
        // The server claims it wrote Alice at 0 under its head, but the head holds only the namespace.
        fake.on("/v1/objects", uri -> new Wire.PublishAnswer(fake.wireHead(),
                List.of(new Wire.Written(ALICE.id().toString(), "entity", 0, List.of()))));

        WaveException e = assertCode(ErrorCode.TAMPERED, () -> client.publish(ObjectKind.ENTITY, ALICE.entity().encoded()));
        assertTrue(e.getMessage().contains("inclusion proof does not hold"), e.getMessage());
        assertEquals(0, client.queued(), "a lie is not a reason to send again");

        // Asked for the namespace, the server serves it at Alice's position, with Alice's proof.
        fake.append(ObjectKind.ENTITY, ALICE.entity().encoded());
        fake.on("/v1/objects/", uri -> {
            Wire.Entry alice = fake.entry(1);
            Wire.Entry ns = fake.entry(0);
            return new Wire.EntryAnswer(fake.wireHead(),
                    new Wire.Entry(1, "entity", ns.id(), ns.der(), alice.inclusion()));
        });
        assertCode(ErrorCode.TAMPERED, () -> client.find(NS.id().hash()));
        assertCode(ErrorCode.TAMPERED, () -> client.entity(NS.id()));
        // Or with a proof of the right length made of nothing.
        fake.on("/v1/objects/", uri -> new Wire.EntryAnswer(fake.wireHead(), new Wire.Entry(0, "entity",
                NS.id().toString(), Wire.base64(NS.entity().encoded()), List.of(Wire.base64(new byte[32])))));
        assertCode(ErrorCode.TAMPERED, () -> client.find(NS.id().hash()));
    }

    @Test
    void attestationWithABadSignature_isTampered_andNeverReachesTheProofBuilder() {
        Attestation grant = GrantBuilder.grant("lying/ns-alice", NS, ALICE.id()).sign();
        byte[] forged = grant.encoded();
        forged[forged.length - 1] ^= 1;
        fake.append(ObjectKind.ENTITY, NS.entity().encoded());
        fake.append(ObjectKind.ATTESTATION, forged);
        fake.append(ObjectKind.ENTITY, ALICE.entity().encoded());
        fake.on("/v1/grants/to/", uri -> new Wire.Listing(fake.wireHead(), List.of(fake.entry(1)), List.of(fake.entry(0))));
        HttpLedger client = client("machine");

        WaveException e = assertCode(ErrorCode.TAMPERED, () -> client.grantsTo(ALICE.id()));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
        assertCode(ErrorCode.TAMPERED, () -> ProofBuilder.create(client.attestationSource(), LedgerFixtures.CLOCK,
                RevocationView.NONE).build(ALICE.id(), List.of(Policy.parse("device:read@" + NS.id() + "/x"))));

        // A genuine grant, listed for someone it does not name, is caught too.
        fake.clear();
        fake.append(ObjectKind.ENTITY, NS.entity().encoded());
        fake.append(ObjectKind.ATTESTATION, grant.encoded());
        HttpLedger other = client("other-machine");
        assertEquals(1, other.grantsTo(ALICE.id()).size(), "the honest listing holds");
        assertCode(ErrorCode.TAMPERED, () -> other.grantsTo(BOB.id()));
        // And a grant served without its signer, whom the server then claims not to have (a client that has
        // verified the signer before would use what it verified).
        fake.on("/v1/grants/to/", uri -> new Wire.Listing(fake.wireHead(), List.of(fake.entry(1)), List.of()));
        fake.on("/v1/objects/", uri -> notFound());
        HttpLedger third = client("third-machine");
        WaveException orphan = assertCode(ErrorCode.TAMPERED, () -> third.grantsTo(ALICE.id()));
        assertTrue(orphan.getMessage().contains("not on the ledger"), orphan.getMessage());
    }

    @Test
    void garbage_isTamperedOrUnavailable_neverTrusted() {
        fake.append(ObjectKind.ENTITY, NS.entity().encoded());
        HttpLedger client = client("machine");

        answerHead(FakeLedger.Reply.text(200, "<html>a web page</html>"));
        assertCode(ErrorCode.TAMPERED, client::head);
        answerHead(json("{\"size\":1}"));
        assertCode(ErrorCode.TAMPERED, client::head);
        answerHead(json("{\"size\":1,\"timestamp\":0,\"root\":\"!!\",\"signature\":\"\"}"));
        assertCode(ErrorCode.TAMPERED, client::head);
        answerHead(json("{\"size\":\"1\",\"timestamp\":0,\"root\":\"\",\"signature\":\"\"}"));
        assertCode(ErrorCode.TAMPERED, client::head);
        answerHead(FakeLedger.Reply.text(418, "I'm a teapot"));
        assertCode(ErrorCode.TAMPERED, client::head);
        answerHead(new FakeLedger.Reply(200, Wire.JSON, new byte[Wire.MAX_ANSWER_BYTES + 1]));
        assertCode(ErrorCode.TAMPERED, client::head);
        // What a proxy says when the server behind it is down, or busy: not lies, just not now.
        answerHead(FakeLedger.Reply.text(502, "<html>Bad Gateway</html>"));
        assertCode(ErrorCode.UNAVAILABLE, client::head);
        answerHead(FakeLedger.Reply.text(429, ""));
        assertCode(ErrorCode.RATE_LIMITED, client::head);
        assertTrue(client.lastVerifiedHead().isEmpty(), "no head was trusted");

        // Garbage DER, properly logged and proven, is still garbage.
        fake.on("/v1/head", uri -> fake.wireHead());
        fake.append(ObjectKind.ENTITY, new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});
        fake.on("/v1/objects/", uri -> new Wire.EntryAnswer(fake.wireHead(), fake.entry(1)));
        assertCode(ErrorCode.TAMPERED, () -> client.find(NS.id().hash()));

        // A revocation status that is neither: the verifier treats it as unknown, so fails closed.
        fake.on("/v1/revocations/", uri -> new Wire.RevocationAnswer(uri.substring("/v1/revocations/".length()), "MAYBE"));
        assertCode(ErrorCode.TAMPERED, () -> client.revocationStatus(NS.entity().revocation()));
        assertEquals(RevocationView.Status.UNKNOWN, client.revocationView().status(NS.entity().revocation()));
    }

    @Test
    void pageHidingAnEntry_orAnObjectOtherThanAsked_isTampered() {
        fake.append(ObjectKind.ENTITY, NS.entity().encoded());
        fake.append(ObjectKind.ENTITY, ALICE.entity().encoded());
        fake.append(ObjectKind.ENTITY, BOB.entity().encoded());
        HttpLedger client = client("machine");
        assertEquals(3, client.entries(0, 10).size(), "the honest page");

        fake.on("/v1/entries", uri -> new Wire.EntriesAnswer(fake.wireHead(), List.of(fake.entry(0), fake.entry(2))));
        assertCode(ErrorCode.TAMPERED, () -> client.entries(0, 10));
        fake.on("/v1/entries", uri -> new Wire.EntriesAnswer(fake.wireHead(),
                List.of(fake.entry(0), fake.entry(2), fake.entry(1))));
        assertCode(ErrorCode.TAMPERED, () -> client.entries(0, 10));

        fake.on("/v1/objects/", uri -> new Wire.EntryAnswer(fake.wireHead(), fake.entry(1)));
        WaveException e = assertCode(ErrorCode.TAMPERED, () -> client.find(NS.id().hash()));
        assertTrue(e.getMessage().contains("asked for"), e.getMessage());
    }

    @Test
    void silentServer_isUnavailable_afterTheTimeout() {
        HttpLedger client = client("machine", c -> c.requestTimeout = Duration.ofMillis(300));
        fake.on("/v1/head", uri -> fake.hang());

        long start = System.nanoTime();
        assertCode(ErrorCode.UNAVAILABLE, client::head);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    }

    // ------------------------------------------------------------------ helpers

    /** The fake's log becomes exactly these entities, in this order, under the same key. */
    private void rewrite(EntitySecret... entities) {
        fake.clear();
        for (EntitySecret e : entities) {
            fake.append(ObjectKind.ENTITY, e.entity().encoded());
        }
    }

    private void answerHead(FakeLedger.Reply reply) {
        fake.on("/v1/head", uri -> reply);
    }

    private static FakeLedger.Reply json(String text) {
        return new FakeLedger.Reply(200, Wire.JSON, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static FakeLedger.Reply notFound() {
        return new FakeLedger.Reply(404, Wire.JSON, "{\"code\":\"NOT_FOUND\",\"message\":\"no such object\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private HttpLedger client(String machine) {
        return client(machine, c -> {});
    }

    private HttpLedger client(String machine, Consumer<HttpLedger.Config> config) {
        HttpLedger c = HttpLedger.open(fake.uri(), dir.resolve(machine), cfg -> {
            cfg.connectTimeout = Duration.ofSeconds(2);
            cfg.requestTimeout = Duration.ofSeconds(5);
            cfg.retryFirst = cfg.retryMax = Duration.ofHours(1);
            config.accept(cfg);
        });
        clients.add(c);
        return c;
    }

    private static WaveException assertCode(ErrorCode code, org.junit.jupiter.api.function.Executable e) {
        WaveException w = assertThrows(WaveException.class, e);
        assertEquals(code, w.code(), w.getMessage());
        return w;
    }
}
