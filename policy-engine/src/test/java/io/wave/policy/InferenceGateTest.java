package io.wave.policy;

import static io.wave.policy.testing.GrantBuilder.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.crypto.testing.TestEntities;
import io.wave.policy.testing.GrantBuilder;
import io.wave.policy.testing.TestRevocations;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two questions of the inference gate, as a building operator would pose them: may this caller ask the
 * occupancy model, and may the model's decision reach the thermostat? Every refusal is a verdict with its
 * stable reason, never an exception.
 */
class InferenceGateTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    private static final EntitySecret NS = TestEntities.create("gate/namespace");
    private static final EntitySecret CALLER = TestEntities.create("gate/caller");
    private static final EntitySecret STRANGER = TestEntities.create("gate/stranger");
    private static final EntitySecret MODEL = TestEntities.create("gate/model");

    private static final ModelRef OCCUPANCY = new ModelRef(NS.id(), "occupancy");
    private static final ModelRef ANOMALY = new ModelRef(NS.id(), "anomaly");
    private static final String SETPOINT = "building1/floor2/hvac/setpoint";

    private final TestRevocations revocations = new TestRevocations();
    private final InferenceGate gate = new InferenceGate(ProofVerifier.create(CLOCK, revocations));

    // ------------------------------------------------------------------ who may ask a model

    @Test
    void authorizeInference_grantsACallerWithInferOnTheModel() {
        UnverifiedProof proof = proof(inferGrant("gate/infer", "models/occupancy").sign(), CALLER);

        Verdict v = gate.authorizeInference(proof, CALLER.id(), OCCUPANCY);

        assertTrue(v.valid(), v.detail());
        assertEquals(proof.id(), v.proof());
        assertEquals(CALLER.id(), v.subject());
    }

    @Test
    void authorizeInference_aGrantOnModelsStarCoversEveryModel() {
        UnverifiedProof proof = proof(inferGrant("gate/infer-all", "models/*").sign(), CALLER);

        assertTrue(gate.authorizeInference(proof, CALLER.id(), OCCUPANCY).valid());
        assertTrue(gate.authorizeInference(proof, CALLER.id(), ANOMALY).valid());
    }

    @Test
    void authorizeInference_refusesAProofForAnotherModel() {
        UnverifiedProof proof = proof(inferGrant("gate/infer-anomaly", "models/anomaly").sign(), CALLER);

        assertReason(ReasonCode.RESOURCE_NOT_COVERED, gate.authorizeInference(proof, CALLER.id(), OCCUPANCY));
    }

    @Test
    void authorizeInference_refusesAProofOfAnotherPermission() {
        Attestation actuate = GrantBuilder.grant("gate/actuate-models", NS, CALLER.id()).permissions("device", "actuate")
                .resource("models/*").sign();

        assertReason(ReasonCode.PERMISSION_NOT_GRANTED, gate.authorizeInference(proof(actuate, CALLER), CALLER.id(), OCCUPANCY));
    }

    @Test
    void authorizeInference_refusesAProofForSomeoneElse() {
        UnverifiedProof callers = proof(inferGrant("gate/infer", "models/occupancy").sign(), CALLER);

        assertReason(ReasonCode.WRONG_SUBJECT, gate.authorizeInference(callers, STRANGER.id(), OCCUPANCY));
    }

    @Test
    void authorizeInference_refusesAnExpiredProof() {
        Attestation expired = inferGrant("gate/infer-expired", "models/occupancy").validity(NOW - 7200, NOW - 3600).sign();

        assertReason(ReasonCode.EXPIRED, gate.authorizeInference(proof(expired, CALLER), CALLER.id(), OCCUPANCY));
    }

    @Test
    void authorizeInference_refusesARevokedProof() {
        GrantBuilder b = inferGrant("gate/infer-revoked", "models/occupancy");
        UnverifiedProof proof = proof(b.sign(), CALLER);
        assertTrue(gate.authorizeInference(proof, CALLER.id(), OCCUPANCY).valid());

        revocations.revoke(NS.attestationRevocationSecret(b.nonce()));

        assertReason(ReasonCode.REVOKED, gate.authorizeInference(proof, CALLER.id(), OCCUPANCY));
    }

    @Test
    void authorizeInference_failsClosedWhenRevocationIsUnknown() {
        GrantBuilder b = inferGrant("gate/infer-unknown", "models/occupancy");
        revocations.unknown(NS.attestationRevocationSecret(b.nonce()).commitment());

        assertReason(ReasonCode.REVOKED, gate.authorizeInference(proof(b.sign(), CALLER), CALLER.id(), OCCUPANCY));
    }

    @Test
    void authorizeInference_refusesBytesThatAreNoProof() {
        Verdict v = gate.authorizeInference(new byte[] {0x30, 0x03, 0x02, 0x01, 0x07}, CALLER.id(), OCCUPANCY);

        assertReason(ReasonCode.MALFORMED, v);
        assertNull(v.proof());
    }

    @Test
    void authorizeInference_refusesAnInferGrantWithAConfidenceFloor() {
        // a request to a model has no confidence yet: a condition that cannot be checked refuses
        Attestation floored = inferGrant("gate/infer-floor", "models/occupancy").caveat("confidence >= 0.5").sign();

        assertReason(ReasonCode.CAVEAT_VIOLATED, gate.authorizeInference(proof(floored, CALLER), CALLER.id(), OCCUPANCY));
    }

    // ------------------------------------------------------------------ what a model may do

    @Test
    void authorize_passesADecisionInsideTheCaveats() {
        GatedDecision g = gate.authorize(decision("21.5", 0.93), proof(thermostatGrant("gate/model-hvac").sign(), MODEL));

        assertTrue(g.valid(), g.verdict().detail());
        assertEquals(ReasonCode.VALID, g.verdict().reason());
    }

    @Test
    void authorize_passesTheRangeBoundsThemselves() {
        UnverifiedProof proof = proof(thermostatGrant("gate/model-hvac").sign(), MODEL);

        assertTrue(gate.authorize(decision("18", 0.8), proof).valid());
        assertTrue(gate.authorize(decision("26", 1.0), proof).valid());
    }

    @Test
    void authorize_refusesASetpointOutsideTheRange() {
        UnverifiedProof proof = proof(thermostatGrant("gate/model-hvac").sign(), MODEL);

        GatedDecision hot = gate.authorize(decision("30", 0.99), proof);
        GatedDecision cold = gate.authorize(decision("17.99", 0.99), proof);

        assertReason(ReasonCode.CAVEAT_VIOLATED, hot.verdict());
        assertTrue(hot.verdict().detail().contains("setpoint"), hot.verdict().detail());
        assertReason(ReasonCode.CAVEAT_VIOLATED, cold.verdict());
        assertFalse(hot.valid());
    }

    @Test
    void authorize_refusesAConfidenceBelowTheFloor() {
        GatedDecision g = gate.authorize(decision("21", 0.79), proof(thermostatGrant("gate/model-hvac").sign(), MODEL));

        assertReason(ReasonCode.CAVEAT_VIOLATED, g.verdict());
        assertTrue(g.verdict().detail().contains("confidence"), g.verdict().detail());
    }

    @Test
    void authorize_comparesParametersExactlyAboveTwoToThe33() {
        UnverifiedProof proof = proof(GrantBuilder.grant("gate/model-huge", NS, MODEL.id()).permissions("device", "actuate")
                .resource(SETPOINT).caveat("setpoint in [10000000000.000001, 10000000000.000003]").sign(), MODEL);

        assertReason(ReasonCode.CAVEAT_VIOLATED, gate.authorize(decision("10000000000", 0.9), proof).verdict());
        assertReason(ReasonCode.CAVEAT_VIOLATED, gate.authorize(decision("10000000000.000004", 0.9), proof).verdict());
        assertTrue(gate.authorize(decision("10000000000.000002", 0.9), proof).valid());
    }

    @Test
    void authorize_cutsAModelsConfidenceToSixDecimalsBeforeTheFloor() {
        UnverifiedProof proof = proof(thermostatGrant("gate/model-hvac").sign(), MODEL);

        // 0.7999999999 would round to 0.8; cut, it stays below the floor, as the float itself is.
        assertReason(ReasonCode.CAVEAT_VIOLATED, gate.authorize(decision("21", 0.7999999999), proof).verdict());
        assertTrue(gate.authorize(decision("21", 0.8), proof).valid());
        assertEquals(ParamValue.number("0.799999"), decision("21", 0.7999999999).confidenceValue());
    }

    @Test
    void authorize_refusesADecisionWithoutConfidenceUnderAFloor() {
        GatedDecision g = gate.authorize(decision("21", Double.NaN), proof(thermostatGrant("gate/model-hvac").sign(), MODEL));

        assertReason(ReasonCode.CAVEAT_VIOLATED, g.verdict());
    }

    @Test
    void authorize_refusesADecisionWithoutTheBoundedParameter() {
        Decision noSetpoint = new Decision(MODEL.id(), target(SETPOINT), Map.of("fan", new BigDecimal("2")), 0.9, "occupied");

        assertReason(ReasonCode.CAVEAT_VIOLATED, gate.authorize(noSetpoint,
                proof(thermostatGrant("gate/model-hvac").sign(), MODEL)).verdict());
    }

    @Test
    void authorize_refusesADecisionOutsideTheDailyWindow() {
        InferenceGate evening = new InferenceGate(ProofVerifier.create(
                Clock.fixed(Instant.ofEpochSecond(NOW + 7 * 3600), ZoneOffset.UTC), revocations));

        GatedDecision g = evening.authorize(decision("21", 0.9), proof(thermostatGrant("gate/model-hvac").sign(), MODEL));

        assertReason(ReasonCode.CAVEAT_VIOLATED, g.verdict());
        assertTrue(g.verdict().detail().contains("daily window"), g.verdict().detail());
    }

    @Test
    void authorize_conjoinsCaveatsAlongThePath() {
        // the operator allows [18,26]; the facilities team narrows it to [20,23] for its model
        EntitySecret facilities = TestEntities.create("gate/facilities");
        Attestation toTeam = GrantBuilder.grant("gate/ns-facilities", NS, facilities.id()).permissions("device", "actuate")
                .resource("building1/*").indirections(1).caveat("setpoint in [18,26]").sign();
        Attestation toModel = GrantBuilder.grant("gate/facilities-model", facilities, MODEL.id()).in(NS.id())
                .permissions("device", "actuate").resource(SETPOINT).caveat("setpoint in [20,23]").sign();
        UnverifiedProof proof = UnverifiedProof.assemble(List.of(NS.entity(), facilities.entity(), MODEL.entity()),
                List.of(toTeam, toModel), List.of(List.of(0, 1)));

        assertTrue(gate.authorize(decision("22", Double.NaN), proof).valid());
        assertReason(ReasonCode.CAVEAT_VIOLATED, gate.authorize(decision("25", Double.NaN), proof).verdict());
    }

    @Test
    void authorize_refusesATargetTheModelWasNotGranted() {
        Decision lights = new Decision(MODEL.id(), target("building1/floor2/lights"), Map.of("setpoint", new BigDecimal("21")), 0.9, "on");

        assertReason(ReasonCode.RESOURCE_NOT_COVERED,
                gate.authorize(lights, proof(thermostatGrant("gate/model-hvac").sign(), MODEL)).verdict());
    }

    @Test
    void authorize_refusesAnotherModelsProof() {
        EntitySecret other = TestEntities.create("gate/other-model");
        Decision fromOther = new Decision(other.id(), target(SETPOINT), Map.of("setpoint", new BigDecimal("21")), 0.9, "occupied");

        assertReason(ReasonCode.WRONG_SUBJECT,
                gate.authorize(fromOther, proof(thermostatGrant("gate/model-hvac").sign(), MODEL)).verdict());
    }

    @Test
    void authorize_refusesARevokedModelGrant() {
        GrantBuilder b = thermostatGrant("gate/model-hvac-revoked");
        UnverifiedProof proof = proof(b.sign(), MODEL);
        revocations.revoke(NS.attestationRevocationSecret(b.nonce()));

        assertReason(ReasonCode.REVOKED, gate.authorize(decision("21", 0.9), proof).verdict());
    }

    @Test
    void authorize_refusesBytesThatAreNoProof() {
        GatedDecision g = gate.authorize(decision("21", 0.9), new byte[] {1, 2, 3});

        assertReason(ReasonCode.MALFORMED, g.verdict());
        assertNull(g.proof());
    }

    // ------------------------------------------------------------------ the values

    @Test
    void decision_rejectsWhatNoCommandIs() {
        assertCode(ErrorCode.BAD_ARGUMENT, () -> new Decision(MODEL.id(), target("building1/+/hvac"), Map.of(), 0.9, "x"));
        assertCode(ErrorCode.BAD_ARGUMENT, () -> new Decision(MODEL.id(), Policy.parse("device:actuate,read@" + NS.id()
                + "/" + SETPOINT), Map.of(), 0.9, "x"));
        assertCode(ErrorCode.BAD_ARGUMENT, () -> new Decision(MODEL.id(), target(SETPOINT), Map.of("setpoint", new BigDecimal("21.0000001")), 0.9, "x"));
        assertCode(ErrorCode.BAD_ARGUMENT, () -> new Decision(MODEL.id(), target(SETPOINT), Map.of("confidence", BigDecimal.ONE), 0.9, "x"));
        assertCode(ErrorCode.BAD_ARGUMENT, () -> new Decision(MODEL.id(), target(SETPOINT), Map.of(), 1.5, "x"));
        assertCode(ErrorCode.TOO_LARGE, () -> new Decision(MODEL.id(), target(SETPOINT), Map.of(), 0.9, "x".repeat(257)));
    }

    @Test
    void modelRef_parsesTheModelsResource() {
        ModelRef m = ModelRef.parse(NS.id() + "/models/occupancy");

        assertEquals(OCCUPANCY, m);
        assertEquals(NS.id() + "/models/occupancy", m.toString());
        assertEquals("ml:infer@" + NS.id() + "/models/occupancy", m.inferPolicy().toString());
    }

    @Test
    void modelRef_rejectsOtherResources() {
        for (String bad : List.of(NS.id() + "/models", NS.id() + "/model/occupancy", NS.id() + "/models/a/b",
                NS.id() + "/models/*", NS.id() + "/models/+", "short/models/occupancy", NS.id() + "/models/Occupancy")) {
            assertCode(ErrorCode.BAD_ARGUMENT, () -> ModelRef.parse(bad));
        }
    }

    @Test
    void digest_isAFunctionOfTheFeaturesInOrder() {
        assertEquals(DecisionRecord.digest(new float[] {1f, 2f}), DecisionRecord.digest(new float[] {1f, 2f}));
        assertNotEquals(DecisionRecord.digest(new float[] {1f, 2f}), DecisionRecord.digest(new float[] {2f, 1f}));
        assertNotEquals(DecisionRecord.digest(new float[] {0f}), DecisionRecord.digest(new float[] {-0f}));
    }

    @Test
    void decisionRecord_keepsTheVerdictOfAGatedDecision() {
        UnverifiedProof proof = proof(thermostatGrant("gate/model-hvac").sign(), MODEL);
        GatedDecision g = gate.authorize(decision("30", 0.9), proof);

        DecisionRecord r = DecisionRecord.of(CLOCK.instant(), g, DecisionRecord.digest(new float[] {1f}));

        assertEquals(DecisionRecord.Kind.COMMAND, r.kind());
        assertEquals(MODEL.id(), r.model());
        assertEquals(proof.id(), r.proof());
        assertEquals(ReasonCode.CAVEAT_VIOLATED, r.reason());
        assertFalse(r.allowed());
        assertEquals("device:actuate@" + NS.id() + "/" + SETPOINT, r.action());
    }

    // ------------------------------------------------------------------ helpers

    private static GrantBuilder inferGrant(String label, String resource) {
        return GrantBuilder.grant(label, NS, CALLER.id()).permissions("ml", "infer").resource(resource);
    }

    /** What the operator gives the occupancy model: the setpoint, within bounds, by day, when sure enough. */
    private static GrantBuilder thermostatGrant(String label) {
        return GrantBuilder.grant(label, NS, MODEL.id()).permissions("device", "actuate").resource("building1/+/hvac/*")
                .caveat("setpoint in [18,26]").caveat("confidence >= 0.8").caveat("time in 08:00-18:00");
    }

    private static UnverifiedProof proof(Attestation a, EntitySecret subject) {
        return UnverifiedProof.assemble(List.of(NS.entity(), subject.entity()), List.of(a), List.of(List.of(0)));
    }

    private static Policy target(String resource) {
        return Policy.parse("device:actuate@" + NS.id() + "/" + resource);
    }

    private static Decision decision(String setpoint, double confidence) {
        return new Decision(MODEL.id(), target(SETPOINT), Map.of("setpoint", new BigDecimal(setpoint)), confidence,
                "occupied");
    }

    private static void assertReason(ReasonCode expected, Verdict v) {
        assertFalse(v.valid(), "expected " + expected + " but the verdict is valid");
        assertEquals(expected, v.reason(), v.detail());
    }

    private static void assertCode(ErrorCode expected, org.junit.jupiter.api.function.Executable e) {
        assertEquals(expected, assertThrows(WaveException.class, e).code());
    }
}
