package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wave ledger serve} as a real process, and two "machines" (separate WAVE homes) sharing it
 * through {@code --ledger http://...}: grants made on one are proved on the other, a revocation made on
 * one is seen by the other, and SIGTERM stops the server and frees its port.
 */
class LedgerServeIT {
    @TempDir
    Path dir;

    private ServerProcess server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private URI start(Path data) throws Exception {
        server = ServerProcess.start(dir, "ledger", "serve", "--data", data.toString(), "--http", "127.0.0.1:0");
        return server.url;
    }

    private static CliHarness.Run ok(CliHarness.Run r) {
        assertEquals(0, r.code(), () -> "stdout: " + r.out() + "\nstderr: " + r.err());
        return r;
    }

    @Test
    void twoMachinesShareOneLedgerServer_andSigtermFreesThePort() throws Exception {
        URI url = start(dir.resolve("data"));
        CliHarness alice = new CliHarness("LedgerServeIT-a", dir.resolve("home-a"));
        CliHarness bob = new CliHarness("LedgerServeIT-b", dir.resolve("home-b"));
        for (CliHarness h : List.of(alice, bob)) {
            h.env.put("WAVE_LEDGER", url.toString());
            h.clock = java.time.Clock.systemUTC();
        }
        String ns = ok(alice.run("entity", "create", "--out", dir.resolve("ns.ent").toString(), "--no-passphrase")).line();
        String dev = ok(bob.run("entity", "create", "--out", dir.resolve("dev.ent").toString(), "--no-passphrase")).line();
        String policy = "device:read@" + ns + "/building1/lamp";
        String grant = ok(alice.run("grant", "--attester", dir.resolve("ns.ent").toString(), "--subject", dev, "--out",
                dir.resolve("g.pem").toString(), "device:read@" + ns + "/building1/*")).line();

        ok(bob.run("prove", "--subject", dev, "--out", dir.resolve("p.proof").toString(), policy));
        ok(bob.run("verify", dir.resolve("p.proof").toString(), policy));
        ok(alice.run("revoke", "--attestation", grant, "--as", dir.resolve("ns.ent").toString()));
        CliHarness.Run refused = bob.run("verify", dir.resolve("p.proof").toString(), policy);
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().startsWith("REVOKED: "), refused.err());
        assertTrue(ok(bob.run("ledger", "audit")).out().startsWith("audit: ok: 4 entries"));

        assertTrue(server.terminate(), "SIGTERM stops the server");
        assertFalse(listening(url), "the port is freed");

        CliHarness.Run down = bob.run("ledger", "status");
        assertEquals(3, down.code(), down.err());
        assertTrue(down.err().startsWith("wave: UNAVAILABLE: "), down.err());
        CliHarness.Run failClosed = bob.run("verify", dir.resolve("p.proof").toString(), policy);
        assertEquals(1, failClosed.code(), "an unreachable ledger fails closed");
    }

    private static boolean listening(URI url) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(url.getHost(), url.getPort()), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
