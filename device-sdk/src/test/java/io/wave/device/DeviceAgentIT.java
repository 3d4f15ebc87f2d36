package io.wave.device;

import static io.wave.device.testing.Building.SETPOINT;
import static io.wave.device.testing.Building.setpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Command;
import io.wave.crypto.objects.CommandBody;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.crypto.objects.UnverifiedReply;
import io.wave.device.broker.Broker;
import io.wave.device.broker.EmbeddedBroker;
import io.wave.device.broker.MosquittoBroker;
import io.wave.device.sim.Thermostat;
import io.wave.device.testing.Await;
import io.wave.device.testing.Building;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.ObjectKind;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thermostat behind a device agent, on a real Mosquitto, a real embedded ledger on disk, and a command
 * client: every way a command can fail to be served, and that only proven commands change anything.
 * Mosquitto must be installed; under CI (CI=true) its absence fails the suite rather than skipping it.
 */
class DeviceAgentIT {
    /** How long one reply may take: only a hang reaches it, so a loaded machine cannot. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Safety net for a condition the system reaches eventually (a revocation read, a reconnection). */
    static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    final Building b = Building.live();
    final Thermostat thermostat = new Thermostat(20, 19);
    MosquittoBroker broker;
    EmbeddedLedger ledger;
    DeviceAgent agent;
    CommandClient contractor;

