package io.wave.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.agent.ml.JsonlAuditLog;
import io.wave.crypto.testing.TestEntities;
import io.wave.policy.DecisionRecord;
import io.wave.policy.ReasonCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wave model} and {@code wave infer audit} as a user types them: exit codes and one-line errors. */
class ModelCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CliHarness cli() {
        return new CliHarness("ModelCliTest", dir.resolve("home"));
    }

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void model_dataThenTrainThenInspect() throws Exception {
        CliHarness cli = cli();
        CliHarness.Run data = cli.run("model", "data", "--rows", "1500", "--seed", "3", "--out", p("building.csv"));
        assertEquals(0, data.code(), data.err());
        assertEquals(1501, Files.readAllLines(dir.resolve("building.csv")).size());

        CliHarness.Run train = cli.run("model", "train", "--csv", p("building.csv"), "--label", "occupied", "--out",
                p("occupancy.onnx"), "--json");
        assertEquals(0, train.code(), train.err());
        JsonNode t = JSON.readTree(train.out());
        assertEquals(1500, t.get("rows").asInt());
        assertTrue(t.get("training_accuracy").asDouble() > 0.85, train.out());

        CliHarness.Run inspect = cli.run("model", "inspect", p("occupancy.onnx"), "--json");
        assertEquals(0, inspect.code(), inspect.err());
        JsonNode i = JSON.readTree(inspect.out());
        assertEquals(3, i.get("features").asInt());
        assertEquals("co2", i.get("feature_names").get(0).asText());
    }

    @Test
    void model_trainRefusesToOverwriteWithoutForce() throws Exception {
        CliHarness cli = cli();
        assertEquals(0, cli.run("model", "data", "--rows", "300", "--out", p("d.csv")).code());
        Files.writeString(dir.resolve("m.onnx"), "keep me");

        CliHarness.Run r = cli.run("model", "train", "--csv", p("d.csv"), "--label", "occupied", "--out", p("m.onnx"));

        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("wave: BAD_ARGUMENT: "), r.err());
        assertEquals("keep me", Files.readString(dir.resolve("m.onnx")));
    }

    @Test
    void model_inspectOfGarbageIsMalformed() throws Exception {
        Files.write(dir.resolve("garbage.onnx"), new byte[] {0x42, 0x13, 0x37, 0x00, (byte) 0xff});

        CliHarness.Run r = cli().run("model", "inspect", p("garbage.onnx"));

        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("wave: MALFORMED: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void model_trainWithoutTheLabelColumnIsABadArgument() {
        CliHarness cli = cli();
        assertEquals(0, cli.run("model", "data", "--rows", "100", "--out", p("d.csv")).code());

        CliHarness.Run r = cli.run("model", "train", "--csv", p("d.csv"), "--label", "presence", "--out", p("m.onnx"));

        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("wave: BAD_ARGUMENT: "), r.err());
    }

    @Test
    void infer_serveRefusesAResourceThatIsNoModel() {
        CliHarness.Run r = cli().run("infer", "serve", "--model", p("m.onnx"), "--as", TestEntities.create("m").id().toString(),
                "--resource", "building1/hvac");

        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("wave: BAD_ARGUMENT: "), r.err());
    }

    @Test
    void infer_auditPrintsTheNewestRecords() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        var model = TestEntities.create("audit/model").id();
        try (JsonlAuditLog a = JsonlAuditLog.open(log, true)) {
            for (int i = 0; i < 3; i++) {
                a.append(new DecisionRecord(Instant.parse("2030-01-01T12:00:0" + i + "Z"), DecisionRecord.Kind.INFERENCE, model,
                        model, "ml:infer@" + model + "/models/m", DecisionRecord.digest(new float[] {i}), i == 2 ? null : "occupied",
                        i == 2 ? Double.NaN : 0.9, null, i == 2 ? ReasonCode.REVOKED : ReasonCode.VALID, i == 2 ? "revoked" : "valid"));
            }
        }

        CliHarness.Run text = cli().run("infer", "audit", "--log", log.toString(), "--last", "2");
        CliHarness.Run json = cli().run("infer", "audit", "--log", log.toString(), "--json");
        CliHarness.Run missing = cli().run("infer", "audit", "--log", p("none.jsonl"));

        assertEquals(0, text.code(), text.err());
        assertEquals(2, text.out().strip().lines().count(), text.out());
        assertTrue(text.out().contains("REVOKED"), text.out());
        assertEquals(3, json.out().strip().lines().count());
        assertEquals("VALID", JSON.readTree(json.out().lines().findFirst().orElseThrow()).get("reason").asText());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("wave: NOT_FOUND: "), missing.err());
    }
}
