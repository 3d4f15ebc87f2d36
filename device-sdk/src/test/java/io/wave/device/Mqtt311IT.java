package io.wave.device;

import static io.wave.device.testing.Building.SETPOINT;
import static io.wave.device.testing.Building.setpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.wave.device.broker.MosquittoBroker;
import io.wave.device.sim.Thermostat;
import io.wave.device.testing.Building;
import io.wave.policy.testing.TestRevocations;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT 3.1.1 fallback: no response topics, replies on the resource's reply topic, matched by command id. */
class Mqtt311IT {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    final Building b = Building.live();
    final Thermostat thermostat = new Thermostat(20, 20);

    @Test
    void onABrokerThatSpeaksOnly311_deviceAndClientFallBackAndStillRefuseWhatIsNotProven() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", String.valueOf(port));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", dir.toString());
        p.setProperty("netty.mqtt.message_size", String.valueOf(128 * 1024));
        Server moquette = new Server();
        moquette.startServer(new MemoryConfig(p));
        try {
            BrokerAddress broker = BrokerAddress.parse("tcp://127.0.0.1:" + port);
            try (DeviceAgent agent = thermostat.serve(DeviceAgent.builder().entity(b.device).namespace(b.ns())
                            .broker(broker).revocations(new TestRevocations())
                            .stateDirectory(b.newDeviceState(dir.resolve("state"))), SETPOINT).start();
                    CommandClient client = CommandClient.connect(b.contractor, broker, Clock.systemUTC(), new SecureRandom())) {
                assertEquals(4, agent.mqttVersion());
                assertEquals(4, client.mqttVersion());
                CommandResult ok = client.send(b.ns(), SETPOINT, "set", setpoint("23"), b.contractorProof(), agent.id(), TIMEOUT);
                assertTrue(ok.accepted(), ok::detail);
                CommandResult elided = client.send(b.ns(), SETPOINT, "set", setpoint("24"), b.contractorProof(), agent.id(),
                        TIMEOUT);
                assertTrue(elided.accepted(), elided::detail);
                CommandResult hot = client.send(b.ns(), SETPOINT, "set", setpoint("40"), b.contractorProof(), agent.id(),
                        TIMEOUT);
                assertEquals(ReplyCode.CAVEAT_VIOLATED, hot.code());
                assertEquals(24.0, thermostat.setpoint());
            }
        } finally {
            moquette.stopServer();
        }
    }

    @Test
    void a311ClientTalksToAnMqtt5Device_onMosquitto() {
        try (MosquittoBroker broker = DeviceAgentIT.mosquitto();
                DeviceAgent agent = thermostat.serve(DeviceAgent.builder().entity(b.device).namespace(b.ns())
                        .broker(broker.address()).revocations(new TestRevocations())
                        .stateDirectory(b.newDeviceState(dir.resolve("state"))), SETPOINT).start();
                CommandClient client = CommandClient.connect(b.contractor,
                        broker.address().withProtocol(BrokerAddress.Protocol.MQTT_3_1_1), Clock.systemUTC(),
                        new SecureRandom())) {
            assertEquals(5, agent.mqttVersion());
            assertEquals(4, client.mqttVersion());
            CommandResult ok = client.send(b.ns(), SETPOINT, "set", setpoint("19.5"), b.contractorProof(), agent.id(), TIMEOUT);
            assertTrue(ok.accepted(), ok::detail);
            assertEquals(19.5, thermostat.setpoint());
        }
    }
}
