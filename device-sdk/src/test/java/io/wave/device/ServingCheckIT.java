package io.wave.device;

import static io.wave.device.testing.Building.SETPOINT;
import static io.wave.device.testing.Building.setpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Revocation;
import io.wave.crypto.testing.TestEntities;
import io.wave.device.broker.MosquittoBroker;
import io.wave.device.sim.Thermostat;
import io.wave.device.testing.Await;
import io.wave.device.testing.Building;
import io.wave.device.testing.Impostor;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.policy.testing.GrantBuilder;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may answer a command, on a real Mosquitto and a real embedded ledger: an impostor, an entity with
 * validly signed replies but no {@code device:serve} grant, subscribes to the command topic and answers
 * {@code OK} to everything. A client that pins no device must ignore it: take the real device's refusal,
 * time out for a resource nobody serves, accept the entitled device, and stop accepting a device whose
 * serve grant was revoked once its cached answer runs out.
 */
class ServingCheckIT {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String UNSERVED = "building1/floor2/hvac/humidity";

    @TempDir
    Path dir;

    final Building b = Building.live();
    final EntitySecret impostorEntity = TestEntities.create("device-test/impostor");
    final Thermostat thermostat = new Thermostat(20, 19);
    Attestation ownerToDevice;
    MosquittoBroker broker;
    EmbeddedLedger ledger;
    DeviceAgent device;
    Impostor impostor;
    CommandClient client;

    @BeforeEach
    void start() {
        broker = DeviceAgentIT.mosquitto();
        ledger = EmbeddedLedger.open(dir.resolve("ledger"), Clock.systemUTC());
        long now = Instant.now().getEpochSecond();
        ownerToDevice = GrantBuilder.grant("owner-device-serve", b.owner, b.device.id()).permissions("device", "serve")
                .resource(SETPOINT).validity(Validity.ofSeconds(now - 3600, now + 86_400)).sign();
        ledger.publishAll(List.of(new Publication(ObjectKind.ENTITY, b.owner.entity().encoded()),
                new Publication(ObjectKind.ENTITY, b.manager.entity().encoded()),
                new Publication(ObjectKind.ENTITY, b.contractor.entity().encoded()),
                new Publication(ObjectKind.ENTITY, b.device.entity().encoded()),
                new Publication(ObjectKind.ENTITY, impostorEntity.entity().encoded()),
                new Publication(ObjectKind.ATTESTATION, b.ownerToManager.encoded()),
                new Publication(ObjectKind.ATTESTATION, b.managerToContractor.encoded()),
                new Publication(ObjectKind.ATTESTATION, ownerToDevice.encoded())));
        impostor = new Impostor(impostorEntity, broker.address(), List.of(Topics.command(b.ns(), SETPOINT),
                Topics.command(b.ns(), UNSERVED)));
    }

    void startDevice() {
        Path state = dir.resolve("device-state");
        if (!java.nio.file.Files.isDirectory(state)) {
            b.newDeviceState(state);
        }
        device = thermostat.serve(DeviceAgent.builder().entity(b.device).namespace(b.ns()).broker(broker.address())
                .ledger(ledger).followEvery(Duration.ofMillis(100), Duration.ofSeconds(10)).stateDirectory(state),
                SETPOINT).start();
    }

