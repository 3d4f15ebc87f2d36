package io.wave.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.wave.agent.client.AgentApi;
import io.wave.agent.client.AgentClient;
import io.wave.device.testing.Await;
import io.wave.device.testing.MutableClock;
import io.wave.ledger.embedded.EmbeddedLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached valid answer for a grant limited to a daily time window ends when the window closes, not when the grant
 * does: on the stroke of the window's end the same request is refused as an uncached one is. The agent runs on a
 * clock the test sets, so nothing depends on the real time of day.
 */
class AgentTimeWindowCacheTest {
    private static final Instant NOON = Instant.parse("2026-01-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void cachedValid_endsWhenTheDailyWindowCloses() throws Exception {
        MutableClock clock = new MutableClock(NOON);
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), clock);
             Agent agent = Agent.start(TestAgent.config(dir, ledger, "p").andThen(c -> c.clock = clock))) {
            AgentClient admin = AgentClient.of(agent.uri(), Files.readString(agent.tokenFile()).strip());
            String ns = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String dev = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String policy = "device:read@" + ns + "/building1/lamp";
            admin.grant(new AgentApi.GrantRequest(ns, dev, List.of("device:read@" + ns + "/building1/*"), 0, "30d",
                    List.of("time in 08:00-18:00")));
            String proof = admin.prove(dev, List.of(policy)).path("der").asText();

            assertEquals("VALID", admin.verify(proof, List.of(policy), null).path("reason").asText());
            at(clock, agent, Instant.parse("2026-01-01T17:59:59Z"));
            long hits = TestAgent.cacheHits(agent);
            assertEquals("VALID", admin.verify(proof, List.of(policy), null).path("reason").asText());
            assertEquals(hits + 1, TestAgent.cacheHits(agent), "inside the window the cached answer is served");

            at(clock, agent, Instant.parse("2026-01-01T18:00:00Z"));
            JsonNode cachedRequest = admin.verify(proof, List.of(policy), null);
            JsonNode uncachedRequest = admin.verify(proof, List.of(policy), dev);
            assertEquals("CAVEAT_VIOLATED", cachedRequest.path("reason").asText(), cachedRequest.toString());
            assertEquals(uncachedRequest, cachedRequest, "as a request the cache has never seen");

            at(clock, agent, Instant.parse("2026-01-02T08:00:00Z"));
            assertEquals("VALID", admin.verify(proof, List.of(policy), null).path("reason").asText(), "open again");
        }
    }

    /**
     * Sets the clock, then waits until the agent has read its ledger since: its cached answers are served only
     * while that read is recent, and this test is about the window, not about the ledger's freshness.
     */
    private static void at(MutableClock clock, Agent agent, Instant t) {
        clock.set(t);
        Await.until("the agent to read its ledger at " + t, TestAgent.PATIENCE, () -> {
            Instant read = agent.ledgerReadAt();
            return read != null && !read.isBefore(t);
        });
    }
}
