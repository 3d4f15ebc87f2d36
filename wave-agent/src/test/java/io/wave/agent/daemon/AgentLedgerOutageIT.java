package io.wave.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wave.agent.client.AgentClient;
import io.wave.agent.daemon.internal.VerdictCache;
import io.wave.agent.issue.Issuing;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.testing.TestEntities;
import io.wave.device.testing.Await;
import io.wave.device.testing.MutableClock;
import io.wave.ledger.Ledger;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.http.HttpLedger;
import io.wave.ledger.server.LedgerServer;
import io.wave.policy.testing.GrantBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's verdict cache when the agent cannot read its ledger, as it was found failing open: an agent following
 * a real ledger server through a TCP proxy that is cut (or a ledger server that simply stops), a grant revoked on the
 * ledger meanwhile. Cached answers may stand for as long as a device's revocation view would (the staleness bound),
 * and not a moment longer: past it the agent gives exactly the answer an uncached request gets.
 *
 * <p>The agent runs on a clock the test moves, so "past the bound" is a step of that clock taken once the agent has
 * been seen failing to read the ledger, not a sleep.
 */
class AgentLedgerOutageIT {
    private static final EntitySecret NS = TestEntities.create("agent-outage/namespace");
    private static final EntitySecret DEVICE = TestEntities.create("agent-outage/device");
    private static final Attestation GRANT = GrantBuilder.grant("agent-outage/ns-device", NS, DEVICE.id())
            .resource("building1/*").sign();
    private static final String POLICY = "device:read@" + NS.id() + "/building1/lamp";
    private static final Instant NOW = Instant.ofEpochSecond(GrantBuilder.NOW);

    @TempDir
    Path dir;

    private EmbeddedLedger serverLedger;
    private LedgerServer server;
    private HttpLedger publisher;
    private final MutableClock clock = new MutableClock(NOW);

    @BeforeEach
    void startLedgerServer() {
        serverLedger = EmbeddedLedger.open(dir.resolve("server-ledger"), Clock.fixed(NOW, ZoneOffset.UTC));
        server = LedgerServer.create(serverLedger, c -> c.port = 0).start();
        // Someone else on the shared ledger: the namespace's owner, who grants and later revokes.
        publisher = client(server.port(), "publisher");
        publisher.publishAll(List.of(new Ledger.Publication(ObjectKind.ENTITY, NS.entity().encoded()),
                new Ledger.Publication(ObjectKind.ENTITY, DEVICE.entity().encoded()),
                new Ledger.Publication(ObjectKind.ATTESTATION, GRANT.encoded())));
    }

    @AfterEach
    void stopLedgerServer() {
        publisher.close();
        server.stop();
        serverLedger.close();
    }

    @Test
    void cachedValid_endsWithTheStalenessBound_whenTheProxyToTheLedgerIsCut_andARevocationLandsMeanwhile()
            throws Exception {
        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", server.port());
             HttpLedger viaProxy = client(proxy.port(), "agent-ledger");
             Agent agent = Agent.start(TestAgent.config(dir, viaProxy, "p").andThen(c -> c.clock = clock))) {
            AgentClient api = AgentClient.of(agent.uri(), null);
            String proof = api.prove(DEVICE.id().toString(), List.of(POLICY)).path("der").asText();
            assertEquals("VALID", api.verify(proof, List.of(POLICY), null).path("reason").asText());
            assertEquals("VALID", api.verify(proof, List.of(POLICY), null).path("reason").asText());
            assertEquals(1, TestAgent.cacheHits(agent), "the second answer came from the cache");

            proxy.cut();
            Await.until("the agent to fail reading its ledger through the cut proxy", TestAgent.PATIENCE,
                    () -> agent.followError() != null);
            assertEquals("VALID", api.verify(proof, List.of(POLICY), null).path("reason").asText(),
                    "within the bound a cached answer stands, as a device's view of the ledger does");
            publisher.publish(ObjectKind.REVOCATION, Issuing.revokeAttestation(NS, GRANT).encode());

            clock.advance(VerdictCache.LEDGER_STALENESS.plusSeconds(1));
            assertFailsClosedAsUncached(api, proof);

            proxy.restore();
            Await.until("the agent to read its ledger again", TestAgent.PATIENCE,
                    () -> agent.followError() == null);
            JsonNode revoked = api.verify(proof, List.of(POLICY), null);
            assertEquals("REVOKED", revoked.path("reason").asText());
            assertTrue(revoked.path("detail").asText().contains("has been revoked"), revoked.toString());
        }
    }

    @Test
    void cachedValid_endsWithTheStalenessBound_whenTheLedgerServerStops() throws Exception {
        try (HttpLedger direct = client(server.port(), "agent-ledger");
             Agent agent = Agent.start(TestAgent.config(dir, direct, "p").andThen(c -> c.clock = clock))) {
            AgentClient api = AgentClient.of(agent.uri(), null);
            String proof = api.prove(DEVICE.id().toString(), List.of(POLICY)).path("der").asText();
            assertEquals("VALID", api.verify(proof, List.of(POLICY), null).path("reason").asText());

            server.stop();
            Await.until("the agent to fail reading its stopped ledger server", TestAgent.PATIENCE,
                    () -> agent.followError() != null);
            // Revoked on the ledger behind the stopped server: what the agent will read when it is back.
            serverLedger.publish(ObjectKind.REVOCATION, Issuing.revokeAttestation(NS, GRANT).encode());
            clock.advance(VerdictCache.LEDGER_STALENESS.plusSeconds(1));
            assertFailsClosedAsUncached(api, proof);
        }
    }

    /**
     * The cached request (no subject) now answers as the same proof asked about with the subject named, a request
     * the cache has never seen: not valid, and word for word the same answer.
     */
    private static void assertFailsClosedAsUncached(AgentClient api, String proof) {
        JsonNode cachedRequest = api.verify(proof, List.of(POLICY), null);
        JsonNode uncachedRequest = api.verify(proof, List.of(POLICY), DEVICE.id().toString());
        assertFalse(cachedRequest.path("valid").asBoolean(), cachedRequest.toString());
        assertNotEquals("VALID", cachedRequest.path("reason").asText(), cachedRequest.toString());
        assertEquals(uncachedRequest, cachedRequest, "the whole answer, reason and detail alike");
    }

    private HttpLedger client(int port, String machine) {
        return HttpLedger.open(URI.create("http://127.0.0.1:" + port), dir.resolve(machine), c -> {
            c.connectTimeout = Duration.ofSeconds(2);
            c.requestTimeout = Duration.ofSeconds(5);
        });
    }
}
