package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delegation story through the CLI, as a user runs it: owner grants manager, manager delegates a
 * narrower slice to a contractor, the contractor proves it, a verifier checks it; and every kind of bad
 * input ends in one line with a stable code and the documented exit code.
 */
class WaveCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    CliHarness cli;
    String ns;
    String manager;
    String contractor;
    Path grants;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliHarness("WaveCliTest", dir.resolve("home"));
        grants = Files.createDirectories(dir.resolve("grants"));
        ns = ok(cli.run("entity", "create", "--out", p("ns.ent"), "--public-out", grants.resolve("ns.pub").toString(),
                "--no-passphrase")).line();
        manager = ok(cli.run("entity", "create", "--out", p("manager.ent"), "--public-out",
                grants.resolve("manager.pub").toString(), "--no-passphrase")).line();
        contractor = ok(cli.run("entity", "create", "--out", p("contractor.ent"), "--public-out",
                grants.resolve("contractor.pub").toString(), "--no-passphrase")).line();
    }

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    private static CliHarness.Run ok(CliHarness.Run r) {
        assertEquals(0, r.code(), () -> "stdout: " + r.out() + "\nstderr: " + r.err());
        return r;
    }

    private static void assertOneLineError(CliHarness.Run r, int exit, String code) {
        assertEquals(exit, r.code(), () -> "stderr: " + r.err());
        assertTrue(r.err().startsWith("wave: " + code + ": ") || r.err().startsWith(code + ": "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    private void delegate() {
        ok(cli.run("grant", "--attester", p("ns.ent"), "--subject", grants.resolve("manager.pub").toString(),
                "--indirections", "1", "--out", grants.resolve("owner-manager.pem").toString(),
                "device:read,actuate@" + ns + "/building1/*"));
        ok(cli.run("grant", "--attester", p("manager.ent"), "--subject", contractor, "--expiry", "12h",
                "--caveat", "setpoint in [18,26]", "--out", grants.resolve("manager-contractor.pem").toString(),
                "device:actuate@" + ns + "/building1/floor2/+/setpoint"));
    }

    private String setpoint(int floor) {
        return "device:actuate@" + ns + "/building1/floor" + floor + "/hvac/setpoint";
    }

    @Test
    void delegationStory_provesAndVerifiesInsideTheSlice_refusesOutside() throws Exception {
        delegate();
        CliHarness.Run prove = ok(cli.run("prove", "--subject", grants.resolve("contractor.pub").toString(),
                "--attestations", grants.toString(), "--out", p("c.proof"), setpoint(2)));
        assertEquals(44, prove.line().length());

        CliHarness.Run valid = ok(cli.run("verify", p("c.proof"), "--subject", contractor, "--param", "setpoint=21.5",
                setpoint(2)));
        assertTrue(valid.out().startsWith("valid: proof " + prove.line()), valid.out());
        assertTrue(valid.out().contains("when setpoint in [18,26]"), valid.out());
        assertFalse(valid.out().contains("conditional"), valid.out());
        assertOneLineError(cli.run("verify", p("c.proof"), "--param", "setpoint=30", setpoint(2)), 1, "CAVEAT_VIOLATED");

        // Changed default: without the use's parameters the caveat cannot be checked, and that is no "valid".
        CliHarness.Run unchecked = cli.run("verify", p("c.proof"), "--subject", contractor, setpoint(2));
        assertOneLineError(unchecked, 1, "CAVEAT_UNCHECKED");
        CliHarness.Run conditional = ok(cli.run("verify", p("c.proof"), "--subject", contractor, "--conditional",
                setpoint(2)));
        assertTrue(conditional.out().contains("conditional: holds only for a use where setpoint in [18,26]"),
                conditional.out());

        CliHarness.Run other = cli.run("verify", p("c.proof"), setpoint(3));
        assertOneLineError(other, 1, "RESOURCE_NOT_COVERED");

        CliHarness.Run read = cli.run("verify", p("c.proof"), "--json",
                "device:read@" + ns + "/building1/floor2/hvac/setpoint");
        assertEquals(1, read.code());
        JsonNode v = JSON.readTree(read.out());
        assertFalse(v.get("valid").asBoolean());
        assertEquals("PERMISSION_NOT_GRANTED", v.get("reason").asText());

        CliHarness.Run json = ok(cli.run("verify", p("c.proof"), "--json", "--conditional", setpoint(2)));
        JsonNode j = JSON.readTree(json.out());
        assertTrue(j.get("valid").asBoolean());
        assertEquals("VALID", j.get("reason").asText());
        assertTrue(j.get("conditional").asBoolean());
        assertEquals("setpoint in [18,26]", j.get("conditions").get(0).asText());
        assertEquals("2030-01-02T00:00:00Z", j.get("expires").asText(), "the 12h grant bounds the proof");
        assertEquals(contractor, j.get("subject").asText());
        assertEquals(2, j.get("policies").get(0).get("path").size());
    }

    @Test
    void verify_comparesParamsExactlyAboveTwoToThe33_andRefusesMorePrecision() {
        ok(cli.run("grant", "--attester", p("ns.ent"), "--subject", grants.resolve("contractor.pub").toString(),
                "--caveat", "x in [10000000000.000001, 10000000000.000003]", "--out",
                grants.resolve("ns-contractor-huge.pem").toString(), setpoint(2)));
        ok(cli.run("prove", "--subject", grants.resolve("contractor.pub").toString(), "--attestations", grants.toString(),
                "--out", p("c.proof"), setpoint(2)));
        for (String outside : new String[] {"x=10000000000", "x=10000000000.000004"}) {
            assertOneLineError(cli.run("verify", p("c.proof"), "--param", outside, setpoint(2)), 1, "CAVEAT_VIOLATED");
        }
        ok(cli.run("verify", p("c.proof"), "--param", "x=10000000000.000002", setpoint(2)));
        assertOneLineError(cli.run("verify", p("c.proof"), "--param", "x=10000000000.0000025", setpoint(2)), 2,
                "BAD_ARGUMENT");
    }

    @Test
    void verify_afterExpiry_isExpired_andBeforeIsNotYetValid() throws Exception {
        delegate();
        ok(cli.run("prove", "--subject", grants.resolve("contractor.pub").toString(), "--attestations", grants.toString(),
                "--out", p("c.proof"), setpoint(2)));
        assertOneLineError(cli.run("verify", p("c.proof"), "--at", "2030-01-02T00:00:01Z", setpoint(2)), 1, "EXPIRED");
        assertOneLineError(cli.run("verify", p("c.proof"), "--at", "2029-12-31T00:00:00Z", setpoint(2)), 1,
                "NOT_YET_VALID");
        assertOneLineError(cli.run("verify", p("c.proof"), "--at", "tomorrow", setpoint(2)), 2, "BAD_ARGUMENT");
    }

    @Test
    void verify_wrongSubject_isRefused() throws Exception {
        delegate();
        ok(cli.run("prove", "--subject", grants.resolve("contractor.pub").toString(), "--attestations", grants.toString(),
                "--out", p("c.proof"), setpoint(2)));
        assertOneLineError(cli.run("verify", p("c.proof"), "--subject", manager, setpoint(2)), 1, "WRONG_SUBJECT");
    }

    @Test
    void prove_passesOverAShorterPathWhoseDailyWindowExcludesNow() throws Exception {
        delegate();
        // It is 12:00 UTC: the direct grant holds only in the mornings, so the delegated path is the one valid now.
        ok(cli.run("grant", "--attester", p("ns.ent"), "--subject", grants.resolve("contractor.pub").toString(),
                "--caveat", "time in 08:00-11:00", "--out", grants.resolve("ns-contractor-mornings.pem").toString(),
                setpoint(2)));
        CliHarness.Run prove = ok(cli.run("prove", "--subject", grants.resolve("contractor.pub").toString(),
                "--attestations", grants.toString(), "--out", p("c.proof"), "--json", setpoint(2)));
        JsonNode j = JSON.readTree(prove.out());
        assertEquals(1, j.get("paths").size());
        assertEquals(2, j.get("paths").get(0).size(), "the two-hop path without a window: " + j);
    }

    @Test
    void prove_answersNoProofNowWhenOnlyADailyWindowStandsInTheWay() {
        ok(cli.run("grant", "--attester", p("ns.ent"), "--subject", grants.resolve("contractor.pub").toString(),
                "--caveat", "time in 08:00-11:00", "--out", grants.resolve("ns-contractor-mornings.pem").toString(),
                setpoint(2)));
        CliHarness.Run r = cli.run("prove", "--subject", grants.resolve("contractor.pub").toString(), "--attestations",
                grants.toString(), "--out", p("c.proof"), setpoint(2));
        assertOneLineError(r, 1, "NO_PROOF");
        assertTrue(r.err().contains("time in 08:00-11:00 UTC") && r.err().contains("excludes now"), r.err());
        assertFalse(Files.exists(dir.resolve("c.proof")));
    }

    @Test
    void prove_refusesReDelegationBeyondIndirections() {
        delegate();
        ok(cli.run("entity", "create", "--out", p("helper.ent"), "--public-out", grants.resolve("helper.pub").toString(),
                "--no-passphrase"));
        ok(cli.run("grant", "--attester", p("contractor.ent"), "--subject", grants.resolve("helper.pub").toString(),
                "--out", grants.resolve("contractor-helper.pem").toString(), setpoint(2)));
        CliHarness.Run r = cli.run("prove", "--subject", grants.resolve("helper.pub").toString(), "--attestations",
                grants.toString(), "--out", p("h.proof"), setpoint(2));
        assertOneLineError(r, 1, "NO_PROOF");
        assertFalse(Files.exists(dir.resolve("h.proof")), "no proof file is written when there is no proof");
    }

    @Test
    void prove_skipsForgedGrantsWithAWarning() throws Exception {
        delegate();
        Path good = grants.resolve("manager-contractor.pem");
        String text = Files.readString(good);
        // Flip one base64 character inside the attestation block: the signature can no longer verify.
        int at = text.indexOf("-----BEGIN WAVE ATTESTATION-----") + 40;
        char c = text.charAt(at);
        String forged = text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1);
        Files.delete(good);
        Files.writeString(grants.resolve("forged.pem"), forged);
        CliHarness.Run r = cli.run("prove", "--subject", grants.resolve("contractor.pub").toString(), "--attestations",
                grants.toString(), "--out", p("c.proof"), setpoint(2));
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("wave: skipping"), r.err());
    }

    @Test
    void entityFiles_areOwnerOnly_andNeverOverwrittenWithoutForce() throws Exception {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir.resolve("ns.ent"));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
        byte[] before = Files.readAllBytes(dir.resolve("ns.ent"));
        assertOneLineError(cli.run("entity", "create", "--out", p("ns.ent"), "--no-passphrase"), 2, "BAD_ARGUMENT");
        assertTrue(Arrays.equals(before, Files.readAllBytes(dir.resolve("ns.ent"))), "the old key survives");
        ok(cli.run("entity", "create", "--out", p("ns.ent"), "--no-passphrase", "--force"));
        assertFalse(Arrays.equals(before, Files.readAllBytes(dir.resolve("ns.ent"))));
    }

    @Test
    void entityShow_reportsPublicFieldsAndSecretKind() throws Exception {
        JsonNode j = JSON.readTree(ok(cli.run("entity", "show", p("manager.ent"), "--json")).out());
        assertEquals(manager, j.get("id").asText());
        assertEquals("unencrypted", j.get("secret").asText());
        assertEquals("2030-01-01T12:00:00Z", j.get("notBefore").asText());
        assertEquals("2031-01-01T12:00:00Z", j.get("notAfter").asText(), "default expiry is 365 days");
        JsonNode pub = JSON.readTree(ok(cli.run("entity", "show", grants.resolve("manager.pub").toString(), "--json")).out());
        assertEquals("none", pub.get("secret").asText());
    }

    @Test
    void sealedSecrets_needTheRightPassphrase() throws Exception {
        Path pass = dir.resolve("pass.txt");
        Files.writeString(pass, "a long passphrase\n");
        String sealed = ok(cli.run("entity", "create", "--out", p("sealed.ent"), "--passphrase-file", pass.toString())).line();
        assertTrue(Files.readString(dir.resolve("sealed.ent")).contains("WAVE ENCRYPTED ENTITY SECRET"));
        assertFalse(Files.readString(dir.resolve("sealed.ent")).contains("BEGIN WAVE ENTITY SECRET"));
        String policy = "device:read@" + ns + "/building1/x";

        assertOneLineError(cli.run("grant", "--attester", p("sealed.ent"), "--subject", manager, "--out", p("g.pem"),
                policy), 2, "PASSPHRASE_REQUIRED");
        Path wrong = dir.resolve("wrong.txt");
        Files.writeString(wrong, "not it\n");
        assertOneLineError(cli.run("grant", "--attester", p("sealed.ent"), "--passphrase-file", wrong.toString(),
                "--subject", manager, "--out", p("g.pem"), policy), 2, "BAD_PASSPHRASE");
        assertFalse(Files.exists(dir.resolve("g.pem")));

        cli.env.put("WAVE_PASSPHRASE", "a long passphrase");
        CliHarness.Run g = ok(cli.run("grant", "--attester", p("sealed.ent"), "--subject", manager, "--out", p("g.pem"), policy));
        JsonNode inspected = JSON.readTree(ok(cli.run("inspect", p("g.pem"), "--json")).out());
        JsonNode att = inspected.get("objects").get(0);
        assertEquals(g.line(), att.get("id").asText());
        assertEquals(sealed, att.get("attester").asText());
        assertEquals("valid", att.get("signature").asText());

        assertOneLineError(cli.run("entity", "create", "--out", p("x.ent"), "--no-passphrase", "--passphrase-file",
                pass.toString()), 2, "BAD_ARGUMENT");
    }

    @Test
    void damagedProofs_areUnreadableInput_exit2_withJsonReasonWhenAsked() throws Exception {
        delegate();
        ok(cli.run("prove", "--subject", grants.resolve("contractor.pub").toString(), "--attestations", grants.toString(),
                "--out", p("c.proof"), setpoint(2)));
        String text = Files.readString(dir.resolve("c.proof"));
        Files.writeString(dir.resolve("cut.proof"), text.substring(0, text.length() / 2));
        assertOneLineError(cli.run("verify", p("cut.proof"), setpoint(2)), 2, "MALFORMED");

        byte[] der = java.util.Base64.getMimeDecoder().decode(text.substring(text.indexOf("-----\n", text.indexOf("BEGIN")) + 6,
                text.indexOf("-----END")));
        byte[] padded = Arrays.copyOf(der, der.length + 1);
        Files.write(dir.resolve("padded.der"), padded);
        CliHarness.Run r = cli.run("verify", p("padded.der"), "--json", setpoint(2));
        assertOneLineError(r, 2, "MALFORMED");
        assertEquals("MALFORMED", JSON.readTree(r.out()).get("reason").asText());

        Files.write(dir.resolve("exact.der"), der);
        ok(cli.run("verify", p("exact.der"), "--param", "setpoint=20", setpoint(2)));
        assertOneLineError(cli.run("verify", p("missing.proof"), setpoint(2)), 2, "NOT_FOUND");
    }

    @Test
    void badArguments_getOneLineAndExit2() {
        assertOneLineError(cli.run("verify", p("x"), "device:read@nonsense"), 2, "BAD_ARGUMENT");
        assertOneLineError(cli.run("grant", "--attester", p("ns.ent"), "--subject", manager, "--out", p("g.pem"),
                "device:fly@" + ns + "/a"), 2, "BAD_ARGUMENT");
        assertOneLineError(cli.run("grant", "--attester", p("ns.ent"), "--subject", manager, "--out", p("g.pem"),
                "--expiry", "3 weeks", "device:read@" + ns + "/a"), 2, "BAD_ARGUMENT");
        assertOneLineError(cli.run("grant", "--attester", p("ns.ent"), "--subject", manager, "--out", p("g.pem"),
                "--caveat", "setpoint between 1 and 2", "device:read@" + ns + "/a"), 2, "BAD_ARGUMENT");
        assertOneLineError(cli.run("grant", "--attester", p("ns.ent"), "--subject", "not-an-id", "--out", p("g.pem"),
                "device:read@" + ns + "/a"), 2, "BAD_ARGUMENT");
        assertOneLineError(cli.run("grant", "--attester", grants.resolve("ns.pub").toString(), "--subject", manager,
                "--out", p("g.pem"), "device:read@" + ns + "/a"), 2, "NOT_FOUND");
        assertOneLineError(cli.run("grant", "--attester", p("ns.ent"), "--subject", manager, "--out", p("g.pem"),
                "device:read@" + ns + "/a//b"), 2, "BAD_ARGUMENT");

        CliHarness.Run usage = cli.run("grant", "--attester", p("ns.ent"));
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("Try 'wave grant --help'"), usage.err());
        assertEquals(2, cli.run("frobnicate").code());
        assertEquals(2, cli.run().code());
    }

    @Test
    void everyVerbAnswersHelp() {
        for (String[] verb : new String[][] {{}, {"entity"}, {"entity", "create"}, {"entity", "show"}, {"grant"},
                {"prove"}, {"verify"}, {"inspect"}, {"bench"}}) {
            String[] args = Arrays.copyOf(verb, verb.length + 1);
            args[verb.length] = "--help";
            CliHarness.Run r = cli.run(args);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: wave"), r.out());
        }
    }

    @Test
    void multiplePolicies_areProvedByUnionOfPaths() throws Exception {
        ok(cli.run("grant", "--attester", p("ns.ent"), "--subject", grants.resolve("contractor.pub").toString(),
                "--out", grants.resolve("read.pem").toString(), "device:read@" + ns + "/building1/*"));
        ok(cli.run("grant", "--attester", p("ns.ent"), "--subject", grants.resolve("contractor.pub").toString(),
                "--out", grants.resolve("act.pem").toString(), "device:actuate@" + ns + "/building1/floor2/*"));
        String both = "device:read,actuate@" + ns + "/building1/floor2/lamp";
        CliHarness.Run prove = ok(cli.run("prove", "--json", "--subject", grants.resolve("contractor.pub").toString(),
                "--attestations", grants.toString(), "--out", p("u.proof"), both));
        assertEquals(2, JSON.readTree(prove.out()).get("paths").size());
        ok(cli.run("verify", p("u.proof"), both));
        assertOneLineError(cli.run("verify", p("u.proof"), "device:read,actuate@" + ns + "/building1/floor3/lamp"), 1,
                "RESOURCE_NOT_COVERED");
    }

    @Test
    void dailyWindowCaveat_isCheckedAgainstTheClock() throws Exception {
        ok(cli.run("grant", "--attester", p("ns.ent"), "--subject", grants.resolve("contractor.pub").toString(),
                "--caveat", "time in 08:00-18:00", "--out", grants.resolve("day.pem").toString(),
                "device:read@" + ns + "/building1/*"));
        String req = "device:read@" + ns + "/building1/lamp";
        ok(cli.run("prove", "--subject", grants.resolve("contractor.pub").toString(), "--attestations", grants.toString(),
                "--out", p("d.proof"), req));
        ok(cli.run("verify", p("d.proof"), req));
        assertOneLineError(cli.run("verify", p("d.proof"), "--at", "2030-01-01T20:00:00Z", req), 1, "CAVEAT_VIOLATED");
        cli.clock = Clock.fixed(java.time.Instant.parse("2030-01-01T23:00:00Z"), ZoneOffset.UTC);
        assertOneLineError(cli.run("verify", p("d.proof"), req), 1, "CAVEAT_VIOLATED");
    }
}
