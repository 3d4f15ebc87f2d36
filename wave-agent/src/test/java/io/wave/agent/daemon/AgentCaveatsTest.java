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
                        java.util.Map.of("setpoint", new java.math.BigDecimal("21.5")), null)));
                assertEquals("CAVEAT_VIOLATED", reason(http, agent, new AgentApi.VerifyRequest(proof, List.of(policy), dev,
                        java.util.Map.of("setpoint", new java.math.BigDecimal("30")), null)), "a cached valid answer is per parameters");
            }
            HttpResponse<String> bad = post(http, agent, "{\"proof\":\"AAAA\",\"policies\":[\"" + policy
                    + "\"],\"params\":{\"setpoint\":\"warm\"}}");
            assertEquals(400, bad.statusCode(), bad.body());
        }
    }

    @Test
    void verify_withoutParams_refusesAProofWithAParameterCaveat() throws Exception {
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC());
             Agent agent = Agent.start(TestAgent.config(dir, ledger, "p"))) {
            AgentClient admin = AgentClient.of(agent.uri(), Files.readString(agent.tokenFile()).strip());
            String ns = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String dev = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String policy = "device:actuate@" + ns + "/b1/floor2/hvac/setpoint";
            admin.grant(new AgentApi.GrantRequest(ns, dev, List.of(policy), 0, "1d", List.of("setpoint in [18,26]")));
            String proof = admin.prove(dev, List.of(policy)).path("der").asText();
            HttpClient http = HttpClient.newHttpClient();
            String body = "{\"proof\":\"" + proof + "\",\"policies\":[\"" + policy + "\"]}";
            for (int round = 0; round < 2; round++) {
                HttpResponse<String> r = post(http, agent, body);
                assertEquals(200, r.statusCode(), r.body());
                JsonNode v = JSON.readTree(r.body());
                assertEquals(false, v.path("valid").asBoolean(true), r.body());
                assertEquals("CAVEAT_UNCHECKED", v.path("reason").asText(), r.body());
                assertEquals(false, v.path("conditional").asBoolean(true), r.body());
            }
            String asked = "{\"proof\":\"" + proof + "\",\"policies\":[\"" + policy + "\"],\"conditional\":true}";
            for (int round = 0; round < 2; round++) {
                JsonNode v = JSON.readTree(post(http, agent, asked).body());
                assertEquals(true, v.path("valid").asBoolean(false), v.toString());
                assertEquals(true, v.path("conditional").asBoolean(false), v.toString());
                assertEquals("setpoint in [18,26]", v.path("conditions").path(0).asText(), v.toString());
            }
            // A cached conditional answer is not served to a request that did not ask for one.
            assertEquals("CAVEAT_UNCHECKED", JSON.readTree(post(http, agent, body).body()).path("reason").asText());
            String withParams = "{\"proof\":\"" + proof + "\",\"policies\":[\"" + policy
                    + "\"],\"conditional\":true,\"params\":{\"setpoint\":21.5}}";
            JsonNode full = JSON.readTree(post(http, agent, withParams).body());
            assertEquals("VALID", full.path("reason").asText(), full.toString());
            assertEquals(false, full.path("conditional").asBoolean(true), "with params every caveat was checked");
        }
    }

    @Test
    void verify_comparesParamsExactlyAboveTwoToThe33_andRefusesMorePrecision() throws Exception {
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC());
             Agent agent = Agent.start(TestAgent.config(dir, ledger, "p"))) {
            AgentClient admin = AgentClient.of(agent.uri(), Files.readString(agent.tokenFile()).strip());
            String ns = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String dev = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String policy = "device:actuate@" + ns + "/b1/floor2/hvac/setpoint";
            admin.grant(new AgentApi.GrantRequest(ns, dev, List.of(policy), 0, "1d",
                    List.of("x in [10000000000.000001, 10000000000.000003]")));
            String proof = admin.prove(dev, List.of(policy)).path("der").asText();
            HttpClient http = HttpClient.newHttpClient();
            String head = "{\"proof\":\"" + proof + "\",\"policies\":[\"" + policy + "\"],\"params\":{\"x\":";
            for (String outside : List.of("10000000000", "10000000000.000004", "1.0000000000000004E10")) {
                HttpResponse<String> r = post(http, agent, head + outside + "}}");
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("CAVEAT_VIOLATED", JSON.readTree(r.body()).path("reason").asText(), outside + ": " + r.body());
            }
            HttpResponse<String> inside = post(http, agent, head + "10000000000.000002}}");
            assertEquals("VALID", JSON.readTree(inside.body()).path("reason").asText(), inside.body());
            for (String tooPrecise : List.of("10000000000.0000025", "1e400", "0.0000001")) {
                HttpResponse<String> r = post(http, agent, head + tooPrecise + "}}");
                assertEquals(400, r.statusCode(), tooPrecise + ": " + r.body());
                assertEquals("BAD_ARGUMENT", JSON.readTree(r.body()).path("code").asText(), r.body());
            }
        }
    }

    @Test
    void prove_answersNoProofNow_whenOnlyADailyWindowThatExcludesNowWouldServe() throws Exception {
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC());
             Agent agent = Agent.start(TestAgent.config(dir, ledger, "p"))) {
            AgentClient admin = AgentClient.of(agent.uri(), Files.readString(agent.tokenFile()).strip());
            String ns = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String dev = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String policy = "device:actuate@" + ns + "/b1/floor2/hvac/setpoint";
            // A one-hour window that opens three hours from now: closed now, whatever the time of day.
            int opens = (java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour() + 3) % 24;
            String window = String.format("time in %02d:00-%02d:00", opens, (opens + 1) % 24);
            admin.grant(new AgentApi.GrantRequest(ns, dev, List.of(policy), 0, "1d", List.of(window)));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(agent.uri().resolve("/v1/prove"))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(new AgentApi.ProveRequest(dev,
                            List.of(policy))))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), r.body());
            JsonNode e = JSON.readTree(r.body());
            assertEquals("NO_PROOF", e.path("code").asText(), r.body());
            assertEquals(true, e.path("message").asText().contains("excludes now"), r.body());
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