    static MosquittoBroker mosquitto() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (MosquittoBroker.find().isEmpty()) {
            if (ci) {
                throw new AssertionError("mosquitto is not installed; .ci/run installs it (apt-get install -y mosquitto)");
            }
            Assumptions.abort("mosquitto is not installed on this machine (apt-get install -y mosquitto)");
        }
        return MosquittoBroker.start();
    }

    @BeforeEach
    void start() {
        broker = mosquitto();
        ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC());
        publishGrants();
        agent = startAgent(b.newDeviceState(dir.resolve("state")));
        contractor = CommandClient.connect(b.contractor, broker.address(), Clock.systemUTC(), new SecureRandom());
    }

    DeviceAgent startAgent(Path state) {
        return thermostat.serve(DeviceAgent.builder().entity(b.device).namespace(b.ns()).broker(broker.address())
                .ledger(ledger).followEvery(Duration.ofMillis(100), Duration.ofSeconds(10)).stateDirectory(state),
                SETPOINT).start();
    }

    void publishGrants() {
        ledger.publishAll(List.of(new Publication(ObjectKind.ENTITY, b.owner.entity().encoded()),
                new Publication(ObjectKind.ENTITY, b.manager.entity().encoded()),
                new Publication(ObjectKind.ENTITY, b.contractor.entity().encoded()),
                new Publication(ObjectKind.ATTESTATION, b.ownerToManager.encoded()),
                new Publication(ObjectKind.ATTESTATION, b.managerToContractor.encoded())));
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {contractor, agent, broker, ledger}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // Best effort; the next test starts its own.
            }
        }
    }

    CommandResult send(String value) {
        return contractor.send(b.ns(), SETPOINT, "set", setpoint(value), b.contractorProof(), b.device.id(), TIMEOUT);
    }

    @Test
    void acceptsAProvenCommand_andTheThermostatChanges() {
        CommandResult r = send("21.5");
        assertTrue(r.accepted(), r::detail);
        assertEquals(21.5, thermostat.setpoint());
        assertEquals(b.device.id(), r.device());
        assertEquals(new ParamValue.Number(21_500_000), r.results().get("setpoint"));
        // The second command carries only the proof's id: the device holds the proof.
        CommandResult again = send("22");
        assertTrue(again.accepted(), again::detail);
        assertEquals(1, again.attempts());
        assertTrue(contractor.holds(b.ns(), SETPOINT, b.contractorProof().id()));
    }

    @Test
    void refusesWhatTheProofDoesNotAllow_withNoSideEffect() {
        CommandResult hot = send("27");
        assertEquals(ReplyCode.CAVEAT_VIOLATED, hot.code());
        CommandResult read = contractor.send(b.ns(), SETPOINT, "read", Map.of(), b.contractorProof(), b.device.id(),
                TIMEOUT);
        assertEquals(ReplyCode.PERMISSION_NOT_GRANTED, read.code());
        assertEquals(0, thermostat.changes());
        assertEquals(20.0, thermostat.setpoint());
        assertEquals(2, agent.counts().get(ReplyCode.CAVEAT_VIOLATED) + agent.counts().get(ReplyCode.PERMISSION_NOT_GRANTED));
    }

    @Test
    void revocationStopsTheLiveSession() {
        assertTrue(send("21").accepted());
        ledger.publish(ObjectKind.REVOCATION, new io.wave.crypto.objects.Revocation(
                b.manager.attestationRevocationSecret(b.managerToContractor.body().nonce())).encode());
        // Commands sent before the device has read the revocation may still run; then they stop. How soon is a
        // figure for `wave bench device` (its revocation row), not for a test a loaded machine can miss.
        Await.until("the device refuses the revoked grant", PATIENCE, () ->
                send("22").code() == ReplyCode.REVOKED);
        long changes = thermostat.changes();
        assertEquals(ReplyCode.REVOKED, send("23").code());
        assertEquals(changes, thermostat.changes());
        assertTrue(thermostat.setpoint() != 23.0);
        assertTrue(agent.isConnected());
    }

    @Test
    void refusesAStaleCommand_andAReplayedOne() {
        UnverifiedProof proof = b.contractorProof();
        Command stale = b.command(b.contractor, proof, SETPOINT, "set", setpoint("23"), Instant.now().minusSeconds(60),
                "stale-" + System.nanoTime());
        assertEquals(ReplyCode.STALE, contractor.send(stale, b.device.id(), TIMEOUT).code());
        Command fresh = b.command(b.contractor, proof, SETPOINT, "set", setpoint("23"), Instant.now(),
                "fresh-" + System.nanoTime());
        assertTrue(contractor.send(fresh, b.device.id(), TIMEOUT).accepted());
        // The same nonce under a new signature body (another setpoint) is a replay, and changes nothing.
        Command replay = Command.sign(new CommandBody(b.contractor.id(), b.ns(), SETPOINT, "set", setpoint("24"),
                proof.id(), fresh.body().nonce(), fresh.body().timestamp()), b.contractor, proof);
        assertEquals(ReplyCode.REPLAY, contractor.send(replay, b.device.id(), TIMEOUT).code());
        assertEquals(23.0, thermostat.setpoint());
        assertEquals(1, thermostat.changes());
    }

    @Test
    void aDuplicateDeliveryRunsOnce_andGetsTheSameReply() {
        Command c = b.command(b.contractor, b.contractorProof(), SETPOINT, "set", setpoint("24"), Instant.now(),
                "dup-" + System.nanoTime());
        CommandResult first = contractor.send(c, b.device.id(), TIMEOUT);
        CommandResult second = contractor.send(c, b.device.id(), TIMEOUT);
        assertTrue(first.accepted());
        assertTrue(second.accepted());
        assertEquals(first.reply().body(), second.reply().body());
        assertEquals(1, thermostat.changes());
        assertEquals(1, agent.repeated());
    }

    @Test
    void refusesAForgedCommand() {
        UnverifiedProof proof = b.contractorProof();
        // The stranger signs a command claiming to be the contractor's: it cannot, so it signs its own id and
        // presents the contractor's proof.
        CommandClient stranger = CommandClient.connect(b.stranger, broker.address(), Clock.systemUTC(), new SecureRandom());
        try {
            CommandResult r = stranger.send(b.ns(), SETPOINT, "set", setpoint("21"), proof, b.device.id(), TIMEOUT);
            assertEquals(ReplyCode.WRONG_SUBJECT, r.code());
        } finally {
            stranger.close();
        }
        assertEquals(0, thermostat.changes());
    }

    @Test
    void garbageAndOversizePayloadsFromMosquittoPub_leaveTheDeviceRunningAndUnchanged() throws Exception {
        String topic = Topics.command(b.ns(), SETPOINT);
        Path big = dir.resolve("big.bin");
        java.nio.file.Files.write(big, new byte[io.wave.crypto.objects.Limits.MAX_COMMAND_BYTES + 4096]);
        List<String[]> pubs = List.of(
                new String[] {"-m", "hello"},
                new String[] {"-m", "0\u0003abc"},
                new String[] {"-f", big.toString()},
                new String[] {"-n"});
        long before = agent.counts().get(ReplyCode.MALFORMED);
        for (String[] args : pubs) {
            List<String> cmd = new ArrayList<>(List.of(mosquittoPub(), "-h", "127.0.0.1", "-p",
                    String.valueOf(broker.address().port()), "-q", "1", "-t", topic));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            assertTrue(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        }
        Await.until("the three small payloads refused as MALFORMED", TIMEOUT,
                () -> agent.counts().get(ReplyCode.MALFORMED) >= before + 3);
        assertTrue(agent.isConnected());
        assertEquals(0, thermostat.changes());
        assertTrue(send("22").accepted());
    }

    @Test
    void brokerRestart_deviceServesAgain_withoutLosingOrDuplicatingACommand() {
        assertTrue(send("21").accepted());
        broker.stop();
        Await.until("the device notices", TIMEOUT, () -> !agent.isConnected());
        // A command sent while the broker is down fails fast: the client cannot publish.
        assertThrows(WaveException.class, () -> send("25"));
        broker.restart();
        Await.until("the device reconnects", PATIENCE, agent::isConnected);
        CommandClient again = CommandClient.connect(b.contractor, broker.address(), Clock.systemUTC(), new SecureRandom());
        try {
            CommandResult r = again.send(b.ns(), SETPOINT, "set", setpoint("22.5"), b.contractorProof(), b.device.id(),
                    PATIENCE);
            assertTrue(r.accepted(), r::detail);
        } finally {
            again.close();
        }
        assertEquals(22.5, thermostat.setpoint());
        assertEquals(2, thermostat.changes());
    }

    @Test
    void aProofSource_buildsFromTheLedger_isAskedOnce_andAgainWhenTheProofIsRevoked() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        ProofSource fromLedger = ProofSource.fromLedger(ledger, Clock.systemUTC());
        ProofSource counting = (sender, wanted) -> {
            asked.incrementAndGet();
            return fromLedger.proofFor(sender, wanted);
        };
        CommandResult first = contractor.send(b.ns(), SETPOINT, "set", setpoint("21"), "device:actuate", counting,
                b.device.id(), TIMEOUT);
        assertTrue(first.accepted(), first::detail);
        assertTrue(contractor.send(b.ns(), SETPOINT, "set", setpoint("22"), "device:actuate", counting,
                b.device.id(), TIMEOUT).accepted());
        assertEquals(1, asked.get(), "the built proof is kept for the next command");
        assertEquals(22.0, thermostat.setpoint());

        ledger.publish(ObjectKind.REVOCATION, new io.wave.crypto.objects.Revocation(
                b.manager.attestationRevocationSecret(b.managerToContractor.body().nonce())).encode());
        Await.until("the device refuses the revoked proof", PATIENCE, () -> contractor.send(b.ns(),
                SETPOINT, "set", setpoint("23"), "device:actuate", counting, b.device.id(), TIMEOUT).code()
                == ReplyCode.REVOKED);
        int before = asked.get();
        // The refused proof was dropped: the next send asks again, and the ledger has no unrevoked path now.
        WaveException none = assertThrows(WaveException.class, () -> contractor.send(b.ns(), SETPOINT, "set",
                setpoint("24"), "device:actuate", counting, b.device.id(), TIMEOUT));
        assertEquals(ErrorCode.NO_PROOF, none.code());
        assertEquals(before + 1, asked.get());
        assertTrue(thermostat.setpoint() != 24.0);
    }

    @Test
    void aProofSource_withNothingGranted_saysNoProof_andSendsNothing() {
        long served = agent.counts().values().stream().mapToLong(Long::longValue).sum();
        ProofSource fromLedger = ProofSource.fromLedger(ledger, Clock.systemUTC());
        try (CommandClient stranger = CommandClient.connect(b.stranger, broker.address(), Clock.systemUTC(),
                new SecureRandom())) {
            WaveException unknown = assertThrows(WaveException.class, () -> stranger.send(b.ns(), SETPOINT, "set",
                    setpoint("21"), "device:actuate", fromLedger, b.device.id(), TIMEOUT));
            assertEquals(ErrorCode.NOT_FOUND, unknown.code(), "the stranger's entity is not on the ledger yet");
            ledger.publish(ObjectKind.ENTITY, b.stranger.entity().encoded());
            WaveException none = assertThrows(WaveException.class, () -> stranger.send(b.ns(), SETPOINT, "set",
                    setpoint("21"), "device:actuate", fromLedger, b.device.id(), TIMEOUT));
            assertEquals(ErrorCode.NO_PROOF, none.code());
        }
        assertEquals(served, agent.counts().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void anMqtt5Request_getsItsCorrelationDataBack_butNeverMoreThanTheLimit() throws Exception {
        String inbox = Topics.inbox(b.ns(), "correlation-test");
        Map<String, byte[]> echoed = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch two = new java.util.concurrent.CountDownLatch(2);
        UnverifiedProof proof = b.contractorProof();
        byte[] shortTag = "request-1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] longTag = new byte[DeviceAgent.MAX_CORRELATION_BYTES + 1];
        try (io.wave.device.internal.MqttLink link = io.wave.device.internal.MqttLink.connect(broker.address(),
                "correlation-test", false, 1 << 20, TIMEOUT, (t, payload, rt, corr) -> {
                    echoed.put(UnverifiedReply.decode(payload).inReplyTo().toString(),
                            corr == null ? new byte[0] : corr);
                    two.countDown();
                }, List.of(inbox))) {
            assertEquals(5, link.version(), "mosquitto speaks MQTT 5");
            List<Command> sent = new ArrayList<>();
            for (byte[] tag : List.of(shortTag, longTag)) {
                Command c = Command.sign(new CommandBody(b.contractor.id(), b.ns(), SETPOINT, "set", setpoint("21"),
                        proof.id(), Command.newNonce(new SecureRandom()), Instant.now()), b.contractor, proof);
                sent.add(c);
                link.publish(Topics.command(b.ns(), SETPOINT), c.encoded(), inbox, tag);
            }
            assertTrue(two.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "both replies arrive on the response topic");
            assertEquals(java.util.HexFormat.of().formatHex(shortTag),
                    java.util.HexFormat.of().formatHex(echoed.get(sent.get(0).id().hash().toString())));
            assertEquals(0, echoed.get(sent.get(1).id().hash().toString()).length,
                    "correlation data over the limit is not echoed");
        }
    }

    @Test
    void aReplyIsSignedByTheDevice() {
        CommandResult r = send("21");
        UnverifiedReply u = UnverifiedReply.decode(r.reply().encoded());
        assertEquals(r.command().hash(), u.inReplyTo());
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, () -> u.verify(b.contractor.entity())).code());
        assertFalse(r.reply().body().detail().isEmpty());
    }

    @Test
    void aCommandThatRanBeforeARestart_neverRunsAfterIt_whenMosquittoPubSendsItsBytesAgain() throws Exception {
        Command c = b.command(b.contractor, b.contractorProof(), SETPOINT, "set", setpoint("23"), Instant.now(),
                "restart-" + System.nanoTime());
        Path captured = java.nio.file.Files.write(dir.resolve("captured.cmd"), c.encoded());
        assertTrue(contractor.send(c, b.device.id(), TIMEOUT).accepted());
        assertEquals(1, thermostat.changes());
        agent.close();
        agent = startAgent(dir.resolve("state"));
        Map<String, byte[]> replies = new java.util.concurrent.ConcurrentHashMap<>();
        try (io.wave.device.internal.MqttLink watcher = io.wave.device.internal.MqttLink.connect(broker.address(),
                "restart-watcher", false, 1 << 20, TIMEOUT, (t, payload, rt, corr) -> replies.put(
                        UnverifiedReply.decode(payload).inReplyTo().toString(), payload),
                List.of(Topics.reply(b.ns(), SETPOINT)))) {
            publishRaw(Topics.command(b.ns(), SETPOINT), "-f", captured.toString());
            String id = c.id().hash().toString();
            Await.until("the restarted device answers the captured command", TIMEOUT, () -> replies.containsKey(id));
            io.wave.crypto.objects.Reply reply = UnverifiedReply.decode(replies.get(id)).verify(b.device.entity());
            assertEquals(ReplyCode.REPLAY.name(), reply.body().code(), reply.body().detail());
        }
        assertEquals(1, thermostat.changes(), "the handler did not run again");
        assertEquals(23.0, thermostat.setpoint());
        assertEquals(1, agent.counts().get(ReplyCode.REPLAY));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = BrokerAddress.Protocol.class, names = {"MQTT_5", "MQTT_3_1_1"})
    void aRetainedCommand_neverRuns_acrossReconnections(BrokerAddress.Protocol protocol) throws Exception {
        agent.close();
        Command c = b.command(b.contractor, b.contractorProof(), SETPOINT, "set", setpoint("25"), Instant.now(),
                "retained-" + System.nanoTime());
        Path retained = java.nio.file.Files.write(dir.resolve("retained.cmd"), c.encoded());
        publishRaw(Topics.command(b.ns(), SETPOINT), "-r", "-f", retained.toString());
        // A client id the broker has no session for: what reaches the device is only the retained copy.
        String clientId = "retained-test-" + protocol;
        for (int connection = 1; connection <= 2; connection++) {
            agent = thermostat.serve(DeviceAgent.builder().entity(b.device).namespace(b.ns())
                    .broker(broker.address().withProtocol(protocol)).clientId(clientId).ledger(ledger)
                    .stateDirectory(dir.resolve("state")), SETPOINT).start();
            assertEquals(protocol == BrokerAddress.Protocol.MQTT_5 ? 5 : 4, agent.mqttVersion());
            Await.until("connection " + connection + " gets the retained copy", TIMEOUT,
                    () -> agent.retainedDropped() == 1);
            agent.close();
            assertEquals(0, agent.counts().values().stream().mapToLong(Long::longValue).sum(),
                    "dropped unanswered, not refused");
        }
        assertEquals(0, thermostat.changes());
        assertEquals(20.0, thermostat.setpoint());
        agent = null;
    }

    @Test
    void aVolatileDevice_refusesCommandsSignedBeforeItsStartPlusTheWindow() {
        agent.close();
        agent = thermostat.serve(DeviceAgent.builder().entity(b.device).namespace(b.ns()).broker(broker.address())
                .ledger(ledger).volatileState(), SETPOINT).start();
        Instant after = Instant.now();
        Command signedNow = b.command(b.contractor, b.contractorProof(), SETPOINT, "set", setpoint("21"), Instant.now(),
                "volatile-" + System.nanoTime());
        CommandResult r = contractor.send(signedNow, b.device.id(), TIMEOUT);
        assertEquals(ReplyCode.STALE, r.code());
        assertTrue(r.detail().contains("does not remember"), r.detail());
        // Signed at the latest instant the floor can be: it cannot have run before the start, and it is
        // within the window of the device's clock, which has passed "after".
        Command pastTheFloor = b.command(b.contractor, b.contractorProof(), SETPOINT, "set", setpoint("21"),
                after.plus(CommandGate.DEFAULT_FRESHNESS), "volatile-later-" + System.nanoTime());
        CommandResult ok = contractor.send(pastTheFloor, b.device.id(), TIMEOUT);
        assertTrue(ok.accepted(), ok::detail);
        assertEquals(1, thermostat.changes());
    }

    @Test
    void aSecondAgentWithTheSameIdentityAndStateDirectory_isRefusedClearly() {
        WaveException e = assertThrows(WaveException.class, () -> startAgent(dir.resolve("state")));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("one identity, one running agent"), e.getMessage());
        assertTrue(send("21").accepted(), "the first agent serves on");
    }

    @Test
    void anAgentWithoutAStateChoice_doesNotStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> thermostat.serve(
                DeviceAgent.builder().entity(b.device).namespace(b.ns()).broker(broker.address()).ledger(ledger),
                SETPOINT).start());
        assertTrue(e.getMessage().contains(".stateDirectory(dir)") && e.getMessage().contains(".volatileState()"),
                e.getMessage());
    }

    void publishRaw(String topic, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(mosquittoPub(), "-h", "127.0.0.1", "-p",
                String.valueOf(broker.address().port()), "-q", "1", "-t", topic));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    static String mosquittoPub() {
        for (String p : List.of("/usr/bin/mosquitto_pub", "/usr/local/bin/mosquitto_pub")) {
            if (java.nio.file.Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new AssertionError("mosquitto_pub is not installed (apt-get install -y mosquitto-clients)");
    }
}
