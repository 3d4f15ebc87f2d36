package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.crypto.testing.TestEntities;
import io.wave.device.Topics;
import io.wave.device.broker.MosquittoBroker;
import io.wave.device.testing.Await;
import io.wave.device.testing.Impostor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wave send} without {@code --device}, on a real Mosquitto, with an impostor on the broker: an entity
 * that answers every command on the device's topic (and on a topic nobody serves) with a validly signed
 * {@code OK} of its own. As found: {@code wave send} printed {@code accepted: true} and exited 0 for a
 * command the device refused, and for a resource no device serves.
 */
class SendImpostorIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RESOURCE = "building1/floor2/hvac/setpoint";
    static final String UNSERVED = "building1/floor2/hvac/humidity";

    @TempDir
    Path dir;

    @Test
    void sendWithoutDevice_ignoresTheImpostor_takesTheDevicesRefusal_andTimesOutWhereNobodyServes() throws Exception {
        if (MosquittoBroker.find().isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("mosquitto is not installed; .ci/run installs it");
            }
            Assumptions.abort("mosquitto is not installed on this machine");
        }
        CliHarness h = new CliHarness("send-impostor", dir.resolve("home"));
        String ns = h.run("entity", "create", "--out", dir.resolve("ns.ent").toString(), "--no-passphrase").line();
        String con = h.run("entity", "create", "--out", dir.resolve("con.ent").toString(), "--no-passphrase").line();
        String dev = h.run("entity", "create", "--out", dir.resolve("dev.ent").toString(), "--no-passphrase").line();
        assertEquals(0, h.run("grant", "--attester", dir.resolve("ns.ent").toString(), "--subject", con, "--caveat",
                "setpoint in [18,26]", "--out", dir.resolve("g.pem").toString(),
                "device:actuate@" + ns + "/building1/floor2/+/*").code());
        assertEquals(0, h.run("grant", "--attester", dir.resolve("ns.ent").toString(), "--subject", dev, "--out",
                dir.resolve("serve.pem").toString(), "device:serve@" + ns + "/" + RESOURCE).code());
        String as = dir.resolve("con.ent").toString();

        try (MosquittoBroker broker = MosquittoBroker.start();
                Impostor impostor = new Impostor(TestEntities.create("cli-test/impostor"), broker.address(),
                        List.of(Topics.command(io.wave.crypto.EntityId.parse(ns), RESOURCE),
                                Topics.command(io.wave.crypto.EntityId.parse(ns), UNSERVED)))) {
            String uri = broker.address().serverUri();
            // The impostor answers before the device is up, so its OK is certainly the first reply.
            CompletableFuture<CliHarness.Run> hot = CompletableFuture.supplyAsync(() -> h.run("send", "--as", as,
                    "--broker", uri, "--timeout", "30s", ns + "/" + RESOURCE, "set", "{\"setpoint\": 30}"));
            Await.until("the impostor answers", Duration.ofSeconds(120), () -> impostor.answered() >= 1 || hot.isDone());
            StringWriter simOut = new StringWriter();
            StringWriter simErr = new StringWriter();
            AtomicInteger simCode = new AtomicInteger(-1);
            CliContext ctx = new CliContext(h.clock, new java.security.SecureRandom(), h.env::get, () -> null);
            Thread sim = new Thread(() -> simCode.set(WaveCli.execute(ctx, new PrintWriter(simOut, true),
                    new PrintWriter(simErr, true), "device", "simulate", "--as", dir.resolve("dev.ent").toString(), "--new-device",
                    "--namespace", ns, "--resource", RESOURCE, "--broker", uri, "--ledger",
                    "embedded:" + dir.resolve("device-ledger"), "--json")));
            sim.start();
            try {
                CliHarness.Run refused = hot.get(60, TimeUnit.SECONDS);
                assertEquals(1, refused.code(), refused.out() + refused.err());
                assertTrue(refused.out().startsWith("CAVEAT_VIOLATED: ") && refused.out().contains(dev), refused.out());

                CliHarness.Run ok = h.run("send", "--as", as, "--broker", uri, "--json", ns + "/" + RESOURCE, "set",
                        "{\"setpoint\": 21.5}");
                assertEquals(0, ok.code(), ok.err());
                JsonNode j = JSON.readTree(ok.out());
                assertEquals(dev, j.get("device").asText());

                CliHarness.Run nobody = h.run("send", "--as", as, "--broker", uri, "--timeout", "3s",
                        ns + "/" + UNSERVED, "set", "{\"setpoint\": 20}");
                assertEquals(3, nobody.code(), nobody.out() + nobody.err());
                assertTrue(nobody.err().startsWith("wave: UNAVAILABLE: no reply to set on " + UNSERVED)
                        && nobody.err().contains("not shown to be entitled to serve") && nobody.err().contains("ignored"),
                        nobody.err());
                assertTrue(!nobody.out().contains("OK"), nobody.out());
            } finally {
                sim.interrupt();
                sim.join(30_000);
            }
            assertEquals(0, simCode.get(), simErr.toString());
        }
    }
}
