package io.wave.policy;

import static io.wave.policy.testing.GrantBuilder.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.crypto.testing.TestEntities;
import io.wave.policy.testing.GrantBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a verdict may claim when the request gives no context for the caveats on the covering path: never a
 * plain "valid" over a caveat nobody evaluated. (The golden vectors hold the same cases as data.)
 */
class ProofVerifierTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final EntitySecret NS = TestEntities.create("verifier/namespace");
    private static final EntitySecret ALICE = TestEntities.create("verifier/alice");
    private static final String SETPOINT = "building1/floor2/hvac/setpoint";

    private final ProofVerifier verifier = ProofVerifier.create(CLOCK, RevocationView.NONE);

    @Test
    void verify_withoutContext_refusesAPathWhoseParameterCaveatWentUnevaluated() {
        UnverifiedProof proof = proof(List.of(bounded()), List.of(List.of(0)));

        Verdict v = verifier.verify(proof, new Request(List.of(actuate()), ALICE.id(), null));

        assertFalse(v.valid(), v.detail());
        assertEquals(ReasonCode.CAVEAT_UNCHECKED, v.reason(), v.detail());
        assertTrue(v.detail().contains("setpoint in [18,26]"), v.detail());
    }

    @Test
    void verify_withoutContext_conditionally_isValidAndSaysOnWhat() {
        UnverifiedProof proof = proof(List.of(bounded()), List.of(List.of(0)));

        Verdict v = verifier.verify(proof, new Request(List.of(actuate()), ALICE.id(), null).allowingConditions());

        assertTrue(v.valid(), v.detail());
        assertTrue(v.conditional());
        assertEquals(List.of("setpoint in [18,26]", "confidence >= 0.8"), v.conditions());
    }

    @Test
    void verify_conditionally_stillRefusesWhatCanBeCheckedNow() {
        UnverifiedProof proof = proof(List.of(GrantBuilder.grant("verifier/mornings", NS, ALICE.id())
                .caveat("setpoint in [18,26]").caveat("time in 08:00-11:00").sign()), List.of(List.of(0)));

        Verdict v = verifier.verify(proof, new Request(List.of(actuate()), ALICE.id(), null).allowingConditions());

        assertEquals(ReasonCode.CAVEAT_VIOLATED, v.reason(), "it is 12:00 UTC: " + v.detail());
    }

    @Test
    void verify_withoutContext_prefersAPathWithNothingLeftUnchecked() {
        Attestation free = GrantBuilder.grant("verifier/unbounded", NS, ALICE.id()).sign();
        UnverifiedProof proof = proof(List.of(bounded(), free), List.of(List.of(0), List.of(1)));

        Verdict plain = verifier.verify(proof, new Request(List.of(actuate()), ALICE.id(), null));
        Verdict conditional = verifier.verify(proof, new Request(List.of(actuate()), ALICE.id(), null).allowingConditions());

        assertTrue(plain.valid(), plain.detail());
        assertFalse(plain.conditional());
        assertFalse(conditional.conditional(), "a path without conditions covers outright");
        assertEquals(List.of(free.id()), conditional.policies().get(0).path());
    }

    @Test
    void verify_withContext_decidesEveryCaveat_andIsNeverConditional() {
        UnverifiedProof proof = proof(List.of(bounded()), List.of(List.of(0)));
        Request request = new Request(List.of(actuate()), ALICE.id(),
                CaveatContext.of(Map.of("setpoint", ParamValue.number("21.5"))).withConfidence(ParamValue.number("0.9")));

        Verdict ok = verifier.verify(proof, request.allowingConditions());
        Verdict missing = verifier.verify(proof, request.withContext(CaveatContext.NONE).allowingConditions());

        assertTrue(ok.valid(), ok.detail());
        assertFalse(ok.conditional());
        assertEquals(ReasonCode.CAVEAT_VIOLATED, missing.reason(),
                "a use without the bounded parameter is refused, not conditionally allowed");
    }

    private static Attestation bounded() {
        return GrantBuilder.grant("verifier/bounded", NS, ALICE.id()).caveat("setpoint in [18,26]")
                .caveat("confidence >= 0.8").sign();
    }

    private static Policy actuate() {
        return Policy.parse("device:actuate@" + NS.id() + "/" + SETPOINT);
    }

    private static UnverifiedProof proof(List<Attestation> grants, List<List<Integer>> paths) {
        return UnverifiedProof.assemble(List.of(NS.entity(), ALICE.entity()), grants, paths);
    }
}
