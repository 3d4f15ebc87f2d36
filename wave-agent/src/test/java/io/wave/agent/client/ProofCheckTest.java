package io.wave.agent.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.agent.daemon.Agent;
import io.wave.agent.daemon.TestAgent;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.policy.Policy;
import io.wave.policy.ReasonCode;
import io.wave.policy.CaveatContext;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service checks a proof in one call, in process over a ledger view or through an agent, and gets the same
 * answers both ways: valid, not granted, not a proof, revoked.
 */
class ProofCheckTest {
    @TempDir
    Path dir;

    @Test
    void localAndAgent_giveTheSameAnswers() throws Exception {
        Clock clock = Clock.systemUTC();
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), clock);
             Agent agent = Agent.start(TestAgent.config(dir, ledger, "test passphrase"))) {
            AgentClient admin = AgentClient.of(agent.uri(), Files.readString(agent.tokenFile()).strip());
            String ns = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String dev = admin.createEntity(new AgentApi.EntityRequest("1d")).path("id").asText();
            String grant = admin.grant(new AgentApi.GrantRequest(ns, dev, List.of("device:read@" + ns + "/b1/*"), null,
                    null, null)).path("attestations").get(0).path("id").asText();
            Policy read = Policy.parse("device:read@" + ns + "/b1/lamp");
            Policy actuate = Policy.parse("device:actuate@" + ns + "/b1/lamp");
            byte[] proof = Base64.getDecoder().decode(admin.prove(dev, List.of(read.toString())).path("der").asText());
            EntityId subject = EntityId.parse(dev);

            List<ProofCheck> checks = List.of(ProofCheck.local(ledger, clock), ProofCheck.agent(agent.uri()));
            for (ProofCheck check : checks) {
                Verification v = check.verify(proof, List.of(read), subject);
                assertTrue(v.valid(), v.toString());
                assertEquals(List.of("device:read@" + ns + "/b1/*"), v.policies());
                assertEquals(subject, v.subject());
                assertEquals(ReasonCode.PERMISSION_NOT_GRANTED, check.verify(proof, List.of(actuate), subject).reason());
                assertEquals(ReasonCode.WRONG_SUBJECT, check.verify(proof, List.of(read), EntityId.parse(ns)).reason());
                assertEquals(ReasonCode.MALFORMED, check.verify(new byte[] {0x30, 0x00}, List.of(read), null).reason());
            }
            // A parameter caveat: refused unchecked, valid on condition when asked, decided exactly with a context.
            String bounded = "device:actuate@" + ns + "/b1/hvac";
            admin.grant(new AgentApi.GrantRequest(ns, dev, List.of(bounded), null, null,
                    List.of("x in [10000000000.000001, 10000000000.000003]")));
            byte[] boundedProof = Base64.getDecoder().decode(admin.prove(dev, List.of(bounded)).path("der").asText());
            Policy hvac = Policy.parse(bounded);
            for (ProofCheck check : checks) {
                assertEquals(ReasonCode.CAVEAT_UNCHECKED, check.verify(boundedProof, List.of(hvac), subject).reason());
                Verification conditional = check.verifyConditionally(boundedProof, List.of(hvac), subject);
                assertTrue(conditional.valid() && conditional.conditional(), conditional.toString());
                assertEquals(List.of("x in [10000000000.000001,10000000000.000003]"), conditional.conditions());
                for (String outside : List.of("10000000000", "10000000000.000004")) {
                    assertEquals(ReasonCode.CAVEAT_VIOLATED, check.verify(boundedProof, List.of(hvac), subject,
                            CaveatContext.ofDecimals(Map.of("x", new BigDecimal(outside)), null)).reason(), outside);
                }
                Verification inside = check.verify(boundedProof, List.of(hvac), subject,
                        CaveatContext.ofDecimals(Map.of("x", new BigDecimal("10000000000.000002")), null));
                assertTrue(inside.valid() && !inside.conditional(), inside.toString());
            }
            admin.revoke(new AgentApi.RevokeRequest(grant, null, null, null, null));
            for (ProofCheck check : checks) {
                assertEquals(ReasonCode.REVOKED, check.verify(proof, List.of(read), subject).reason());
            }
        }
        WaveException down = assertThrows(WaveException.class, () -> ProofCheck.agent(URI.create("http://127.0.0.1:9"))
                .verify(new byte[] {1}, List.of(Policy.parse("device:read@" + EntityId.parse(
                        "AXvaZomOhg76BjWIomyB7MmO1jHJBvXIrZ4qwLb-Xl_1") + "/x")), null));
        assertEquals(ErrorCode.UNAVAILABLE, down.code());
    }
}
