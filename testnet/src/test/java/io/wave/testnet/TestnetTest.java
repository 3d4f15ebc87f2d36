package io.wave.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.ledger.ObjectKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network as a library: what it starts, the files it leaves a user, and that close frees it all in-process. */
class TestnetTest {
    @Test
    void startsTheBuildingAndCloseFreesEveryPortInTheSameJvm(@TempDir Path dir) throws Exception {
        Map<String, Integer> ports;
        try (Testnet net = Testnet.start(c -> c.dir = dir)) {
            ports = net.ports();
            assertEquals(java.util.Set.of("ledger", "broker", "agent"), ports.keySet());
            ports.forEach((part, port) -> assertTrue(listening(port), part + " not listening"));
            assertEquals(5, net.devices().size());
            assertEquals(java.util.Set.of("thermostat", "light", "motion sensor"),
                    net.devices().stream().map(Testnet.Device::kind).collect(java.util.stream.Collectors.toSet()));
            // Every device entity and both people are on the ledger; the user's files are where it says.
            for (Testnet.Device d : net.devices()) {
                assertTrue(net.ledger().entity(d.id()).isPresent(), d.name() + " not published");
            }
            assertTrue(net.ledger().entity(net.namespace()).isPresent());
            assertTrue(Files.readString(net.files().get("owner")).contains("WAVE ENTITY SECRET"));
            assertTrue(Files.isRegularFile(net.files().get("agent-token")));
            assertTrue(net.ledger().size() >= 7, "entities published: " + net.ledger().size());
            assertEquals(ObjectKind.ENTITY, net.ledger().entries(0, 1).get(0).kind());
        }
        ports.forEach((part, port) -> {
            assertFalse(listening(port), part + " still listens on " + port + " after close");
            assertTrue(bindable(port), part + "'s port " + port + " is still taken after close");
        });
        assertTrue(Files.isDirectory(dir.resolve("ledger")), "a given directory is kept");
    }

    @Test
    void startedAgainOnItsDirectoryItKeepsItsNamespacePeopleAndGrants(@TempDir Path dir) {
        io.wave.crypto.EntityId ns;
        io.wave.crypto.EntityId thermostat;
        io.wave.crypto.Hash grant;
        try (Testnet net = Testnet.start(c -> c.dir = dir)) {
            ns = net.namespace();
            thermostat = net.device("thermostat-1").id();
            io.wave.crypto.objects.EntitySecret you = io.wave.agent.files.EntityFiles.readSecret(net.files().get("user"),
                    () -> null);
            long now = java.time.Instant.now().getEpochSecond();
            byte[] nonce = io.wave.crypto.objects.Attestation.newNonce(new java.security.SecureRandom());
            io.wave.crypto.objects.Attestation a = io.wave.crypto.objects.Attestation.sign(
                    new io.wave.crypto.objects.AttestationBody(ns, you.id(), ns,
                            new io.wave.crypto.objects.PermissionSetRef.Builtin("device"), java.util.List.of("read"),
                            "building1/*", 0, io.wave.crypto.Validity.ofSeconds(now - 5, now + 3600), java.util.List.of(),
                            net.owner().attestationRevocationSecret(nonce).commitment(), nonce, java.util.List.of()),
                    net.owner());
            net.ledger().publish(ObjectKind.ATTESTATION, a.encoded());
            grant = a.id().hash();
        }
        try (Testnet again = Testnet.start(c -> c.dir = dir)) {
            assertEquals(ns, again.namespace());
            assertEquals(thermostat, again.device("thermostat-1").id());
            assertTrue(again.ledger().find(grant).isPresent(), "the grant made before the restart");
            assertTrue(again.agent().isPresent(), "the agent opened its keystore with the kept passphrase");
        }
    }

    @Test
    void aBrokerThatIsNotThereFailsTheStartAndLeavesNothingRunning(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        WaveException e = assertThrows(WaveException.class, () -> Testnet.start(c -> {
            c.dir = dir;
            c.broker = "tcp://127.0.0.1:" + port;
        }));
        assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.getMessage());
        // The ledger server it had started is gone again: its data directory opens (RocksDB's lock is free).
        try (var reopened = io.wave.ledger.embedded.EmbeddedLedger.open(dir.resolve("ledger"), java.time.Clock.systemUTC())) {
            assertTrue(reopened.size() >= 2);
        }
    }

    @Test
    void anUnknownBrokerIsABadArgument(@TempDir Path dir) {
        WaveException e = assertThrows(WaveException.class, () -> Testnet.start(c -> {
            c.dir = dir;
            c.broker = "carrier-pigeon";
        }));
        assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
    }

    @Test
    void theCliListsTestnetAndItAnswersHelp() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        io.wave.agent.cli.CliContext ctx = new io.wave.agent.cli.CliContext(java.time.Clock.systemUTC(),
                new java.security.SecureRandom(), k -> null, () -> null);
        assertEquals(0, io.wave.agent.cli.WaveCli.execute(ctx, new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                "testnet", "up", "--help"), err.toString());
        assertTrue(out.toString().startsWith("Usage: wave testnet up"), out.toString());
        java.io.StringWriter top = new java.io.StringWriter();
        io.wave.agent.cli.WaveCli.execute(ctx, new java.io.PrintWriter(top), new java.io.PrintWriter(err), "--help");
        assertTrue(top.toString().contains("testnet "), top.toString());
        assertTrue(top.toString().indexOf("\n  testnet ") < top.toString().indexOf("\n  help "), "help stays last: " + top);
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
