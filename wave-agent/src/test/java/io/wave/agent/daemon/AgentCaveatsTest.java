package io.wave.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.agent.client.AgentApi;
import io.wave.agent.client.AgentClient;
import io.wave.ledger.embedded.EmbeddedLedger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/verify} with the request's parameters: caveats hold or refuse, and a cached answer is per parameters. */
class AgentCaveatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void verify_checksCaveatsAgainstTheRequestsParams_andCachesPerParams() throws Exception {
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC());
             Agent agent = Agent.start(TestAgent.config(dir, ledger, "p"))) {
            AgentClient admin = AgentClient.of(agent.uri(), Files.readString(agent.tokenFile()).strip());
            String ns = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String dev = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String policy = "device:actuate@" + ns + "/b1/floor2/hvac/setpoint";
            admin.grant(new AgentApi.GrantRequest(ns, dev, List.of("device:actuate@" + ns + "/b1/floor2/+/setpoint"), 0, "1d",
                    List.of("setpoint in [18,26]")));
            String proof = admin.prove(dev, List.of(policy)).path("der").asText();
            HttpClient http = HttpClient.newHttpClient();
            for (int round = 0; round < 2; round++) {
                assertEquals("VALID", reason(http, agent, new AgentApi.VerifyRequest(proof, List.of(policy), dev,
                        java.util.Map.of("setpoint", 21.5), null)));
                assertEquals("CAVEAT_VIOLATED", reason(http, agent, new AgentApi.VerifyRequest(proof, List.of(policy), dev,
                        java.util.Map.of("setpoint", 30.0), null)), "a cached valid answer is per parameters");
            }
            HttpResponse<String> bad = post(http, agent, "{\"proof\":\"AAAA\",\"policies\":[\"" + policy
                    + "\"],\"params\":{\"setpoint\":\"warm\"}}");
            assertEquals(400, bad.statusCode(), bad.body());
        }
    }

    private static String reason(HttpClient http, Agent agent, AgentApi.VerifyRequest req) throws Exception {
        HttpResponse<String> r = post(http, agent, JSON.writeValueAsString(req));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode v = JSON.readTree(r.body());
        return v.path("reason").asText();
    }

    private static HttpResponse<String> post(HttpClient http, Agent agent, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(agent.uri().resolve("/v1/verify"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
