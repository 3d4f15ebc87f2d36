package io.wave.agent.ml;

import static io.wave.policy.testing.GrantBuilder.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Pem;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Revocation;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.testing.RawHttp;
import io.wave.policy.DecisionRecord;
import io.wave.policy.GrantCache;
import io.wave.policy.InferenceGate;
import io.wave.policy.ModelRef;
import io.wave.policy.ProofVerifier;
import io.wave.policy.ReasonCode;
import io.wave.policy.testing.GrantBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The occupancy model served over HTTP, as a building's operator runs it: callers with {@code ml:infer} on
 * the model get answers, everyone else a 403 with the reason, and a refusal never runs the model. Revocation
 * comes from a real embedded ledger; every request leaves a line in the audit log.
 */
class InferenceServerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final EntitySecret NS = TestEntities.create("serve/namespace");
    private static final EntitySecret CALLER = TestEntities.create("serve/caller");
    private static final EntitySecret MODEL = TestEntities.create("serve/model");
    private static final ModelRef OCCUPANCY = new ModelRef(NS.id(), "occupancy");
    /** A row of an occupied room at 10:30, in the model's input order (co2, hour, motion). */
    private static final List<Double> OCCUPIED_ROW = List.of(900.0, 10.5, 4.0);

    private static byte[] trained;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private EmbeddedLedger ledger;
    private JsonlAuditLog audit;
    private CountingModel model;
    private InferenceService service;
    private InferenceServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void train() throws Exception {
        Path csv = shared.resolve("building.csv");
        Files.writeString(csv, SyntheticBuilding.csv(42, 2000));
        trained = ModelTrainer.train(csv, SyntheticBuilding.LABEL).onnx();
    }

    @BeforeEach
    void serve() {
        ledger = EmbeddedLedger.open(dir.resolve("ledger"), CLOCK);
        for (EntitySecret e : List.of(NS, CALLER, MODEL)) {
            ledger.publish(ObjectKind.ENTITY, e.entity().encoded());
        }
        audit = JsonlAuditLog.open(dir.resolve("audit.jsonl"), true);
        model = new CountingModel(OnnxModel.load(trained));
        ProofVerifier verifier = ProofVerifier.create(CLOCK, ledger.revocationView())
                .withCache(new GrantCache(GrantCache.DEFAULT_CAPACITY));
        service = new InferenceService(OCCUPANCY, MODEL.id(), model, new InferenceGate(verifier), audit, CLOCK);
        server = InferenceServer.create(service, c -> { }).start();
    }

    @AfterEach
    void stop() {
        server.close();
        audit.close();
        ledger.close();
    }

    @Test
    void infer_answersACallerWhoseProofGrantsInferOnTheModel() throws Exception {
        UnverifiedProof proof = proof(published(infer("serve/infer", "models/occupancy")));

        HttpResponse<String> r = post(body(CALLER.id().toString(), pem(proof), OCCUPIED_ROW));

        assertEquals(200, r.statusCode(), r.body());
        JsonNode a = JSON.readTree(r.body());
        assertEquals(SyntheticBuilding.OCCUPIED, a.get("output").asText());
        assertTrue(a.get("confidence").asDouble() > 0.8, r.body());
        assertEquals(proof.id().toString(), a.get("proof").asText());
        assertEquals(MODEL.id().toString(), a.get("model").asText());
        assertEquals(1, model.runs());
        DecisionRecord rec = only(DecisionRecord.Kind.INFERENCE);
        assertEquals(ReasonCode.VALID, rec.reason());
        assertEquals(CALLER.id(), rec.subject());
        assertEquals(proof.id(), rec.proof());
        assertEquals(SyntheticBuilding.OCCUPIED, rec.output());
        assertEquals(a.get("input").asText(), rec.input().toString());
    }

    @Test
    void infer_takesFeaturesByNameAndProofsAsBase64Der() throws Exception {
        UnverifiedProof proof = proof(published(infer("serve/infer", "models/*")));
        Map<String, Object> byName = new LinkedHashMap<>();
        byName.put("motion", 0.0);
        byName.put("hour", 3.0);
        byName.put("co2", 420.0);

        HttpResponse<String> r = post(body(CALLER.id().toString(), Base64.getEncoder().encodeToString(proof.encoded()), byName));

        assertEquals(200, r.statusCode(), r.body());
        assertEquals(SyntheticBuilding.VACANT, JSON.readTree(r.body()).get("output").asText());
    }

    @Test
    void infer_takesAProofFileAsWaveProveWritesIt() throws Exception {
        UnverifiedProof proof = proof(published(infer("serve/infer", "models/occupancy")));
        String file = "# WAVE proof " + proof.id() + "\n" + pem(proof);

        HttpResponse<String> r = post(body(CALLER.id().toString(), file, OCCUPIED_ROW));

        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void infer_refusesARequestWithoutProof() throws Exception {
        Map<String, Object> noProof = new LinkedHashMap<>();
        noProof.put("caller", CALLER.id().toString());
        noProof.put("features", OCCUPIED_ROW);

        HttpResponse<String> r = post(JSON.writeValueAsString(noProof));

        assertEquals(400, r.statusCode(), r.body());
        assertEquals("BAD_ARGUMENT", JSON.readTree(r.body()).get("code").asText());
        assertEquals(0, model.runs());
    }

    @Test
    void infer_refusesAProofForAnotherModel() throws Exception {
        UnverifiedProof anomaly = proof(published(infer("serve/infer-anomaly", "models/anomaly")));

        assertRefused(ReasonCode.RESOURCE_NOT_COVERED, post(body(CALLER.id().toString(), pem(anomaly), OCCUPIED_ROW)));
        assertEquals(0, model.runs());
        assertEquals(ReasonCode.RESOURCE_NOT_COVERED, only(DecisionRecord.Kind.INFERENCE).reason());
        assertEquals(null, only(DecisionRecord.Kind.INFERENCE).output());
    }

    @Test
    void infer_refusesAProofHeldBySomeoneElse() throws Exception {
        UnverifiedProof callers = proof(published(infer("serve/infer", "models/occupancy")));

        assertRefused(ReasonCode.WRONG_SUBJECT, post(body(MODEL.id().toString(), pem(callers), OCCUPIED_ROW)));
        assertEquals(0, model.runs());
    }

    @Test
    void infer_refusesAnExpiredProof() throws Exception {
        Attestation expired = infer("serve/infer-expired", "models/occupancy").validity(NOW - 7200, NOW - 3600).sign();

        assertRefused(ReasonCode.EXPIRED, post(body(CALLER.id().toString(), pem(proof(expired)), OCCUPIED_ROW)));
        assertEquals(0, model.runs());
    }

    @Test
    void infer_refusesAProofRevokedOnTheLedger() throws Exception {
        GrantBuilder grant = infer("serve/infer-revoked", "models/occupancy");
        String body = body(CALLER.id().toString(), pem(proof(published(grant))), OCCUPIED_ROW);
        assertEquals(200, post(body).statusCode());

        ledger.publish(ObjectKind.REVOCATION, new Revocation(NS.attestationRevocationSecret(grant.nonce())).encode());

        assertRefused(ReasonCode.REVOKED, post(body));
        assertEquals(1, model.runs(), "only the request before the revocation ran the model");
    }

    @Test
    void infer_refusesBytesThatAreNoProof() throws Exception {
        assertRefused(ReasonCode.MALFORMED, post(body(CALLER.id().toString(), "AAEC", OCCUPIED_ROW)));
        assertRefused(ReasonCode.MALFORMED, post(body(CALLER.id().toString(), "not base64 at all!", OCCUPIED_ROW)));
        assertEquals(0, model.runs());
    }

    @Test
    void infer_refusesRowsThatDoNotFitTheModel() throws Exception {
        String proof = pem(proof(published(infer("serve/infer", "models/occupancy"))));

        HttpResponse<String> short1 = post(body(CALLER.id().toString(), proof, List.of(1.0, 2.0)));
        HttpResponse<String> named = post(body(CALLER.id().toString(), proof, Map.of("co2", 1.0, "hour", 2.0, "noise", 3.0)));
        HttpResponse<String> text = post(body(CALLER.id().toString(), proof, List.of("a", "b", "c")));

        for (HttpResponse<String> r : List.of(short1, named, text)) {
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("BAD_ARGUMENT", JSON.readTree(r.body()).get("code").asText());
        }
        assertEquals(0, model.runs());
    }

    @Test
    void infer_boundsTheBodyAndRefusesUnknownFields() throws Exception {
        HttpResponse<String> big = post("{\"caller\":\"" + "x".repeat(InferenceServer.MAX_BODY_BYTES) + "\"}");
        HttpResponse<String> extra = post("{\"caller\":\"a\",\"proof\":\"b\",\"features\":[1],\"admin\":true}");
        HttpResponse<String> notJson = post("{caller");

        assertEquals(413, big.statusCode(), big.body());
        assertEquals("TOO_LARGE", JSON.readTree(big.body()).get("code").asText());
        assertEquals(400, extra.statusCode(), extra.body());
        assertEquals(400, notJson.statusCode(), notJson.body());
        assertEquals("MALFORMED", JSON.readTree(notJson.body()).get("code").asText());
    }

    @Test
    void infer_jsonThatIsNotTheRequestObject_orFieldsNullMissingOrMistyped_is400WithTheErrorBody() throws Exception {
        String caller = "\"" + CALLER.id() + "\"";
        List<String> badFields = List.of("{\"caller\":null,\"proof\":\"AAAA\",\"features\":[1,2,3]}",
                "{\"caller\":" + caller + ",\"proof\":null,\"features\":[1,2,3]}",
                "{\"caller\":" + caller + ",\"proof\":\"AAAA\",\"features\":null}",
                "{\"caller\":" + caller + ",\"proof\":\"AAAA\"}", "{\"caller\":1,\"proof\":\"AAAA\",\"features\":[1]}",
                "{\"caller\":" + caller + ",\"proof\":[],\"features\":[1,2,3]}",
                "{\"caller\":" + caller + ",\"proof\":\"AAAA\",\"features\":\"1,2,3\"}",
                "{\"caller\":" + caller + ",\"proof\":\"AAAA\",\"features\":[null,null,null]}",
                "{\"caller\":" + caller + ",\"proof\":\"AAAA\",\"features\":[[1],{},\"x\"]}",
                "{\"caller\":" + caller + ",\"proof\":\"AAAA\",\"features\":{\"co2\":null}}",
                "{\"caller\":" + caller + ",\"proof\":\"AAAA\",\"features\":[1e999,1,1]}");
        for (String body : RawHttp.NOT_AN_OBJECT) {
            RawHttp.assertRefused(raw(RawHttp.post("/v1/infer", body)), body);
        }
        for (String body : badFields) {
            RawHttp.assertRefused(raw(RawHttp.post("/v1/infer", body)), body);
        }
        RawHttp.assertErrorBody(raw(RawHttp.post("/v1/infer", "null")), 400, ErrorCode.BAD_ARGUMENT);
        RawHttp.assertErrorBody(raw(RawHttp.post("/v1/infer", RawHttp.NOT_UTF8)), 400, ErrorCode.MALFORMED);
        assertEquals(0, model.runs());
    }

    @Test
    void infer_bodyThatStopsArriving_is408RequestTimeout_withTheErrorBody() throws Exception {
        // A server of its own, with a short idle timeout so that the test is quick; it waits on the answer regardless.
        try (InferenceServer quick = InferenceServer.create(service, c -> c.idleTimeoutMillis = 300).start()) {
            byte[] body = body(CALLER.id().toString(), "AAAA", OCCUPIED_ROW).getBytes(StandardCharsets.UTF_8);

            RawHttp.Answer a = RawHttp.exchange(quick.uri(), RawHttp.stalledPost("/v1/infer", body,
                    "Content-Type: application/json"));

            RawHttp.assertErrorBody(a, 408, ErrorCode.REQUEST_TIMEOUT);
        }
        assertEquals(0, model.runs());
    }

    @Test
    void requestsThatAreNotHttpARouteCanTake_andHostilePaths_getTheErrorBody() {
        for (var m : RawHttp.MALFORMED_REQUESTS.entrySet()) {
            RawHttp.assertRefused(RawHttp.exchange(server.uri(), m.getValue()), m.getKey());
        }
        for (String segment : RawHttp.HOSTILE_SEGMENTS) {
            RawHttp.assertRefused(raw(RawHttp.get("/v1/model/" + segment)), segment);
            RawHttp.assertRefused(raw(RawHttp.post("/v1/" + segment, "{}")), segment);
        }
        RawHttp.assertErrorBody(raw(RawHttp.get("/v1/%00")), 400, ErrorCode.MALFORMED);
    }

    @Test
    void model_saysWhatTheModelTakesAndWhatACallerNeeds() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/model")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, r.statusCode());
        JsonNode m = JSON.readTree(r.body());
        assertEquals("ml:infer@" + NS.id() + "/models/occupancy", m.get("requires").asText());
        assertEquals(3, m.get("features").asInt());
        assertEquals("co2", m.get("feature_names").get(0).asText());
    }

    // ------------------------------------------------------------------ helpers

    private static GrantBuilder infer(String label, String resource) {
        return GrantBuilder.grant(label, NS, CALLER.id()).permissions("ml", "infer").resource(resource);
    }

    private Attestation published(GrantBuilder b) {
        Attestation a = b.sign();
        ledger.publish(ObjectKind.ATTESTATION, a.encoded());
        return a;
    }

    private static UnverifiedProof proof(Attestation a) {
        return UnverifiedProof.assemble(List.of(NS.entity(), CALLER.entity()), List.of(a), List.of(List.of(0)));
    }

    private static String pem(UnverifiedProof p) {
        return Pem.encode(Pem.PROOF, p.encoded());
    }

    private static String body(String caller, String proof, Object features) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("caller", caller);
        m.put("proof", proof);
        m.put("features", features);
        return JSON.writeValueAsString(m);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/infer")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private RawHttp.Answer raw(byte[] request) {
        return RawHttp.exchange(server.uri(), request);
    }

    private static void assertRefused(ReasonCode expected, HttpResponse<String> r) throws Exception {
        assertEquals(403, r.statusCode(), r.body());
        assertEquals(expected.name(), JSON.readTree(r.body()).get("code").asText(), r.body());
    }

    private DecisionRecord only(DecisionRecord.Kind kind) {
        List<DecisionRecord> all = JsonlAuditLog.read(audit.file(), 100);
        assertEquals(1, all.size(), all.toString());
        assertEquals(kind, all.get(0).kind());
        return all.get(0);
    }
}