    CommandClient client(ServingCheck check) {
        return CommandClient.connect(b.contractor, broker.address(), Clock.systemUTC(), new SecureRandom(), check);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {client, device, impostor, broker, ledger}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // Best effort; the next test starts its own.
            }
        }
    }

    @Test
    void anImpostorsOkFirst_isIgnored_andTheDevicesRefusalIsTaken() throws Exception {
        client = client(ServingCheck.fromLedger(ledger, Clock.systemUTC()));
        // The impostor answers before the device is even up: its OK is certainly the first reply.
        CompletableFuture<CommandResult> hot = CompletableFuture.supplyAsync(() -> client.send(b.ns(), SETPOINT, "set",
                setpoint("30"), b.contractorProof(), null, TIMEOUT));
        Await.until("the impostor answers OK", TIMEOUT, () -> impostor.answered() >= 1);
        startDevice();
        CommandResult r = hot.get(30, TimeUnit.SECONDS);
        assertFalse(r.accepted(), "the impostor's OK was taken: " + r.device());
        assertEquals(ReplyCode.CAVEAT_VIOLATED, r.code(), r::detail);
        assertEquals(b.device.id(), r.device());
        assertEquals(20.0, thermostat.setpoint());
    }

    @Test
    void aResourceNobodyServes_timesOut_sayingWhoseRepliesWereIgnored() {
        startDevice();
        client = client(ServingCheck.fromLedger(ledger, Clock.systemUTC()));
        WaveException e = assertThrows(WaveException.class, () -> client.send(b.ns(), UNSERVED, "set",
                setpoint("21"), b.contractorProof(), null, Duration.ofSeconds(3)));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(impostor.answered() >= 1, "the impostor never answered: the test proves nothing");
        assertTrue(e.getMessage().contains("not shown to be entitled to serve " + b.ns() + "/" + UNSERVED)
                && e.getMessage().contains(impostorEntity.id().toString()) && e.getMessage().contains("NO_PROOF"),
                e.getMessage());
    }

    @Test
    void theEntitledDevice_isAccepted_andCheckedOncePerResource_notPerReply() {
        startDevice();
        Map<EntityId, AtomicInteger> checks = new ConcurrentHashMap<>();
        ServingCheck fromLedger = ServingCheck.fromLedger(ledger, Clock.systemUTC());
        client = client((dev, ns, res) -> {
            checks.computeIfAbsent(dev, k -> new AtomicInteger()).incrementAndGet();
            return fromLedger.check(dev, ns, res);
        });
        for (String v : List.of("21", "22", "23")) {
            CommandResult r = client.send(b.ns(), SETPOINT, "set", setpoint(v), b.contractorProof(), null, TIMEOUT);
            assertTrue(r.accepted(), r::detail);
            assertEquals(b.device.id(), r.device());
        }
        assertEquals(23.0, thermostat.setpoint());
        assertEquals(1, checks.get(b.device.id()).get(), "a positive answer is cached");
    }

    @Test
    void aRevokedServeGrant_stopsAcceptanceOnceTheCachedAnswerRunsOut() {
        startDevice();
        client = CommandClient.connect(b.contractor, broker.address(), Clock.systemUTC(), new SecureRandom(),
                ServingCheck.fromLedger(ledger, Clock.systemUTC()), Duration.ofMillis(500));
        assertTrue(client.send(b.ns(), SETPOINT, "set", setpoint("21"), b.contractorProof(), null, TIMEOUT).accepted());

        ledger.publish(ObjectKind.REVOCATION, new Revocation(b.owner.attestationRevocationSecret(
                ownerToDevice.body().nonce())).encode());
        String[] last = new String[1];
        Await.until("the client ignores the device whose serve grant is revoked", Duration.ofSeconds(60), () -> {
            try {
                CommandResult r = client.send(b.ns(), SETPOINT, "set", setpoint("22"), b.contractorProof(), null,
                        Duration.ofSeconds(3));
                assertEquals(b.device.id(), r.device(), "only the device may be accepted, ever");
                return false;
            } catch (WaveException e) {
                last[0] = e.getMessage();
                return e.code() == ErrorCode.UNAVAILABLE && e.getMessage().contains(b.device.id().toString());
            }
        });
        assertTrue(last[0].contains("not shown to be entitled"), last[0]);
    }

    @Test
    void neitherPinNorCheck_refusesToSend() {
        startDevice();
        long served = device.counts().values().stream().mapToLong(Long::longValue).sum();
        client = CommandClient.connect(b.contractor, broker.address(), Clock.systemUTC(), new SecureRandom());
        WaveException e = assertThrows(WaveException.class, () -> client.send(b.ns(), SETPOINT, "set",
                setpoint("21"), b.contractorProof(), null, TIMEOUT));
        assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("--device"), e.getMessage());
        // The same client with a pin works: the pin is the explicit way to say who answers.
        assertTrue(client.send(b.ns(), SETPOINT, "set", setpoint("21"), b.contractorProof(), b.device.id(), TIMEOUT)
                .accepted());
        assertEquals(served + 1, device.counts().values().stream().mapToLong(Long::longValue).sum(),
                "only the pinned command reached the device");
        Await.until("the impostor saw the pinned command", TIMEOUT, () -> impostor.answered() >= 1);
        assertEquals(1, impostor.answered(), "the refused send published nothing");
    }

    @Test
    void aCheckThatCannotAnswer_neverEntitles() {
        startDevice();
        client = client((dev, ns, res) -> {
            throw new WaveException(ErrorCode.UNAVAILABLE, "the ledger is away");
        });
        WaveException e = assertThrows(WaveException.class, () -> client.send(b.ns(), SETPOINT, "set",
                setpoint("21"), b.contractorProof(), null, Duration.ofSeconds(3)));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("cannot tell (UNAVAILABLE: the ledger is away)"), e.getMessage());
        assertNotEquals(0, impostor.answered());
    }
}
