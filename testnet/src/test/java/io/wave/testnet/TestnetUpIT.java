package io.wave.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.agent.cli.CliContext;
import io.wave.agent.cli.WaveCli;
import io.wave.device.broker.MosquittoBroker;
import io.wave.testnet.story.Network;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wave testnet up} as a user runs it: a separate JVM, driven with the CLI through the files and
 * URIs it printed, then stopped with SIGTERM (what Ctrl-C sends the JVM too); every port it listened on
 * must be free afterwards and every process it started gone.
 */
class TestnetUpIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onTheEmbeddedDefaultsItServesTheCliAndFreesEverythingOnSigterm(@TempDir Path dir) throws Exception {
        upDriveAndStop(dir, List.of());
    }

    @Test
    void onMosquittoAndGanacheItStopsTheProcessesItStarted(@TempDir Path dir) throws Exception {
        boolean ready = MosquittoBroker.find().isPresent()
                && Files.isRegularFile(StoriesIT.ETH.resolve("node_modules/ganache/dist/node/cli.js"));
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(ready, "mosquitto or ganache missing here (under CI this fails)");
        } else {
            assertTrue(ready, "under CI this needs mosquitto and ganache");
        }
        upDriveAndStop(dir, List.of("--ledger", "ethereum", "--broker", "mosquitto"));
    }

    private static void upDriveAndStop(Path dir, List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WaveCli.class.getName(), "testnet", "up", "--json",
                "--dir", dir.resolve("net").toString()));
        cmd.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("WAVE_REPO", StoriesIT.ETH.getParent().getParent().toString());
        Process p = pb.start();
        List<ProcessHandle> children = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = readLine(out, p, Duration.ofSeconds(120), dir);
            JsonNode ready = JSON.readTree(line);
            assertTrue(ready.path("ready").asBoolean(), line);
            Map<String, Integer> ports = new HashMap<>();
            ready.path("ports").fields().forEachRemaining(e -> ports.put(e.getKey(), e.getValue().asInt()));
            assertTrue(ports.containsKey("broker") && ports.containsKey("agent")
                    && (ports.containsKey("ledger") || ports.containsKey("ethereum")), "ports: " + ports);
            ports.forEach((part, port) -> assertTrue(TestnetTest.listening(port), part + " is not listening on " + port));
            children.addAll(p.descendants().toList());
            if (options.contains("ethereum")) {
                assertEquals(2, children.size(), "ganache and mosquitto: " + children);
            }

            // A user's session against it, through what it printed: grant, send, revoke, refused.
            Map<String, String> env = new HashMap<>();
            env.put("WAVE_HOME", dir.resolve("cli").toString());
            env.put("WAVE_LEDGER", ready.path("ledger").asText());
            env.put("WAVE_BROKER", ready.path("broker").asText());
            if (ready.has("eth_key_file")) {
                env.put("WAVE_ETH_KEY", Files.readString(Path.of(ready.path("eth_key_file").asText())).strip());
            }
            String ns = ready.path("namespace").asText();
            String owner = ready.path("files").path("owner").asText();
            String you = ready.path("files").path("user").asText();
            Path grant = dir.resolve("you.grant");
            Path proof = dir.resolve("you.proof");
            String setpoint = ns + "/building1/floor1/hvac/setpoint";
            assertEquals(0, wave(env, "grant", "--attester", owner, "--subject", you, "--expiry", "1h", "--out", grant.toString(),
                    "device:actuate@" + ns + "/building1/floor1/*").code);
            assertEquals(0, wave(env, "prove", "--subject", you, "--out", proof.toString(),
                    "device:actuate@" + ns + "/building1/floor1/*").code);
            Run ok = wave(env, "send", "--as", you, "--proof", proof.toString(), setpoint, "set", "{\"setpoint\": 21.5}");
            assertEquals(0, ok.code, ok.err);
            assertTrue(ok.out.startsWith("OK: setpoint 21.5"), ok.out);
            // The same without a proof file: the proof built by the testnet's agent (once it has followed the grant).
            Map<String, String> viaAgent = new HashMap<>(env);
            viaAgent.put("WAVE_AGENT", ready.path("agent").asText());
            Network.await("a command sent with the agent's proof is accepted", Network.PATIENCE, () ->
                    wave(viaAgent, "send", "--as", you, setpoint, "set", "{\"setpoint\": 20.5}").code == 0);
            Run none = wave(viaAgent, "send", "--as", you, ns + "/building1/floor2/hvac/setpoint", "set", "{\"setpoint\": 20}");
            Run noneLocally = wave(env, "send", "--as", you, ns + "/building1/floor2/hvac/setpoint", "set", "{\"setpoint\": 20}");
            assertEquals(1, none.code, none.err);
            assertTrue(none.err.startsWith("wave: NO_PROOF: "), none.err);
            assertEquals(noneLocally.code, none.code);
            String id = Files.readAllLines(grant).stream().filter(l -> l.startsWith("# WAVE attestation")).findFirst()
                    .orElseThrow().split(" ")[3];
            assertEquals(0, wave(env, "revoke", "--attestation", id, "--as", owner).code);
            Network.await("the device refuses the revoked grant", Network.PATIENCE, () -> {
                Run r = wave(env, "send", "--as", you, "--proof", proof.toString(), setpoint, "set", "{\"setpoint\": 22}");
                return r.code == 1 && r.out.startsWith("REVOKED: ");
            });

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "testnet did not stop on SIGTERM");
            int exit = p.exitValue();
            assertTrue(exit == 0 || exit == 143, "exit " + exit + "; stderr: " + Files.readString(dir.resolve("stderr.txt")));
            for (ProcessHandle child : children) {
                Network.await(child + " stops", Network.PATIENCE, () -> !child.isAlive());
            }
            ports.forEach((part, port) -> {
                assertFalse(TestnetTest.listening(port), part + " still listens on " + port);
                assertTrue(TestnetTest.bindable(port), part + "'s port " + port + " cannot be bound again");
            });
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            children.forEach(ProcessHandle::destroyForcibly); // orphans, if the testnet failed to stop them
            p.destroyForcibly();
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run wave(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WaveCli.execute(new CliContext(Clock.systemUTC(), new SecureRandom(), env::get, () -> null),
                new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String readLine(BufferedReader out, Process p, Duration timeout, Path dir) throws Exception {
        java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            String l = line.get(timeout.toSeconds(), TimeUnit.SECONDS);
            if (l == null) {
                throw new AssertionError("testnet exited (" + p.waitFor() + ") before it was ready: "
                        + Files.readString(dir.resolve("stderr.txt")));
            }
            return l;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("testnet not ready in " + timeout + ": " + Files.readString(dir.resolve("stderr.txt")));
        }
    }
}
