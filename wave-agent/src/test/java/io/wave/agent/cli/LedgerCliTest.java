package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against the embedded ledger, as a user runs it with no flags: entities and grants are
 * published as they are made, proofs are built from the ledger, revocations take effect for every
 * verifier that reads it, and a ledger that rewrites its history is caught.
 */
class LedgerCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    CliHarness cli;
    String ns;
    String manager;
    String contractor;

    @BeforeEach
    void setUp() {
        cli = new CliHarness("LedgerCliTest", dir.resolve("home"));
        ns = ok(cli.run("entity", "create", "--out", p("ns.ent"), "--no-passphrase")).line();
        manager = ok(cli.run("entity", "create", "--out", p("manager.ent"), "--no-passphrase")).line();
        contractor = ok(cli.run("entity", "create", "--out", p("contractor.ent"), "--public-out", p("contractor.pub"),
                "--no-passphrase")).line();
    }

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    private static CliHarness.Run ok(CliHarness.Run r) {
        assertEquals(0, r.code(), () -> "stdout: " + r.out() + "\nstderr: " + r.err());
        return r;
    }

    private String policy() {
        return "device:actuate@" + ns + "/building1/floor2/hvac";
    }

    private String[] delegate() {
        String a1 = ok(cli.run("grant", "--attester", p("ns.ent"), "--subject", manager, "--indirections", "1",
                "--out", p("g1.pem"), "device:actuate@" + ns + "/building1/*")).line();
        String a2 = ok(cli.run("grant", "--attester", p("manager.ent"), "--subject", contractor, "--out", p("g2.pem"),
                "device:actuate@" + ns + "/building1/floor2/*")).line();
        return new String[] {a1, a2};
    }

    @Test
    void grantsArePublished_andProofsAreBuiltFromTheLedger() throws Exception {
        delegate();
        ok(cli.run("prove", "--subject", contractor, "--out", p("c.proof"), policy()));
        ok(cli.run("verify", p("c.proof"), "--subject", contractor, policy()));
        JsonNode status = JSON.readTree(ok(cli.run("ledger", "status", "--json")).out());
        assertEquals(5, status.get("size").asInt(), "three entities and two attestations");
    }

    @Test
    void revokingAnAttestation_makesEveryVerifierRefuseTheProof() {
        String[] ids = delegate();
        ok(cli.run("prove", "--subject", contractor, "--out", p("c.proof"), policy()));
        ok(cli.run("verify", p("c.proof"), policy()));

        CliHarness.Run notMine = cli.run("revoke", "--attestation", ids[0], "--as", p("manager.ent"));
        assertEquals(2, notMine.code(), notMine.err());
        assertTrue(notMine.err().contains("only its attester can revoke it"), notMine.err());

        ok(cli.run("revoke", "--attestation", ids[1], "--as", p("manager.ent")));
        CliHarness.Run refused = cli.run("verify", p("c.proof"), policy());
        assertEquals(1, refused.code());
        assertTrue(refused.err().startsWith("REVOKED: "), refused.err());
        ok(cli.run("verify", "--offline", p("c.proof"), policy()));
        CliHarness.Run noProof = cli.run("prove", "--subject", contractor, "--out", p("c2.proof"), policy());
        assertEquals(1, noProof.code(), "the builder does not use revoked grants");
    }

    @Test
    void revokingAnEntity_cutsEveryPathThroughIt() {
        delegate();
        ok(cli.run("prove", "--subject", contractor, "--out", p("c.proof"), policy()));
        ok(cli.run("revoke", "--entity", p("manager.ent")));
        CliHarness.Run r = cli.run("verify", p("c.proof"), policy());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("REVOKED: "), r.err());
    }

    @Test
    void publish_isIdempotent_andRefusesGarbageWhole() throws Exception {
        delegate();
        JsonNode before = JSON.readTree(ok(cli.run("ledger", "status", "--json")).out());
        ok(cli.run("publish", p("g1.pem"), p("g2.pem")));
        JsonNode after = JSON.readTree(ok(cli.run("ledger", "status", "--json")).out());
        assertEquals(before.get("size").asInt(), after.get("size").asInt());

        String text = Files.readString(dir.resolve("g2.pem"));
        int at = text.indexOf("-----BEGIN WAVE ATTESTATION-----") + 60;
        Files.writeString(dir.resolve("bad.pem"), text.substring(0, at) + (text.charAt(at) == 'A' ? 'B' : 'A')
                + text.substring(at + 1));
        CliHarness.Run bad = cli.run("publish", p("bad.pem"));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("wave: "), bad.err());
        JsonNode still = JSON.readTree(ok(cli.run("ledger", "status", "--json")).out());
        assertEquals(before.get("size").asInt(), still.get("size").asInt(), "nothing of a refused write lands");
    }

    @Test
    void offlineGrants_canBePublishedLater() {
        ok(cli.run("grant", "--no-publish", "--attester", p("ns.ent"), "--subject", p("contractor.pub"), "--out",
                p("g.pem"), policy()));
        assertEquals(1, cli.run("prove", "--subject", contractor, "--out", p("c.proof"), policy()).code());
        ok(cli.run("publish", p("g.pem")));
        ok(cli.run("prove", "--subject", contractor, "--out", p("c.proof"), policy()));
    }

    @Test
    void names_resolveUntilRevoked() throws Exception {
        ok(cli.run("name", "--attester", p("ns.ent"), "--subject", contractor, "contractor.acme"));
        JsonNode r = JSON.readTree(ok(cli.run("resolve", "contractor.acme", "--json")).out());
        assertEquals(contractor, r.get("declarations").get(0).get("subject").asText());
        assertEquals(ns, r.get("declarations").get(0).get("attester").asText());
        assertEquals(1, cli.run("resolve", "nobody.acme").code());
        ok(cli.run("revoke", "--name", "contractor.acme", "--subject", contractor, "--as", p("ns.ent")));
        assertEquals(1, cli.run("resolve", "contractor.acme").code());
        assertEquals(2, cli.run("name", "--attester", p("ns.ent"), "--subject", contractor, "Not A Name").code());
    }

    @Test
    void audit_recomputesTheLog_andARewrittenHistoryIsCaught() throws Exception {
        delegate();
        CliHarness.Run audit = ok(cli.run("ledger", "audit"));
        assertTrue(audit.out().startsWith("audit: ok: 5 entries"), audit.out());

        // Someone with the ledger's key replaces its history: a new log, same key, different entries.
        Path home = dir.resolve("home");
        Path ledgerDir = home.resolve("ledger");
        Path key = ledgerDir.resolve("tree-head.key");
        Path forged = dir.resolve("forged");
        Files.createDirectories(forged);
        Files.copy(key, forged.resolve("tree-head.key"), StandardCopyOption.COPY_ATTRIBUTES);
        CliHarness other = new CliHarness("LedgerCliTest-forger", dir.resolve("forger-home"));
        other.env.put("WAVE_LEDGER", "embedded:" + forged);
        for (int i = 0; i < 7; i++) {
            ok(other.run("entity", "create", "--out", p("x" + i + ".ent"), "--no-passphrase"));
        }
        cli.env.put("WAVE_LEDGER", "embedded:" + forged);
        CliHarness.Run caught = cli.run("ledger", "status");
        assertEquals(3, caught.code(), caught.out() + caught.err());
        assertTrue(caught.err().startsWith("wave: TAMPERED: "), caught.err());
        assertFalse(caught.err().contains("Exception"), caught.err());
    }

    @Test
    void unknownLedgerUris_areBadArguments() {
        CliHarness.Run r = cli.run("ledger", "status", "--ledger", "ftp://somewhere");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("wave: BAD_ARGUMENT: "), r.err());
    }
}
