package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wave graph} without an agent: the whole ledger read into a graph, revocations marked. */
class GraphCommandTest {
    @TempDir
    Path dir;

    private static CliHarness.Run ok(CliHarness.Run r) {
        assertEquals(0, r.code(), () -> "stdout: " + r.out() + "\nstderr: " + r.err());
        return r;
    }

    @Test
    void graph_listsEveryEntityAndGrant_marksTheRevoked_andSpeaksDot() throws Exception {
        CliHarness cli = new CliHarness("GraphCommandTest", dir.resolve("home"));
        String ns = ok(cli.run("entity", "create", "--out", dir.resolve("ns.ent").toString(), "--no-passphrase")).line();
        String dev = ok(cli.run("entity", "create", "--out", dir.resolve("dev.ent").toString(), "--no-passphrase")).line();
        String kept = ok(cli.run("grant", "--attester", dir.resolve("ns.ent").toString(), "--subject", dev, "--out",
                dir.resolve("a.pem").toString(), "device:read@" + ns + "/building1/*")).line();
        String revoked = ok(cli.run("grant", "--attester", dir.resolve("ns.ent").toString(), "--subject", dev, "--out",
                dir.resolve("b.pem").toString(), "device:actuate@" + ns + "/building1/*")).line();
        ok(cli.run("revoke", "--attestation", revoked, "--as", dir.resolve("ns.ent").toString()));

        JsonNode g = new ObjectMapper().readTree(ok(cli.run("graph")).out());
        assertEquals(2, g.path("entities").size(), g.toString());
        assertEquals(2, g.path("grants").size(), g.toString());
        for (JsonNode e : g.path("grants")) {
            assertEquals(ns, e.path("attester").asText());
            assertEquals(dev, e.path("subject").asText());
            assertEquals(e.path("id").asText().equals(revoked), e.path("revoked").asBoolean(), e.toString());
        }
        String dot = ok(cli.run("graph", "--dot")).out();
        assertTrue(dot.startsWith("digraph wave {"), dot);
        assertTrue(dot.contains("\"" + ns + "\" -> \"" + dev + "\" [label=\"device:read@" + ns + "/building1/*\"];"), dot);
        assertTrue(dot.contains("style=dashed"), dot);
        assertFalse(kept.equals(revoked));
    }
}
