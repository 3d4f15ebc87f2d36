package io.wave.agent.cli;

import static io.wave.agent.cli.AgentProcess.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wave agent} as a real process on a free port, driven over HTTP as a service would (and through the
 * CLI's {@code --agent}): verification of valid, denied, expired and revoked proofs; the API token on every
 * mutating route; one error body for every bad request; a revocation made through the CLI seen by
 * {@code /v1/verify} at once; and a SIGKILL in the middle of grants that loses none it acknowledged.
 */
class AgentIT {
    /** Every mutating route, with a body it would accept. */
    private static final List<String> MUTATING = List.of("/v1/entities", "/v1/grants", "/v1/revocations", "/v1/names",
            "/v1/objects", "/v1/entities/import");
    /** Routes that change nothing but need the token all the same (an audit reads the whole ledger). */
    private static final List<String> GUARDED_READS = List.of("/v1/ledger/audit");

    /** Safety net for what the agent does eventually (a grant runs out, a revocation is read): only a hang reaches it. */
    private static final long PATIENCE_SECONDS = 120;
    /**
     * The life of the grant that runs out: long enough that granting, proving and one verify fit on a loaded
     * machine, short enough that the test does not drag. The agent runs on the system clock, so it is real time.
     */
    private static final String SHORT_GRANT = "10s";

    @TempDir
    Path dir;

    private static AgentProcess.Answer ok(AgentProcess.Answer a, int status) {
        assertEquals(status, a.status(), () -> "body: " + a.text());
        return a;
    }

    private static String entity(AgentProcess agent, String expiry) throws Exception {
        return ok(agent.post("/v1/entities", "{\"expiry\":" + quote(expiry) + "}"), 201).body().path("id").asText();
    }

    private static List<String> grant(AgentProcess agent, String attester, String subject, String expiry, String... policies)
            throws Exception {
        StringBuilder p = new StringBuilder();
        for (String s : policies) {
            p.append(p.length() == 0 ? "" : ",").append(quote(s));
        }
        JsonNode made = ok(agent.post("/v1/grants", "{\"attester\":" + quote(attester) + ",\"subject\":" + quote(subject)
                + ",\"expiry\":" + quote(expiry) + ",\"policies\":[" + p + "]}"), 201).body();
        List<String> ids = new ArrayList<>();
        made.path("attestations").forEach(a -> ids.add(a.path("id").asText()));
        return ids;
    }

    private static String prove(AgentProcess agent, String subject, String policy) throws Exception {
        return ok(agent.post("/v1/prove", "{\"subject\":" + quote(subject) + ",\"policies\":[" + quote(policy) + "]}", null), 200)
                .body().path("der").asText();
    }

    private static JsonNode verify(AgentProcess agent, String der, String policy) throws Exception {
        return ok(agent.post("/v1/verify", "{\"proof\":" + quote(der) + ",\"policies\":[" + quote(policy) + "]}", null), 200)
                .body();
    }

    @Test
    void verify_answersValidDeniedExpiredAndRevoked_andSigtermStopsCleanly() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir)) {
            String ns = entity(agent, "365d");
            String dev = entity(agent, "30d");
            String read = "device:read@" + ns + "/building1/lamp";
            String actuate = "device:actuate@" + ns + "/building1/lamp";
            String readGrant = grant(agent, ns, dev, "30d", "device:read@" + ns + "/building1/*").get(0);

            String readProof = prove(agent, dev, read);
            JsonNode valid = verify(agent, readProof, read);
            assertTrue(valid.path("valid").asBoolean(), valid.toString());
            assertEquals("VALID", valid.path("reason").asText());
            assertEquals(dev, valid.path("subject").asText());
            assertFalse(valid.path("expires").isNull());
            assertEquals(valid, verify(agent, readProof, read), "a cached answer is the same answer");

            JsonNode denied = verify(agent, readProof, actuate);
            assertEquals("PERMISSION_NOT_GRANTED", denied.path("reason").asText(), denied.toString());
            assertFalse(denied.path("valid").asBoolean());

            // Granted just before it is used, so that its short life is not spent on the steps above.
            grant(agent, ns, dev, SHORT_GRANT, actuate);
            String actuateProof = prove(agent, dev, actuate);
            assertEquals("VALID", verify(agent, actuateProof, actuate).path("reason").asText());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
            String reason;
            do {
                reason = verify(agent, actuateProof, actuate).path("reason").asText();
            } while (!reason.equals("EXPIRED") && System.nanoTime() < deadline);
            assertEquals("EXPIRED", reason, "a cached valid answer is not served past its expiry");

            ok(agent.post("/v1/revocations", "{\"attestation\":" + quote(readGrant) + "}"), 201);
            JsonNode revoked = verify(agent, readProof, read);
            assertEquals("REVOKED", revoked.path("reason").asText(), "the cached answer is dropped at once: " + revoked);
            assertTrue(ok(agent.get("/v1/attestations/" + readGrant), 200).body().path("revoked").asBoolean());
            AgentProcess.Answer none = agent.post("/v1/prove", "{\"subject\":" + quote(dev) + ",\"policies\":[" + quote(read)
                    + "]}", null);
            assertEquals(404, none.status());
            assertEquals("NO_PROOF", none.body().path("code").asText());

            String metrics = ok(agent.get("/metrics"), 200).text();
            assertTrue(metrics.contains("wave_agent_verifications_total{result=\"REVOKED\"} 1"), metrics);
            assertTrue(metrics.contains("wave_agent_cache_hits_total "), metrics);
            assertTrue(metrics.contains("wave_agent_ledger_lag_entries "), metrics);

            assertTrue(agent.stop(), "SIGTERM stops the agent");
        }
        // Stopped cleanly: the same home and ledger open again, with the keys and the index as they were.
        try (AgentProcess again = AgentProcess.start(dir)) {
            JsonNode graph = ok(again.get("/v1/graph"), 200).body();
            assertEquals(2, graph.path("grants").size(), graph.toString());
            assertEquals(2, graph.path("entities").size(), graph.toString());
        }
    }

    @Test
    void everyMutatingRoute_needsTheToken_andBadRequestsGetOneErrorBody() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir)) {
            String ns = entity(agent, "365d");
            String nsDer = ok(agent.get("/v1/entities/" + ns), 200).body().path("der").asText();
            String[] bodies = {"{}", "{\"attester\":" + quote(ns) + ",\"subject\":" + quote(ns) + ",\"policies\":[\"device:read@"
                    + ns + "/x\"]}", "{\"entity\":" + quote(ns) + "}", "{\"attester\":" + quote(ns) + ",\"subject\":"
                    + quote(ns) + ",\"name\":\"ns.example\"}", "{\"objects\":[{\"kind\":\"entity\",\"der\":" + quote(nsDer) + "}]}",
                    "{\"secret\":" + quote(importable()) + "}"};
            assertEquals(MUTATING.size(), bodies.length, "a body for every mutating route");
            long ledgerSize = ok(agent.get("/v1/ledger/status"), 200).body().path("size").asLong();
            String[] wrong = {null, "Bearer wrong-token", "Basic " + agent.token, "Bearer "};
            JsonNode openApi = ok(agent.get("/v1/openapi.json"), 200).body();
            for (int i = 0; i < MUTATING.size(); i++) {
                for (String auth : wrong) {
                    AgentProcess.Answer a = agent.post(MUTATING.get(i), bodies[i], auth);
                    assertEquals(401, a.status(), MUTATING.get(i) + " with " + auth + ": " + a.text());
                    assertEquals("UNAUTHORIZED", a.body().path("code").asText());
                }
                assertEquals("[{\"token\":[]}]", openApi.path("paths").path(MUTATING.get(i)).path("post").path("security")
                        .toString(), MUTATING.get(i) + " is described as needing the token");
            }
            for (String route : GUARDED_READS) {
                for (String auth : wrong) {
                    AgentProcess.Answer a = agent.get(route, auth);
                    assertEquals(401, a.status(), route + " with " + auth + ": " + a.text());
                    assertEquals("UNAUTHORIZED", a.body().path("code").asText());
                }
                assertEquals("[{\"token\":[]}]", openApi.path("paths").path(route).path("get").path("security").toString(),
                        route + " is described as needing the token");
                ok(agent.get(route, "Bearer " + agent.token), 200);
            }
            JsonNode graph = ok(agent.get("/v1/graph"), 200).body();
            assertEquals(1, graph.path("entities").size(), "nothing was created: " + graph);
            assertEquals(ledgerSize, ok(agent.get("/v1/ledger/status"), 200).body().path("size").asLong(), "nothing was published");
            assertEquals(0, graph.path("grants").size());
            assertFalse(ok(agent.get("/v1/entities/" + ns), 200).body().path("revoked").asBoolean(), "nothing was revoked");

            assertError(agent.post("/v1/verify", "{not json", null), 400, "MALFORMED");
            assertError(agent.post("/v1/verify", "{\"proof\":\"AAAA\",\"policies\":[\"device:read@" + ns + "/x\"],\"extra\":1}",
                    null), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/verify", "{\"proof\":\"AAAA\",\"policies\":[\"device:read@" + ns + "/x\"]}", null),
                    400, "MALFORMED");
            assertError(agent.post("/v1/verify", "{\"proof\":\"%%%\",\"policies\":[\"device:read@" + ns + "/x\"]}", null),
                    400, "MALFORMED");
            assertError(agent.post("/v1/verify", "{\"proof\":\"AAAA\",\"policies\":[]}", null), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/verify", "{\"proof\":\"AAAA\",\"policies\":\"x\"}", null), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/verify", "[]", null), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/verify", "", null), 400, "MALFORMED");
            assertError(agent.post("/v1/verify", "{\"proof\":\"" + "A".repeat(200 * 1024) + "\"}", null), 413, "TOO_LARGE");
            assertError(agent.post("/v1/grants", "{\"attester\":" + quote(ns) + ",\"subject\":" + quote(ns)
                    + ",\"policies\":[\"device:read@" + ns + "/x\"],\"indirections\":\"two\"}"), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/grants", "{\"attester\":\"AAAA\",\"subject\":" + quote(ns)
                    + ",\"policies\":[\"device:read@" + ns + "/x\"]}"), 400, "MALFORMED");
            assertError(agent.post("/v1/objects", "{\"objects\":[]}"), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/objects", "{\"objects\":[null]}"), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/objects", "{\"objects\":\"x\"}"), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/objects", "{\"objects\":[{\"kind\":\"thing\",\"der\":\"AAAA\"}]}"), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/objects", "{\"objects\":[{\"kind\":\"entity\"}]}"), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/objects", "{\"objects\":[{\"kind\":\"entity\",\"der\":\"%%%\"}]}"), 400, "MALFORMED");
            assertError(agent.post("/v1/objects", "{\"objects\":[{\"kind\":\"attestation\",\"der\":\"AAAA\"}]}"), 400,
                    "MALFORMED");
            assertError(agent.post("/v1/objects", "{\"objects\":[" + "{\"kind\":\"entity\",\"der\":\"AAAA\"},".repeat(1000)
                    + "{\"kind\":\"entity\",\"der\":\"AAAA\"}]}"), 413, "TOO_LARGE");
            assertError(agent.post("/v1/objects", "{\"objects\":[{\"kind\":\"entity\",\"der\":\"" + "A".repeat(1100 * 1024)
                    + "\"}]}"), 413, "TOO_LARGE");
            assertError(agent.post("/v1/objects", "{\"objects\":[{\"kind\":\"entity\",\"der\":" + quote(nsDer) + "}"), 400,
                    "MALFORMED");
            assertError(agent.post("/v1/entities/import", "{}"), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/entities/import", "{\"secret\":\"%%%\"}"), 400, "BAD_ARGUMENT");
            assertError(agent.post("/v1/entities/import", "{\"secret\":\"AAAA\"}"), 400, "MALFORMED");
            assertError(agent.post("/v1/entities/import", "{\"secret\":" + quote(nsDer) + "}"), 400, "MALFORMED");
            assertError(agent.get("/v1/entities/not-an-id"), 400, "MALFORMED");
            assertError(agent.get("/v1/attestations/" + ns), 404, "NOT_FOUND");
            assertError(agent.get("/v1/resolve/NOT..A..NAME"), 400, "BAD_ARGUMENT");
            assertError(agent.get("/v1/graph?format=svg"), 400, "BAD_ARGUMENT");
            assertError(agent.get("/v1/nothing-here"), 404, "NOT_FOUND");
            assertEquals("3.0.3", ok(agent.get("/v1/openapi.json"), 200).body().path("openapi").asText());
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir.resolve("agent").resolve("api-token"));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
    }

    /** An entity secret made here, as {@code POST /v1/entities/import} takes it. */
    private static String importable() {
        io.wave.crypto.objects.EntitySecret s = io.wave.crypto.objects.EntitySecret.create(new java.security.SecureRandom(),
                io.wave.crypto.Validity.startingAt(java.time.Instant.now(), 3600));
        return java.util.Base64.getEncoder().encodeToString(s.encodePlain());
    }

    private static void assertError(AgentProcess.Answer a, int status, String code) {
        assertEquals(status, a.status(), a.text());
        assertNotNull(a.body(), "a JSON error body: " + a.text());
        assertEquals(code, a.body().path("code").asText(), a.text());
        assertFalse(a.body().path("message").asText().isEmpty(), a.text());
    }

    @Test
    void revocationThroughTheCli_isReflectedByVerify_withoutRestart() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir)) {
            CliHarness cli = new CliHarness("AgentIT", dir.resolve("cli-home"));
            cli.clock = java.time.Clock.systemUTC();
            cli.env.put("WAVE_AGENT", agent.url.toString());
            cli.env.put("WAVE_AGENT_TOKEN", agent.token);
            String ns = run(cli, 0, "entity", "create").line();
            String dev = run(cli, 0, "entity", "create", "--public-out", dir.resolve("dev.pub").toString()).line();
            String policy = "device:read@" + ns + "/building1/lamp";
            String grantId = run(cli, 0, "grant", "--attester", ns, "--subject", dir.resolve("dev.pub").toString(), "--out",
                    dir.resolve("g.pem").toString(), "device:read@" + ns + "/building1/*").line();
            assertTrue(Files.readString(dir.resolve("g.pem")).contains("# WAVE attestation " + grantId));
            Path proof = dir.resolve("p.proof");
            String proofId = run(cli, 0, "prove", "--subject", dev, "--out", proof.toString(), policy).line();
            assertTrue(run(cli, 0, "verify", proof.toString(), policy).out().startsWith("valid: proof " + proofId + " grants " + dev));
            String der = java.util.Base64.getEncoder().encodeToString(
                    io.wave.crypto.Pem.decodeAll(Files.readString(proof)).get(0).der());
            assertEquals("VALID", verify(agent, der, policy).path("reason").asText());

            run(cli, 0, "revoke", "--attestation", grantId);
            assertEquals("REVOKED", verify(agent, der, policy).path("reason").asText(), "seen at once, no restart");
            CliHarness.Run refused = run(cli, 1, "verify", proof.toString(), policy);
            assertTrue(refused.err().startsWith("REVOKED: "), refused.err());
            CliHarness.Run noProof = run(cli, 1, "prove", "--subject", dev, "--out", dir.resolve("q.proof").toString(), policy);
            assertTrue(noProof.err().startsWith("wave: NO_PROOF: "), noProof.err());

            run(cli, 0, "name", "--attester", ns, "--subject", dev, "lamp.building1");
            assertTrue(run(cli, 0, "resolve", "lamp.building1").out().startsWith(dev + "  (declared by " + ns));
            JsonNode graph = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run(cli, 0, "graph").out());
            assertTrue(graph.path("grants").get(0).path("revoked").asBoolean(), graph.toString());
            assertTrue(run(cli, 0, "graph", "--dot").out().startsWith("digraph wave {"));

            CliHarness.Run unauthorised = new CliHarness("AgentIT-2", dir.resolve("other-home")).run("entity", "create",
                    "--agent", agent.url.toString());
            assertEquals(2, unauthorised.code(), unauthorised.err());
            assertTrue(unauthorised.err().startsWith("wave: UNAUTHORIZED: "), unauthorised.err());
        }
        CliHarness.Run down = new CliHarness("AgentIT-3", dir.resolve("cli-home")).run("resolve", "x", "--agent",
                "http://127.0.0.1:9");
        assertEquals(3, down.code(), down.err());
        assertTrue(down.err().startsWith("wave: UNAVAILABLE: "), down.err());
    }

    @Test
    void revocationPublishedElsewhere_onASharedLedgerServer_reachesVerifyThroughTheFollower() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, "ledger", "serve", "--data",
                dir.resolve("server-ledger").toString(), "--http", "127.0.0.1:0")) {
            String ledger = server.url.toString();
            CliHarness cli = new CliHarness("AgentIT-follower", dir.resolve("cli-home"));
            cli.clock = java.time.Clock.systemUTC();
            cli.env.put("WAVE_LEDGER", ledger);
            String ns = run(cli, 0, "entity", "create", "--out", dir.resolve("ns.ent").toString(), "--no-passphrase").line();
            String dev = run(cli, 0, "entity", "create", "--out", dir.resolve("dev.ent").toString(), "--no-passphrase").line();
            String policy = "device:read@" + ns + "/building1/lamp";
            String grantId = run(cli, 0, "grant", "--attester", dir.resolve("ns.ent").toString(), "--subject", dev, "--out",
                    dir.resolve("g.pem").toString(), "device:read@" + ns + "/building1/*").line();
            try (AgentProcess agent = AgentProcess.start(dir.resolve("agent-dir"), ledger)) {
                // The grant was made before the agent started: it reads it from the ledger, and proves from its index.
                String der = prove(agent, dev, policy);
                assertEquals("VALID", verify(agent, der, policy).path("reason").asText());
                assertEquals("VALID", verify(agent, der, policy).path("reason").asText(), "now from the cache");

                // Revoked by someone else, straight on the ledger server, not through this agent.
                run(cli, 0, "revoke", "--attestation", grantId, "--as", dir.resolve("ns.ent").toString());
                // Waited on, not timed: how soon the follower reads a revocation is not a test's to promise.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
                String reason;
                do {
                    reason = verify(agent, der, policy).path("reason").asText();
                } while (!reason.equals("REVOKED") && System.nanoTime() < deadline);
                assertEquals("REVOKED", reason, "the follower reads the revocation and the cached answer goes");
                String metrics = ok(agent.get("/metrics"), 200).text();
                assertTrue(metrics.contains("wave_agent_ledger_lag_entries 0"), metrics);
            }
        }
    }

    private static CliHarness.Run run(CliHarness cli, int code, String... args) {
        CliHarness.Run r = cli.run(args);
        assertEquals(code, r.code(), () -> String.join(" ", args) + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        return r;
    }

    @Test
    void kill9_duringGrants_losesNothingAcknowledged() throws Exception {
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        String ns;
        try (AgentProcess agent = AgentProcess.start(dir)) {
            ns = entity(agent, "365d");
            String dev = entity(agent, "30d");
            AtomicBoolean dead = new AtomicBoolean();
            List<Thread> granters = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Thread g = new Thread(() -> {
                    for (int i = 0; !dead.get(); i++) {
                        try {
                            AgentProcess.Answer a = agent.post("/v1/grants", "{\"attester\":" + quote(ns) + ",\"subject\":"
                                    + quote(dev) + ",\"policies\":[\"device:read@" + ns + "/t" + thread + "/n" + i + "\"]}");
                            if (a.status() == 201) {
                                acknowledged.add(a.body().path("attestations").get(0).path("id").asText());
                            }
                        } catch (Exception e) {
                            return; // the agent is gone
                        }
                    }
                });
                g.start();
                granters.add(g);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
            while (acknowledged.size() < 60 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            agent.kill();
            dead.set(true);
            for (Thread g : granters) {
                g.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
        assertTrue(acknowledged.size() >= 60, "grants acknowledged before the kill: " + acknowledged.size());
        try (AgentProcess again = AgentProcess.start(dir)) {
            for (String id : new ArrayList<>(acknowledged)) {
                assertEquals(200, again.get("/v1/attestations/" + id).status(), "acknowledged grant " + id + " is kept");
            }
            JsonNode graph = ok(again.get("/v1/graph"), 200).body();
            assertTrue(graph.path("grants").size() >= acknowledged.size(), "the index caught up: " + graph.path("grants").size());
            // The keystore survived too: the namespace still acts.
            assertEquals(1, grant(again, ns, ns, "1d", "device:read@" + ns + "/after").size());
        }
    }
}
