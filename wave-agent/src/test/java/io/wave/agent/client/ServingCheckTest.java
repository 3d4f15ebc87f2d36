package io.wave.agent.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.agent.daemon.Agent;
import io.wave.agent.daemon.TestAgent;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.device.ServingCheck;
import io.wave.ledger.embedded.EmbeddedLedger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may answer a command, asked of a ledger in process and of an agent over REST, with the same answers:
 * the device granted {@code device:serve} is entitled until its grant ends; an entity with no grant, one
 * whose grant carries a parameter caveat (nothing to check it against), one on another resource, and one
 * whose grant was revoked are not; an agent that cannot be reached throws rather than entitles.
 */
class ServingCheckTest {
    static final String SETPOINT = "b1/floor2/hvac/setpoint";

    @TempDir
    Path dir;

    @Test
    void ledgerAndAgent_entitleOnlyTheServeGrantsHolder() throws Exception {
        Clock clock = Clock.systemUTC();
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), clock);
             Agent agent = Agent.start(TestAgent.config(dir, ledger, "test passphrase"))) {
            AgentClient admin = AgentClient.of(agent.uri(), Files.readString(agent.tokenFile()).strip());
            EntityId ns = EntityId.parse(admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText());
            String dev = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String caveated = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String impostor = admin.createEntity(new AgentApi.EntityRequest(null)).path("id").asText();
            String grant = admin.grant(new AgentApi.GrantRequest(ns.toString(), dev, List.of("device:serve@" + ns + "/b1/floor2/*"),
                    null, "1d", null)).path("attestations").get(0).path("id").asText();
            admin.grant(new AgentApi.GrantRequest(ns.toString(), caveated, List.of("device:serve@" + ns + "/" + SETPOINT),
                    null, "1d", List.of("setpoint in [18,26]")));
            // Holding the device's other rights is not serving.
            admin.grant(new AgentApi.GrantRequest(ns.toString(), impostor, List.of("device:read,actuate@" + ns + "/b1/*"),
                    null, "1d", null));

            List<ServingCheck> checks = List.of(ServingCheck.fromLedger(ledger, clock), admin.servingCheck());
            for (ServingCheck check : checks) {
                ServingCheck.Entitlement yes = check.check(EntityId.parse(dev), ns, SETPOINT);
                assertTrue(yes.entitled(), yes.detail());
                Instant now = Instant.now();
                assertTrue(yes.until().isAfter(now.plus(Duration.ofHours(23))) && yes.until().isBefore(now.plus(Duration.ofDays(2))),
                        "until the grant ends: " + yes.until());
                ServingCheck.Entitlement no = check.check(EntityId.parse(impostor), ns, SETPOINT);
                assertFalse(no.entitled());
                assertTrue(no.detail().startsWith("NO_PROOF"), no.detail());
                ServingCheck.Entitlement cav = check.check(EntityId.parse(caveated), ns, SETPOINT);
                assertFalse(cav.entitled(), "a parameter caveat on serving cannot be checked, so it refuses: " + cav.detail());
                assertFalse(check.check(EntityId.parse(dev), ns, "b1/floor3/hvac/setpoint").entitled());
            }
            admin.revoke(new AgentApi.RevokeRequest(grant, null, null, null, null));
            for (ServingCheck check : checks) {
                assertFalse(check.check(EntityId.parse(dev), ns, SETPOINT).entitled());
            }
        }
        WaveException down = assertThrows(WaveException.class, () -> AgentClient.of(URI.create("http://127.0.0.1:9"), null)
                .servingCheck().check(EntityId.parse("AXvaZomOhg76BjWIomyB7MmO1jHJBvXIrZ4qwLb-Xl_1"),
                        EntityId.parse("AXvaZomOhg76BjWIomyB7MmO1jHJBvXIrZ4qwLb-Xl_1"), SETPOINT));
        assertEquals(ErrorCode.UNAVAILABLE, down.code());
    }
}
