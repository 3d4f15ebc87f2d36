package io.wave.device;

import static io.wave.device.testing.Building.NOW;
import static io.wave.device.testing.Building.SETPOINT;
import static io.wave.device.testing.Building.setpoint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.Command;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.UnverifiedCommand;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.device.testing.Building;
import io.wave.device.testing.MutableClock;
import io.wave.policy.GrantCache;
import io.wave.policy.ProofVerifier;
import io.wave.policy.testing.GrantBuilder;
import io.wave.policy.testing.TestRevocations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandGateTest {
    final Building b = new Building();
    final MutableClock clock = new MutableClock(NOW);
    final TestRevocations revocations = new TestRevocations();
    final CommandHandler noop = inv -> HandlerResult.ok("done");
    final CommandGate gate = runningSinceAWindowAgo(() -> CommandGate.create(b.ns(), List.of(
            new CommandGate.Route(SETPOINT, "set", DeviceAgent.policy(b.ns(), "device:actuate", SETPOINT), noop),
            new CommandGate.Route(SETPOINT, "read", DeviceAgent.policy(b.ns(), "device:read", SETPOINT), noop)),
            ProofVerifier.create(clock, revocations).withCache(new GrantCache(100)), clock));

    /**
     * A gate made a window and a second before {@link Building#NOW}, as on a device that has been up for a
     * while: a just-made one refuses commands signed before its start plus the window (tested below).
     */
    CommandGate runningSinceAWindowAgo(java.util.function.Supplier<CommandGate> make) {
        Instant was = clock.instant();
        clock.set(was.minus(CommandGate.DEFAULT_FRESHNESS).minusSeconds(1));
        try {
            return make.get();
        } finally {
            clock.set(was);
        }
    }

    Command set(String value, String label) {
        return b.command(b.contractor, b.contractorProof(), SETPOINT, "set", setpoint(value), NOW, label);
    }

    ReplyCode refusal(byte[] payload) {
        CommandGate.Decision d = gate.check(payload);
        return assertInstanceOf(CommandGate.Refuse.class, d, () -> "expected a refusal, got " + d).code();
    }

    @Test
    void check_acceptsAProvenCommandWithinItsCaveats() {
        Command c = set("21.5", "ok");
        CommandGate.Accept a = assertInstanceOf(CommandGate.Accept.class, gate.check(c.encoded()));
        assertEquals(c.id(), a.id());
        assertEquals("set", a.route().command());
        assertTrue(a.verdict().valid());
        assertEquals(b.contractor.id(), a.body().sender());
    }

    @Test
    void check_refusesAPermissionTheProofDoesNotGrant() {
        Command read = b.command(b.contractor, b.contractorProof(), SETPOINT, "read", Map.of(), NOW, "read");
        assertEquals(ReplyCode.PERMISSION_NOT_GRANTED, refusal(read.encoded()));
    }

    @Test
    void check_refusesAResourceOutsideTheGrant() {
        String floor3 = "building1/floor3/hvac/setpoint";
        CommandGate wide = runningSinceAWindowAgo(() -> CommandGate.create(b.ns(), List.of(new CommandGate.Route(floor3,
                "set", DeviceAgent.policy(b.ns(), "device:actuate", floor3), noop)),
                ProofVerifier.create(clock, revocations), clock));
        Command c = b.command(b.contractor, b.contractorProof(), floor3, "set", setpoint("20"), NOW, "floor3");
        assertEquals(ReplyCode.RESOURCE_NOT_COVERED,
                assertInstanceOf(CommandGate.Refuse.class, wide.check(c.encoded())).code());
    }

    @Test
    void check_refusesAResourceOrCommandThisDeviceDoesNotServe() {
        Command other = b.command(b.contractor, b.contractorProof(), "building1/floor2/hvac/fan", "set",
                setpoint("20"), NOW, "fan");
        assertEquals(ReplyCode.UNKNOWN_RESOURCE, refusal(other.encoded()));
        Command reboot = b.command(b.contractor, b.contractorProof(), SETPOINT, "reboot", Map.of(), NOW, "reboot");
        assertEquals(ReplyCode.UNKNOWN_COMMAND, refusal(reboot.encoded()));
    }

    @Test
    void check_refusesAParameterOutsideACaveat_andAMissingOne() {
        assertEquals(ReplyCode.CAVEAT_VIOLATED, refusal(set("27", "hot").encoded()));
        Command none = b.command(b.contractor, b.contractorProof(), SETPOINT, "set", Map.of(), NOW, "none");
        assertEquals(ReplyCode.CAVEAT_VIOLATED, refusal(none.encoded()));
    }

    @Test
    void check_comparesParametersExactlyAboveTwoToThe33() {
        Attestation huge = GrantBuilder.grant("huge", b.manager, b.contractor.id()).in(b.ns())
                .permissions("device", "actuate").resource("building1/floor2/+/setpoint")
                .caveat("x in [10000000000.000001, 10000000000.000003]").sign();
        UnverifiedProof proof = Building.chain(List.of(b.owner, b.manager, b.contractor), List.of(b.ownerToManager, huge));
        for (String outside : List.of("10000000000", "10000000000.000004")) {
            Command c = b.command(b.contractor, proof, SETPOINT, "set", Map.of("x", ParamValue.number(outside)), NOW,
                    "huge-" + outside);
            assertEquals(ReplyCode.CAVEAT_VIOLATED, refusal(c.encoded()), outside);
        }
        Command inside = b.command(b.contractor, proof, SETPOINT, "set",
                Map.of("x", ParamValue.number("10000000000.000002")), NOW, "huge-inside");
        assertInstanceOf(CommandGate.Accept.class, gate.check(inside.encoded()));
    }

    @Test
    void check_refusesAnExpiredGrant() {
        Attestation shortGrant = GrantBuilder.grant("short", b.manager, b.contractor.id()).in(b.ns())
                .permissions("device", "actuate").resource("building1/floor2/+/setpoint")
                .validity(NOW.getEpochSecond() - 100, NOW.getEpochSecond() + 60).sign();
        UnverifiedProof proof = Building.chain(List.of(b.owner, b.manager, b.contractor),
                List.of(b.ownerToManager, shortGrant));
        clock.advance(Duration.ofMinutes(2));
        Command c = b.command(b.contractor, proof, SETPOINT, "set", setpoint("20"), clock.instant(), "late");
        assertEquals(ReplyCode.EXPIRED, refusal(c.encoded()));
    }

    @Test
    void check_refusesOnceAGrantOnThePathIsRevoked_evenWithTheProofHeld() {
        Command first = set("20", "before");
        assertInstanceOf(CommandGate.Accept.class, gate.check(first.encoded()));
        revocations.revoke(b.manager.attestationRevocationSecret(b.managerToContractor.body().nonce()));
        Command second = set("21", "after");
        assertEquals(ReplyCode.REVOKED, refusal(second.encodedWithoutProof()));
    }

    @Test
    void check_refusesAForgedSignature() throws Exception {
        Command c = set("21", "forged");
        org.bouncycastle.asn1.ASN1Sequence seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(c.encoded());
        byte[] sig = ((org.bouncycastle.asn1.ASN1OctetString) seq.getObjectAt(1)).getOctets();
        sig[5] ^= 1;
        byte[] forged = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            seq.getObjectAt(0), new org.bouncycastle.asn1.DEROctetString(sig), seq.getObjectAt(2)}).getEncoded("DER");
        assertEquals(ReplyCode.BAD_SIGNATURE, refusal(forged));
        // The forgery burned nothing: the genuine command still runs.
        assertInstanceOf(CommandGate.Accept.class, gate.check(c.encoded()));
    }

    @Test
    void check_refusesACommandSignedByAnotherThanTheProofsSubject() {
        Command c = b.command(b.stranger, b.contractorProof(), SETPOINT, "set", setpoint("21"), NOW, "stranger");
        assertEquals(ReplyCode.WRONG_SUBJECT, refusal(c.encoded()));
    }

    @Test
    void check_refusesAReplay_butRepeatsTheReplyForADuplicate() {
        Command c = set("21", "dup");
        CommandGate.Accept a = assertInstanceOf(CommandGate.Accept.class, gate.check(c.encoded()));
        CommandGate.Repeat running = assertInstanceOf(CommandGate.Repeat.class, gate.check(c.encoded()));
        assertNull(running.reply());
        gate.complete(a.id(), new byte[] {1, 2, 3});
        CommandGate.Repeat done = assertInstanceOf(CommandGate.Repeat.class, gate.check(c.encodedWithoutProof()));
        assertArrayEquals(new byte[] {1, 2, 3}, done.reply());
        // Once the reply is forgotten, the same nonce is a replay.
        gate.abandon(a.id());
        assertEquals(ReplyCode.REPLAY, refusal(c.encoded()));
    }

    @Test
    void check_refusesAStaleOrFutureTimestamp() {
        Command old = b.command(b.contractor, b.contractorProof(), SETPOINT, "set", setpoint("21"),
                NOW.minusSeconds(31), "old");
        assertEquals(ReplyCode.STALE, refusal(old.encoded()));
        Command ahead = b.command(b.contractor, b.contractorProof(), SETPOINT, "set", setpoint("21"),
                NOW.plusSeconds(31), "ahead");
        assertEquals(ReplyCode.STALE, refusal(ahead.encoded()));
    }

    @Test
    void check_asksForTheProofWhenOnlyItsIdCame_thenHoldsIt() {
        Command c = set("21", "elided");
        assertEquals(ReplyCode.PROOF_REQUIRED, refusal(c.encodedWithoutProof()));
        // The same signed command with its proof attached is accepted: the refusal burned no nonce.
        assertInstanceOf(CommandGate.Accept.class, gate.check(c.encoded()));
        Command next = set("22", "elided-next");
        assertInstanceOf(CommandGate.Accept.class, gate.check(next.encodedWithoutProof()));
    }

    @Test
    void check_doesNotHoldAProofThatFailed() {
        Command hot = set("30", "hot-first");
        assertEquals(ReplyCode.CAVEAT_VIOLATED, refusal(hot.encoded()));
        assertEquals(ReplyCode.PROOF_REQUIRED, refusal(set("20", "then").encodedWithoutProof()));
    }

    @Test
    void check_refusesGarbageAndOversizeWithoutThrowing() {
        CommandGate.Refuse r = assertInstanceOf(CommandGate.Refuse.class, gate.check(new byte[] {0x30, 0x03, 1, 2}));
        assertEquals(ReplyCode.MALFORMED, r.code());
        assertEquals(UnverifiedCommand.payloadId(new byte[] {0x30, 0x03, 1, 2}), r.inReplyTo());
        assertFalse(r.remember());
        assertEquals(ReplyCode.MALFORMED, refusal(new byte[0]));
        assertEquals(ReplyCode.TOO_LARGE, refusal(new byte[Limits.MAX_COMMAND_BYTES + 1]));
    }

    @Test
    void check_refusesACommandForAnotherNamespace() {
        byte[] nonce = new byte[16];
        Command c = Command.sign(new io.wave.crypto.objects.CommandBody(b.contractor.id(), b.stranger.id(), SETPOINT,
                "set", setpoint("21"), b.contractorProof().id(), nonce, NOW), b.contractor, b.contractorProof());
        assertEquals(ReplyCode.UNKNOWN_RESOURCE, refusal(c.encoded()));
    }

    @Test
    void unverifiedGate_acceptsAnythingRoutable_forBenchmarksOnly() {
        CommandGate open = new CommandGate(b.ns(), List.of(new CommandGate.Route(SETPOINT, "set",
                DeviceAgent.policy(b.ns(), "device:actuate", SETPOINT), noop)), ProofVerifier.create(clock, revocations),
                clock, Duration.ofSeconds(30), 8, 8, false, new ReplayGuard(30_000, 8));
        Command hot = b.command(b.stranger, b.contractorProof(), SETPOINT, "set", setpoint("99"), NOW, "open");
        CommandGate.Accept a = assertInstanceOf(CommandGate.Accept.class, open.check(hot.encodedWithoutProof()));
        assertNull(a.verdict());
    }

    @Test
    void check_failsClosedWhenTheRevocationViewThrows() {
        CommandGate broken = runningSinceAWindowAgo(() -> CommandGate.create(b.ns(), List.of(new CommandGate.Route(
                SETPOINT, "set", DeviceAgent.policy(b.ns(), "device:actuate", SETPOINT), noop)),
                ProofVerifier.create(clock, c -> {
                    throw new IllegalStateException("view is down");
                }), clock));
        Command c = set("21", "view-down");
        CommandGate.Refuse r = assertInstanceOf(CommandGate.Refuse.class, broken.check(c.encoded()));
        assertEquals(ReplyCode.REVOKED, r.code());
        assertTrue(r.remember(), "a signed, fresh command's refusal is kept for its duplicates");
        broken.complete(c.id(), new byte[] {9});
        assertArrayEquals(new byte[] {9}, assertInstanceOf(CommandGate.Repeat.class, broken.check(c.encoded())).reply());
    }

    @Test
    void aJustMadeGate_refusesCommandsSignedBeforeItsStartPlusTheWindow_asStale() {
        CommandGate fresh = CommandGate.create(b.ns(), List.of(new CommandGate.Route(SETPOINT, "set",
                DeviceAgent.policy(b.ns(), "device:actuate", SETPOINT), noop)), ProofVerifier.create(clock, revocations),
                clock);
        // Fresh by the clock, but it may have run before a restart this gate cannot remember.
        CommandGate.Refuse r = assertInstanceOf(CommandGate.Refuse.class, fresh.check(set("21", "at-start").encoded()));
        assertEquals(ReplyCode.STALE, r.code());
        assertTrue(r.detail().contains("does not remember"), r.detail());
        assertFalse(r.remember());
        // A command signed at the floor or later cannot have run before the start: a second on, it runs.
        clock.advance(Duration.ofSeconds(1));
        Command later = b.command(b.contractor, b.contractorProof(), SETPOINT, "set", setpoint("21"),
                NOW.plus(CommandGate.DEFAULT_FRESHNESS), "at-floor");
        assertInstanceOf(CommandGate.Accept.class, fresh.check(later.encoded()));
    }

    @Test
    void aNonceThatCannotBeRecorded_isRefusedBusy_andCanBeCheckedAgain(@TempDir Path state) {
        NonceJournal journal = NonceJournal.open(state, b.device.id(), NOW.toEpochMilli());
        ReplayGuard guard = ReplayGuard.restore(30_000, 8, journal, NOW.minusSeconds(31));
        CommandGate g = new CommandGate(b.ns(), List.of(new CommandGate.Route(SETPOINT, "set",
                DeviceAgent.policy(b.ns(), "device:actuate", SETPOINT), noop)), ProofVerifier.create(clock, revocations),
                clock, CommandGate.DEFAULT_FRESHNESS, 8, 8, true, guard);
        journal.close();
        Command c = set("21", "unrecorded");
        CommandGate.Refuse r = assertInstanceOf(CommandGate.Refuse.class, g.check(c.encoded()));
        assertEquals(ReplyCode.BUSY, r.code());
        assertFalse(r.remember(), "nothing ran, so a retry is checked afresh");
        assertEquals(0, guard.size(), "the unrecorded nonce is not remembered either");
    }
}
