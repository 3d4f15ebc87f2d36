package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.device.broker.MosquittoBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wave device simulate} and {@code wave send} end to end, in-process, on a real Mosquitto: the exit
 * codes and JSON that scripts rely on. Under CI (CI=true) a missing mosquitto fails rather than skips.
 */
class DeviceCliIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RESOURCE = "building1/floor2/hvac/setpoint";

    @TempDir
    Path dir;

    @Test
    void simulateAndSend_acceptInsideTheGrant_refuseOutside_withTheDocumentedExitCodes() throws Exception {
        if (MosquittoBroker.find().isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("mosquitto is not installed; .ci/run installs it");
            }
            Assumptions.abort("mosquitto is not installed on this machine");
        }
        CliHarness h = new CliHarness("device-cli", dir.resolve("home"));
        String ns = h.run("entity", "create", "--out", dir.resolve("ns.ent").toString(), "--no-passphrase").line();
        String mgr = h.run("entity", "create", "--out", dir.resolve("mgr.ent").toString(), "--no-passphrase").line();
        String con = h.run("entity", "create", "--out", dir.resolve("con.ent").toString(), "--no-passphrase").line();
        h.run("entity", "create", "--out", dir.resolve("dev.ent").toString(), "--no-passphrase", "--no-publish");
        assertEquals(0, h.run("grant", "--attester", dir.resolve("ns.ent").toString(), "--subject", mgr,
                "--indirections", "1", "--out", dir.resolve("g1.pem").toString(), "device:read,actuate@" + ns + "/building1/*").code());
        assertEquals(0, h.run("grant", "--attester", dir.resolve("mgr.ent").toString(), "--subject", con, "--caveat",
                "setpoint in [18,26]", "--out", dir.resolve("g2.pem").toString(),
                "device:actuate@" + ns + "/building1/floor2/+/setpoint").code());
        String proof = dir.resolve("con.proof").toString();
        assertEquals(0, h.run("prove", "--subject", con, "--out", proof, "device:actuate@" + ns + "/" + RESOURCE).code());
        // Without --device, wave send accepts a reply only from an entity granted device:serve on the resource.
        assertEquals(0, h.run("grant", "--attester", dir.resolve("ns.ent").toString(), "--subject",
                dir.resolve("dev.ent").toString(), "--out", dir.resolve("serve.pem").toString(),
                "device:serve@" + ns + "/" + RESOURCE).code());

        try (MosquittoBroker broker = MosquittoBroker.start()) {
            String uri = broker.address().serverUri();
            StringWriter simOut = new StringWriter();
            StringWriter simErr = new StringWriter();
            AtomicInteger simCode = new AtomicInteger(-1);
            CliContext ctx = new CliContext(h.clock, new java.security.SecureRandom(), h.env::get, () -> null);
            Thread sim = new Thread(() -> simCode.set(WaveCli.execute(ctx, new PrintWriter(simOut, true),
                    new PrintWriter(simErr, true), "device", "simulate", "--as", dir.resolve("dev.ent").toString(),
                    "--namespace", ns, "--resource", RESOURCE, "--broker", uri, "--ledger",
                    "embedded:" + dir.resolve("device-ledger"), "--new-device", "--json")));
            sim.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos(); // only a hang reaches it
                while (!simOut.toString().contains("\"event\":\"started\"")) {
                    assertTrue(System.nanoTime() < deadline && sim.isAlive(), "simulate did not start: " + simErr);
                    LockSupport.parkNanos(10_000_000);
                }
                String target = ns + "/" + RESOURCE;
                CliHarness.Run ok = h.run("send", "--as", dir.resolve("con.ent").toString(), "--proof", proof,
                        "--broker", uri, "--json", target, "set", "{\"setpoint\": 21.5}");
                assertEquals(0, ok.code(), ok.err());
                JsonNode j = JSON.readTree(ok.out());
                assertTrue(j.get("accepted").asBoolean());
                assertEquals("OK", j.get("code").asText());
                assertEquals(21.5, j.get("results").get("setpoint").asDouble());

                CliHarness.Run hot = h.run("send", "--as", dir.resolve("con.ent").toString(), "--proof", proof,
                        "--broker", uri, target, "set", "{\"setpoint\": 30}");
                assertEquals(1, hot.code(), hot.err());
                assertTrue(hot.out().startsWith("CAVEAT_VIOLATED: "), hot.out());

                CliHarness.Run bad = h.run("send", "--as", dir.resolve("con.ent").toString(), "--proof", proof,
                        "--broker", uri, target, "set", "{\"setpoint\": ");
                assertEquals(2, bad.code());
                assertTrue(bad.err().startsWith("wave: BAD_ARGUMENT: PARAMS is not JSON"), bad.err());

                CliHarness.Run nowhere = h.run("send", "--as", dir.resolve("con.ent").toString(), "--proof", proof,
                        "--broker", "tcp://127.0.0.1:1", target, "set", "{\"setpoint\": 20}");
                assertEquals(3, nowhere.code(), nowhere.err());
                assertTrue(nowhere.err().startsWith("wave: UNAVAILABLE: "), nowhere.err());
                assertTrue(simOut.toString().contains("\"code\":\"CAVEAT_VIOLATED\""), simOut.toString());
            } finally {
                sim.interrupt();
                sim.join(30_000);
            }
            assertEquals(0, simCode.get(), simErr.toString());
            // The device follows a ledger of its own, which holds no serve grant for it: it says so.
            assertTrue(simErr.toString().contains("warning: the ledger shows no device:serve for this device on " + RESOURCE),
                    simErr.toString());
        }
    }
}
