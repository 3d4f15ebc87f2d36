package io.wave.agent.daemon;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.agent.client.AgentApi;
import io.wave.agent.daemon.internal.AgentCore;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.server.JsonHttp;
import io.wave.ledger.testing.ClientBodies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of the agent's JSON bodies. The first byte picks the route ('0' verify,
 * '1' prove, '2' entities, '3' entities/import, '4' grants, '5' revocations, '6' names, '7' objects), the rest
 * is the body. It goes through what the route's handler does ({@link JsonHttp#parse} with the agent's mapper,
 * then the {@link AgentCore} call) on a real agent over a real embedded ledger, and whatever fails must map to
 * a 4xx and the one error body, never a 5xx. Creating and importing entities is parsed only: each success
 * would run Argon2 and grow the keystore. In-process rather than over HTTP, so that a million bodies take
 * minutes, not hours; the HTTP wrapping is covered by the agent's IT tests. See docs/fuzzing.md.
 */
class AgentBodyFuzzTest {
    private static final ObjectMapper JSON = AgentApi.mapper(true);
    private static Path dir;
    private static EmbeddedLedger ledger;
    private static Agent agent;

    @FuzzTest
    void agentBody(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        try {
            AgentCore core = core();
            switch ((input[0] & 0xff) % 8) {
                case 0 -> core.verify(JsonHttp.parse(body, JSON, AgentApi.VerifyRequest.class));
                case 1 -> core.prove(JsonHttp.parse(body, JSON, AgentApi.ProveRequest.class));
                case 2 -> JsonHttp.parse(body, JSON, AgentApi.EntityRequest.class);
                case 3 -> JsonHttp.parse(body, JSON, AgentApi.ImportRequest.class);
                case 4 -> core.grant(JsonHttp.parse(body, JSON, AgentApi.GrantRequest.class));
                case 5 -> core.revoke(JsonHttp.parse(body, JSON, AgentApi.RevokeRequest.class));
                case 6 -> core.name(JsonHttp.parse(body, JSON, AgentApi.NameRequest.class));
                default -> core.publish(JsonHttp.parse(body, JSON, AgentApi.PublishRequest.class));
            }
        } catch (Exception e) {
            ClientBodies.assertRefusedAsClientError(e);
        }
    }

    /** One agent for the whole run: fuzz inputs come in by the million. */
    private static synchronized AgentCore core() {
        if (agent == null) {
            try {
                dir = Files.createTempDirectory("wave-fuzz-agent");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC());
            agent = Agent.start(TestAgent.config(dir, ledger, "fuzz"));
        }
        return agent.core();
    }

    @AfterAll
    static synchronized void close() throws IOException {
        if (agent != null) {
            agent.close();
            ledger.close();
            agent = null;
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
