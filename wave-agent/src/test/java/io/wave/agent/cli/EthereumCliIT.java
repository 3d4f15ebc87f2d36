package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.ledger.ethereum.DevNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on a real Ethereum node (ganache from wave-ledger/eth, installed by the build): deploying the
 * registry, the whole grant-prove-verify-revoke story in direct mode, and anchoring an embedded ledger's
 * heads on chain.
 */
class EthereumCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DevNode node;

    @TempDir
    Path dir;

    @BeforeAll
    static void startNode(@TempDir Path logs) {
        node = DevNode.start(Path.of("..", "wave-ledger", "eth"), logs);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private CliHarness cli(String label) {
        CliHarness h = new CliHarness(label, dir.resolve(label));
        h.clock = java.time.Clock.systemUTC();
        String key = DevNode.account(0).getEcKeyPair().getPrivateKey().toString(16);
        h.env.put("WAVE_ETH_KEY", "0".repeat(64 - key.length()) + key);
        return h;
    }

    private static CliHarness.Run ok(CliHarness.Run r) {
        assertEquals(0, r.code(), () -> "stdout: " + r.out() + "\nstderr: " + r.err());
        return r;
    }

    private String deploy(CliHarness h) {
        String out = ok(h.run("ledger", "deploy", "--ledger", "ethereum:" + node.url())).out().strip();
        String address = out.substring(out.lastIndexOf('\n') + 1);
        assertTrue(address.matches("0x[0-9a-fA-F]{40}"), address);
        return address;
    }

    @Test
    void directMode_grantsProofsAndRevocationsLiveOnChain() {
        CliHarness owner = cli("owner");
        String chain = "ethereum:" + node.url() + "?contract=" + deploy(owner);
        CliHarness reader = cli("reader");
        owner.env.put("WAVE_LEDGER", chain);
        reader.env.put("WAVE_LEDGER", chain);
        String ns = ok(owner.run("entity", "create", "--out", dir.resolve("ns.ent").toString(), "--no-passphrase")).line();
        String dev = ok(owner.run("entity", "create", "--out", dir.resolve("dev.ent").toString(), "--no-passphrase")).line();
        String grant = ok(owner.run("grant", "--attester", dir.resolve("ns.ent").toString(), "--subject", dev, "--out",
                dir.resolve("g.pem").toString(), "device:actuate@" + ns + "/hvac/*")).line();
        String policy = "device:actuate@" + ns + "/hvac/setpoint";
        // Another machine, with only the RPC URL and the contract address, rebuilds the index from the chain.
        ok(reader.run("prove", "--subject", dev, "--out", dir.resolve("p.proof").toString(), policy));
        ok(reader.run("verify", dir.resolve("p.proof").toString(), policy));
        ok(owner.run("revoke", "--attestation", grant, "--as", dir.resolve("ns.ent").toString()));
        CliHarness.Run refused = reader.run("verify", dir.resolve("p.proof").toString(), policy);
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().startsWith("REVOKED: "), refused.err());
    }

    @Test
    void anchoredMode_headsOnChain_andStatusAndAuditCheckThem() throws Exception {
        CliHarness h = cli("anchored");
        String anchor = "ethereum:" + node.url() + "?contract=" + deploy(h);
        ok(h.run("entity", "create", "--out", dir.resolve("a.ent").toString(), "--no-passphrase"));
        ok(h.run("entity", "create", "--out", dir.resolve("b.ent").toString(), "--no-passphrase"));
        String tx = ok(h.run("ledger", "anchor", "--anchor", anchor)).line();
        assertTrue(tx.matches("0x[0-9a-f]{64}"), tx);
        ok(h.run("entity", "create", "--out", dir.resolve("c.ent").toString(), "--no-passphrase"));
        JsonNode status = JSON.readTree(ok(h.run("ledger", "status", "--json", "--anchor", anchor)).out());
        assertEquals(3, status.get("size").asInt());
        assertEquals(2, status.get("anchoredHead").get("size").asInt(), "the anchored head is the one before c");
        assertTrue(ok(h.run("ledger", "audit", "--anchor", anchor)).out().contains("and 1 anchored head(s)"));
    }
}
