package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.agent.ml.ModelTrainer;
import io.wave.agent.ml.SyntheticBuilding;
import io.wave.crypto.Pem;
import io.wave.crypto.Validity;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.policy.testing.GrantBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wave infer serve} as a real process, started as a user would after {@code wave model train}: its
 * own JVM loads ONNX Runtime's native library (from a long class path), a caller with {@code ml:infer}
 * gets an answer, one without gets a 403, both are in the audit log, and SIGTERM stops it.
 */
class InferServeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ServerProcess server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void servesGatedInferenceAndAuditsIt() throws Exception {
        Path csv = dir.resolve("building.csv");
        Files.writeString(csv, SyntheticBuilding.csv(5, 1500));
        Files.write(dir.resolve("occupancy.onnx"), ModelTrainer.train(csv, SyntheticBuilding.LABEL).onnx());
        EntitySecret ns = TestEntities.create("InferServeIT/ns");
        EntitySecret caller = TestEntities.create("InferServeIT/caller");
        EntitySecret model = TestEntities.create("InferServeIT/model");
        Validity now = Validity.startingAt(Instant.now().minusSeconds(3600), 86_400);
        Attestation grant = GrantBuilder.grant("InferServeIT/infer", ns, caller.id()).permissions("ml", "infer")
                .resource("models/occupancy").validity(now).sign();
        try (EmbeddedLedger l = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC())) {
            for (EntitySecret e : List.of(ns, caller, model)) {
                l.publish(ObjectKind.ENTITY, e.entity().encoded());
            }
            l.publish(ObjectKind.ATTESTATION, grant.encoded());
        }
        String proof = Pem.encode(Pem.PROOF, UnverifiedProof.assemble(List.of(ns.entity(), caller.entity()), List.of(grant),
                List.of(List.of(0))).encoded());

        server = ServerProcess.start(dir, "infer", "serve", "--model", dir.resolve("occupancy.onnx").toString(), "--as", model.id().toString(), "--resource",
                ns.id() + "/models/occupancy", "--ledger", "embedded:" + dir.resolve("ledger"), "--audit",
                dir.resolve("audit.jsonl").toString(), "--http", "127.0.0.1:0");
        URI url = server.url;
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> ok = post(http, url, Map.of("caller", caller.id().toString(), "proof", proof,
                "features", Map.of("co2", 950, "hour", 11, "motion", 5)));
        HttpResponse<String> stranger = post(http, url, Map.of("caller", model.id().toString(), "proof", proof,
                "features", List.of(950, 11, 5)));

        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(SyntheticBuilding.OCCUPIED, JSON.readTree(ok.body()).get("output").asText());
        assertEquals(403, stranger.statusCode(), stranger.body());
        assertEquals("WRONG_SUBJECT", JSON.readTree(stranger.body()).get("code").asText());

        assertTrue(server.terminate(), "the server stops on SIGTERM");
        CliHarness.Run audit = new CliHarness("InferServeIT", dir.resolve("home")).run("infer", "audit", "--log",
                dir.resolve("audit.jsonl").toString());
        assertEquals(0, audit.code(), audit.err());
        List<String> lines = audit.out().strip().lines().toList();
        assertEquals(2, lines.size(), audit.out());
        assertTrue(lines.get(0).contains("VALID") && lines.get(1).contains("WRONG_SUBJECT"), audit.out());
    }

    private static HttpResponse<String> post(HttpClient http, URI url, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(url.resolve("/v1/infer")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
