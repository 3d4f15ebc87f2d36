package io.wave.agent.ml;

import static io.wave.policy.testing.GrantBuilder.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.crypto.testing.TestEntities;
import io.wave.policy.Decision;
import io.wave.policy.DecisionRecord;
import io.wave.policy.GatedDecision;
import io.wave.policy.InferenceGate;
import io.wave.policy.Policy;
import io.wave.policy.ProofVerifier;
import io.wave.policy.ReasonCode;
import io.wave.policy.RevocationView;
import io.wave.policy.testing.GrantBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seam between a model and the devices: a decision within the model's caveats reaches the command
 * sink, one outside them is recorded with its reason and never does.
 */
class DecisionPathTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final EntitySecret NS = TestEntities.create("path/namespace");
    private static final EntitySecret MODEL = TestEntities.create("path/model");
    private static final Policy SETPOINT = Policy.parse("device:actuate@" + NS.id() + "/building1/floor2/hvac/setpoint");
    private static final UnverifiedProof PROOF = UnverifiedProof.assemble(List.of(NS.entity(), MODEL.entity()),
            List.of(GrantBuilder.grant("path/ns-model", NS, MODEL.id()).permissions("device", "actuate")
                    .resource("building1/+/hvac/setpoint").caveat("setpoint in [18,26]").caveat("confidence >= 0.8").sign()),
            List.of(List.of(0)));
    private static final float[] ROW = {900f, 10.5f, 4f};

    @TempDir
    Path dir;

    /** What the device SDK's command client will be: here, a list of what was sent. */
    private final List<GatedDecision> sent = new CopyOnWriteArrayList<>();

    @Test
    void submit_sendsADecisionWithinTheCaveats() {
        try (JsonlAuditLog audit = JsonlAuditLog.open(dir.resolve("audit.jsonl"), true)) {
            DecisionRecord r = path(audit).submit(decision(22, 0.93), PROOF, ROW);

            assertEquals(ReasonCode.VALID, r.reason());
            assertEquals(1, sent.size());
            assertEquals(0, new java.math.BigDecimal("22").compareTo(sent.get(0).decision().params().get("setpoint")));
            assertEquals(PROOF.id(), sent.get(0).proof().id());
            assertEquals(List.of(r), JsonlAuditLog.read(audit.file(), 10));
        }
    }

    @Test
    void submit_neverSendsADecisionOutsideTheCaveats() {
        try (JsonlAuditLog audit = JsonlAuditLog.open(dir.resolve("audit.jsonl"), true)) {
            DecisionPath path = path(audit);

            DecisionRecord tooHot = path.submit(decision(30, 0.99), PROOF, ROW);
            DecisionRecord unsure = path.submit(decision(21, 0.5), PROOF, ROW);

            assertEquals(ReasonCode.CAVEAT_VIOLATED, tooHot.reason());
            assertEquals(ReasonCode.CAVEAT_VIOLATED, unsure.reason());
            assertTrue(sent.isEmpty(), "nothing reached the sink: " + sent);
            List<DecisionRecord> logged = JsonlAuditLog.read(audit.file(), 10);
            assertEquals(List.of(tooHot, unsure), logged);
            assertEquals(DecisionRecord.digest(ROW), logged.get(0).input());
            assertEquals(PROOF.id(), logged.get(0).proof());
        }
    }

    @Test
    void read_refusesALogLineThatIsNoRecord() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        try (JsonlAuditLog audit = JsonlAuditLog.open(log, true)) {
            path(audit).submit(decision(22, 0.93), PROOF, ROW);
        }
        Files.writeString(log, "x".repeat(JsonlAuditLog.MAX_LINE_CHARS + 10) + "\n", StandardOpenOption.APPEND);

        WaveException e = assertThrows(WaveException.class,
                () -> JsonlAuditLog.read(log, 10));

        assertEquals(ErrorCode.MALFORMED, e.code());
        assertTrue(e.getMessage().contains(":2:"), e.getMessage());
    }

    private DecisionPath path(JsonlAuditLog audit) {
        return new DecisionPath(new InferenceGate(ProofVerifier.create(CLOCK, RevocationView.NONE)), audit, sent::add, CLOCK);
    }

    private static Decision decision(double setpoint, double confidence) {
        return new Decision(MODEL.id(), SETPOINT, Map.of("setpoint", java.math.BigDecimal.valueOf(setpoint)), confidence,
                "occupied");
    }
}
