package io.wave.agent.cli;

import static io.wave.agent.cli.BothWays.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.agent.client.AgentApi;
import io.wave.agent.client.AgentClient;
import io.wave.agent.files.EntityFiles;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verbs that reach the ledger, run locally and through an agent on the same ledger: the same output and the
 * same exit codes, and through the agent the work really done by the agent.
 */
class ThroughAgentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Entities and a grant between them, made offline by the local CLI: nothing is on the ledger yet. */
    private record Offline(String ns, String dev, String grant, Path grantFile) {}

    private Offline offline(BothWays w) {
        String ns = expect(w.local, 0, "entity", "create", "--out", dir.resolve("ns.ent").toString(), "--no-passphrase",
                "--no-publish").line();
        String dev = expect(w.local, 0, "entity", "create", "--out", dir.resolve("dev.ent").toString(), "--no-passphrase",
                "--no-publish").line();
        Path file = dir.resolve("g.pem");
        String grant = expect(w.local, 0, "grant", "--attester", dir.resolve("ns.ent").toString(), "--subject",
                dir.resolve("dev.ent").toString(), "--out", file.toString(), "--no-publish", "device:read@" + ns + "/b1/*")
                .line();
        return new Offline(ns, dev, grant, file);
    }

    @Test
    void publish_throughTheAgent_writesOnItsLedger_andPrintsWhatALocalPublishPrints() throws Exception {
        try (BothWays w = BothWays.start(dir)) {
            Offline o = offline(w);
            assertEquals(0, w.stored.size(), "made offline: nothing published yet");

            CliHarness.Run viaAgent = expect(w.remote, 0, "publish", o.grantFile().toString());
            assertEquals("entity " + o.ns() + " 0\nentity " + o.dev() + " 1\nattestation " + o.grant() + " 2\n", viaAgent.out());
            assertEquals(3, w.stored.size(), "the agent wrote both entities and the grant");
            // The same file again, locally: the ledger answers with the receipts it gave, printed alike.
            assertEquals(viaAgent.out(), expect(w.local, 0, "publish", o.grantFile().toString()).out());
            JsonNode json = JSON.readTree(w.same(0, "publish", "--json", o.grantFile().toString()).out());
            assertEquals(3, json.path("head").path("size").asLong(), json.toString());
            assertEquals(2, json.path("objects").get(2).path("index").asLong(), json.toString());

            // The agent's index has read what it published: it proves from it at once.
            expect(w.remote, 0, "prove", "--subject", o.dev(), "--out", dir.resolve("p.proof").toString(),
                    "device:read@" + o.ns() + "/b1/lamp");
        }
    }

    @Test
    void publish_ofWhatTheLedgerRefuses_failsAlikeBothWays_andWritesNothing() throws Exception {
        try (BothWays w = BothWays.start(dir)) {
            Offline o = offline(w);
            Path garbage = dir.resolve("garbage.pem");
            Files.writeString(garbage, "-----BEGIN WAVE ATTESTATION-----\nAAAA\n-----END WAVE ATTESTATION-----\n");
            CliHarness.Run malformed = w.same(2, "publish", garbage.toString());
            assertTrue(malformed.err().startsWith("wave: MALFORMED: "), malformed.err());

            // Signed, but by an entity the ledger has never seen and the file does not carry.
            String text = Files.readString(o.grantFile());
            Path lone = dir.resolve("lone.pem");
            Files.writeString(lone, text.substring(0, text.indexOf("-----END WAVE ATTESTATION-----\n")
                    + "-----END WAVE ATTESTATION-----\n".length()));
            CliHarness.Run orphan = w.same(2, "publish", lone.toString());
            assertTrue(orphan.err().startsWith("wave: NOT_FOUND: "), orphan.err());
            // One bad object refuses the whole write, through the agent as locally.
            Path mixed = dir.resolve("mixed.pem");
            Files.writeString(mixed, Files.readString(dir.resolve("ns.ent")) + Files.readString(garbage));
            w.same(2, "publish", mixed.toString());
            assertEquals(0, w.stored.size(), "nothing was written");

            w.remote.env.remove("WAVE_AGENT_TOKEN");
            CliHarness.Run refused = expect(w.remote, 2, "publish", o.grantFile().toString());
            assertTrue(refused.err().startsWith("wave: UNAUTHORIZED: "), refused.err());
            assertEquals(0, w.stored.size(), "nothing was written without the token");
        }
    }

    @Test
    void ledgerStatusAndAudit_printTheSameBothWays() throws Exception {
        try (BothWays w = BothWays.start(dir)) {
            Offline o = offline(w);
            expect(w.local, 0, "publish", o.grantFile().toString());

            JsonNode status = JSON.readTree(w.same(0, "ledger", "status", "--json").out());
            assertEquals(w.ledgerUrl, status.path("ledger").asText(), status.toString());
            assertEquals(3, status.path("size").asLong(), status.toString());
            assertEquals(1, status.path("keptHeads").asInt(), "each side kept the head it checked: " + status);
            assertTrue(status.path("anchoredHead").isNull(), status.toString());
            assertTrue(w.same(0, "ledger", "status").out().contains("kept heads:  1 (consistent)"));
            CliHarness.Run audit = w.same(0, "ledger", "audit");
            assertTrue(audit.out().startsWith("audit: ok: 3 entries hash to the signed root "), audit.out());
            JsonNode audited = JSON.readTree(w.same(0, "ledger", "audit", "--json").out());
            assertTrue(audited.path("ok").asBoolean(), audited.toString());
            assertEquals(status.path("head").path("root").asText(), audited.path("root").asText());

            // The agent checks no anchor: one given is refused, not skipped.
            CliHarness.Run anchored = expect(w.remote, 2, "ledger", "status", "--anchor",
                    "ethereum:http://127.0.0.1:9?contract=0x0000000000000000000000000000000000000000");
            assertTrue(anchored.err().startsWith("wave: BAD_ARGUMENT: --anchor"), anchored.err());
            // Status is for anyone; an audit reads the whole ledger, so only the agent's owner may ask for one.
            w.remote.env.remove("WAVE_AGENT_TOKEN");
            expect(w.remote, 0, "ledger", "status");
            CliHarness.Run refused = expect(w.remote, 2, "ledger", "audit");
            assertTrue(refused.err().startsWith("wave: UNAUTHORIZED: "), refused.err());
        }
    }

    @Test
    void grant_publishesTheSubjectsEntity_soAProofCanBeBuilt_throughTheAgentAsLocally() throws Exception {
        try (BothWays w = BothWays.start(dir)) {
            String nsHere = expect(w.local, 0, "entity", "create", "--out", dir.resolve("ns.ent").toString(),
                    "--no-passphrase").line();
            String nsHeld = expect(w.remote, 0, "entity", "create").line();
            // Devices made offline: the ledger has never seen them, and a proof for one needs its entity.
            Path devA = dir.resolve("dev-a.pub");
            Path devB = dir.resolve("dev-b.pub");
            String a = expect(w.local, 0, "entity", "create", "--out", dir.resolve("dev-a.ent").toString(), "--public-out",
                    devA.toString(), "--no-passphrase", "--no-publish").line();
            String b = expect(w.local, 0, "entity", "create", "--out", dir.resolve("dev-b.ent").toString(), "--public-out",
                    devB.toString(), "--no-passphrase", "--no-publish").line();

            CliHarness.Run viaAgent = expect(w.remote, 0, "grant", "--attester", nsHeld, "--subject", devA.toString(),
                    "--out", dir.resolve("ga.pem").toString(), "device:read@" + nsHeld + "/b1/*");
            CliHarness.Run here = expect(w.local, 0, "grant", "--attester", dir.resolve("ns.ent").toString(), "--subject",
                    devB.toString(), "--out", dir.resolve("gb.pem").toString(), "device:read@" + nsHere + "/b1/*");
            assertTrue(viaAgent.out().matches("[A-Za-z0-9_-]{44}\n") && here.out().matches("[A-Za-z0-9_-]{44}\n"),
                    "one id each: " + viaAgent.out() + here.out());
            assertEquals("", viaAgent.err() + here.err());

            // What is wrong with the command line is wrong alike both ways.
            CliHarness.Run badSubject = w.same(2, "grant", "--attester", nsHeld, "--subject", "nobody", "device:read@" + nsHeld
                    + "/b1/*");
            assertTrue(badSubject.err().startsWith("wave: BAD_ARGUMENT: 'nobody' is neither"), badSubject.err());
            w.same(2, "grant", "--attester", nsHeld, "--subject", a, "device:read@" + nsHeld + "/b1/*", "--indirections", "-1");

            // An entity sent along must be the subject's: the agent publishes nothing under another's id.
            long size = w.stored.size();
            String derB = Base64.getEncoder().encodeToString(EntityFiles.readPublic(devB).encoded());
            WaveException mismatch = assertThrows(WaveException.class, () -> AgentClient.of(w.agent.uri(), w.token)
                    .grant(new AgentApi.GrantRequest(nsHeld, a, List.of("device:read@" + nsHeld + "/b2/*"), 0, null, null, derB)));
            assertEquals(ErrorCode.BAD_ARGUMENT, mismatch.code(), mismatch.getMessage());
            assertEquals(size, w.stored.size(), "nothing was published");

            // Each device's proof builds, through the agent and here, from what its grant published.
            for (String[] dev : new String[][] {{a, nsHeld}, {b, nsHere}}) {
                String policy = "device:read@" + dev[1] + "/b1/lamp";
                expect(w.remote, 0, "prove", "--subject", dev[0], "--out", dir.resolve(dev[0] + ".agent.proof").toString(),
                        policy);
                expect(w.local, 0, "prove", "--subject", dev[0], "--out", dir.resolve(dev[0] + ".local.proof").toString(),
                        policy);
            }
        }
    }

    @Test
    void entityImport_givesTheAgentAKeyMadeOffline_sealedUnderItsOwnPassphrase_andItActsWithIt() throws Exception {
        try (BothWays w = BothWays.start(dir)) {
            Path pass = dir.resolve("pass.txt");
            Files.writeString(pass, "the file's passphrase\n");
            Path wrongPass = dir.resolve("wrong.txt");
            Files.writeString(wrongPass, "not it\n");
            Path nsFile = dir.resolve("ns.ent");
            String ns = expect(w.local, 0, "entity", "create", "--out", nsFile.toString(), "--passphrase-file", pass.toString(),
                    "--no-publish").line();

            CliHarness.Run noAgent = expect(w.local, 2, "entity", "import", nsFile.toString(), "--passphrase-file",
                    pass.toString());
            assertTrue(noAgent.err().startsWith("wave: BAD_ARGUMENT: entity import gives an entity's key to an agent"),
                    noAgent.err());
            CliHarness.Run wrong = expect(w.remote, 2, "entity", "import", nsFile.toString(), "--passphrase-file",
                    wrongPass.toString());
            assertTrue(wrong.err().startsWith("wave: BAD_PASSPHRASE: "), wrong.err());
            AgentClient client = AgentClient.of(w.agent.uri(), w.token);
            assertEquals(404, statusOf(() -> client.entity(ns)), "nothing reached the agent or the ledger");

            assertEquals(ns + "\n", expect(w.remote, 0, "entity", "import", nsFile.toString(), "--passphrase-file",
                    pass.toString()).out());
            assertEquals(ns + "\n", expect(w.remote, 0, "entity", "import", nsFile.toString(), "--passphrase-file",
                    pass.toString()).out(), "the same entity again: the same answer");
            JsonNode held = client.entity(ns);
            assertTrue(held.path("held").asBoolean(), "held, and published: " + held);

            // At rest the key is sealed under the agent's passphrase, not the file's, and owner-only.
            Path key = dir.resolve("agent").resolve("keys").resolve(ns + ".ent");
            String text = Files.readString(key);
            assertTrue(text.contains("BEGIN WAVE ENCRYPTED ENTITY SECRET") && !text.contains("BEGIN WAVE ENTITY SECRET"), text);
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            assertEquals(ns, EntityFiles.readSecret(key, BothWays.PASSPHRASE::toCharArray).id().toString());
            WaveException fileKey = assertThrows(WaveException.class,
                    () -> EntityFiles.readSecret(key, "the file's passphrase"::toCharArray));
            assertEquals(ErrorCode.BAD_PASSPHRASE, fileKey.code());

            // The agent acts with it: a grant to a device made offline (its key imported too, unsealed), and a proof.
            Path devFile = dir.resolve("dev.ent");
            String dev = expect(w.local, 0, "entity", "create", "--out", devFile.toString(), "--no-passphrase",
                    "--no-publish").line();
            expect(w.remote, 0, "entity", "import", devFile.toString());
            expect(w.remote, 0, "grant", "--attester", ns, "--subject", dev, "device:read@" + ns + "/b1/*");
            expect(w.remote, 0, "prove", "--subject", dev, "--out", dir.resolve("p.proof").toString(),
                    "device:read@" + ns + "/b1/lamp");

            // A key does not cross the network in the clear, and the agent takes none without its token.
            WaveException remote = assertThrows(WaveException.class, () -> AgentClient.of(
                    java.net.URI.create("http://192.0.2.1:8410"), w.token).importEntity(EntityFiles.readSecret(devFile, null)));
            assertEquals(ErrorCode.BAD_ARGUMENT, remote.code(), remote.getMessage());
            w.remote.env.remove("WAVE_AGENT_TOKEN");
            Path other = dir.resolve("other.ent");
            String otherId = expect(w.local, 0, "entity", "create", "--out", other.toString(), "--no-passphrase",
                    "--no-publish").line();
            CliHarness.Run refused = expect(w.remote, 2, "entity", "import", other.toString());
            assertTrue(refused.err().startsWith("wave: UNAUTHORIZED: "), refused.err());
            assertEquals(404, statusOf(() -> client.entity(otherId)));
        }
    }

    @Test
    void verifyAndProve_answerTheSameBothWays_onWhatEitherPublished() throws Exception {
        try (BothWays w = BothWays.start(dir)) {
            Offline o = offline(w);
            expect(w.remote, 0, "publish", o.grantFile().toString());
            String lamp = "device:read@" + o.ns() + "/b1/lamp";
            Path proof = dir.resolve("p.proof");
            expect(w.local, 0, "prove", "--subject", o.dev(), "--out", proof.toString(), lamp);

            CliHarness.Run valid = w.same(0, "verify", proof.toString(), lamp);
            assertTrue(valid.out().startsWith("valid: proof "), valid.out());
            w.same(0, "verify", "--json", "--subject", o.dev(), proof.toString(), lamp);
            CliHarness.Run denied = w.same(1, "verify", proof.toString(), "device:actuate@" + o.ns() + "/b1/lamp");
            assertTrue(denied.err().startsWith("PERMISSION_NOT_GRANTED: "), denied.err());
            CliHarness.Run none = w.same(1, "prove", "--subject", o.dev(), "--out", dir.resolve("none.proof").toString(),
                    "device:read@" + o.ns() + "/b2/lamp");
            assertTrue(none.err().startsWith("wave: NO_PROOF: "), none.err());
        }
    }

    @Test
    void aLedgerThatIsAway_isUnavailableAlikeBothWays() throws Exception {
        try (BothWays w = BothWays.start(dir)) {
            Offline o = offline(w);
            w.server.stop();
            CliHarness.Run status = w.same(3, "ledger", "status");
            assertTrue(status.err().startsWith("wave: UNAVAILABLE: "), status.err());
            // A publish is queued where the ledger client lives, and the message says where: here, or the agent's state.
            CliHarness.Run here = expect(w.local, 3, "publish", o.grantFile().toString());
            CliHarness.Run viaAgent = expect(w.remote, 3, "publish", o.grantFile().toString());
            assertTrue(here.err().startsWith("wave: UNAVAILABLE: ") && here.err().contains("local-home"), here.err());
            assertTrue(viaAgent.err().startsWith("wave: UNAVAILABLE: ") && viaAgent.err().contains("agent-ledger-state"),
                    viaAgent.err());
            assertEquals(here.err().substring(0, here.err().indexOf(" queued in ")),
                    viaAgent.err().substring(0, viaAgent.err().indexOf(" queued in ")));
        }
    }

    /** The HTTP status of the error a call ends with (200 when it does not fail). */
    private static int statusOf(Runnable call) {
        try {
            call.run();
            return 200;
        } catch (WaveException e) {
            return e.code().httpStatus();
        }
    }
}
