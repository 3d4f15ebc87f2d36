package io.wave.device;

import static io.wave.device.testing.Building.SETPOINT;
import static io.wave.device.testing.Building.setpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.device.broker.EmbeddedBroker;
import io.wave.device.sim.Thermostat;
import io.wave.device.testing.Building;
import io.wave.policy.testing.TestRevocations;
import java.security.SecureRandom;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-setup default: the same story on the embedded HiveMQ broker, over MQTT 5. */
class EmbeddedBrokerIT {
    @TempDir
    Path dir;

    @Test
    void embeddedBroker_servesProvenCommandsAndRefusesTheRest() {
        Building b = Building.live();
        Thermostat t = new Thermostat(20, 20);
        try (EmbeddedBroker broker = EmbeddedBroker.start();
                DeviceAgent agent = t.serve(DeviceAgent.builder().entity(b.device).namespace(b.ns())
                        .broker(broker.address()).revocations(new TestRevocations())
                        .stateDirectory(b.newDeviceState(dir)), SETPOINT).start();
                CommandClient c = CommandClient.connect(b.contractor, broker.address(), Clock.systemUTC(),
                        new SecureRandom())) {
            CommandResult ok = c.send(b.ns(), SETPOINT, "set", setpoint("19"), b.contractorProof(), agent.id(),
                    Duration.ofSeconds(10));
            assertTrue(ok.accepted(), ok::detail);
            CommandResult no = c.send(b.ns(), SETPOINT, "set", setpoint("12"), b.contractorProof(), agent.id(),
                    Duration.ofSeconds(10));
            assertEquals(ReplyCode.CAVEAT_VIOLATED, no.code());
            assertEquals(19.0, t.setpoint());
        }
    }
}
