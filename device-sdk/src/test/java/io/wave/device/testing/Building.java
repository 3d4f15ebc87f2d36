package io.wave.device.testing;

import io.wave.crypto.EntityId;
import io.wave.crypto.Validity;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.Command;
import io.wave.crypto.objects.CommandBody;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.crypto.testing.TestEntities;
import io.wave.policy.testing.GrantBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The story every device test tells: a namespace owner grants a facilities manager all of building1
 * (re-delegable once); the manager grants a contractor {@code device:actuate} on floor 2's setpoints with
 * {@code setpoint in [18,26]}. A thermostat device serves {@code building1/floor2/hvac/setpoint}.
 */
public final class Building {
    public static final String SETPOINT = "building1/floor2/hvac/setpoint";
    public static final Instant NOW = Instant.ofEpochSecond(GrantBuilder.NOW);

    public final EntitySecret owner = TestEntities.create("device-test/owner");
    public final EntitySecret manager = TestEntities.create("device-test/manager");
    public final EntitySecret contractor = TestEntities.create("device-test/contractor");
    public final EntitySecret stranger = TestEntities.create("device-test/stranger");
    public final EntitySecret device = TestEntities.create("device-test/thermostat");

    public final Attestation ownerToManager;
    public final Attestation managerToContractor;

    /** Grants valid around {@link #NOW}, for tests on a fixed clock. */
    public Building() {
        this(GrantBuilder.AROUND_NOW);
    }

    private Building(Validity validity) {
        ownerToManager = GrantBuilder.grant("owner-manager", owner, manager.id()).resource("building1/*")
                .indirections(1).validity(validity).sign();
        managerToContractor = GrantBuilder.grant("manager-contractor", manager, contractor.id()).in(owner.id())
                .permissions("device", "actuate").resource("building1/floor2/+/setpoint").caveat("setpoint in [18,26]")
                .validity(validity).sign();
    }

    /** Grants valid from an hour ago for a day, for tests on the real clock. */
    public static Building live() {
        long now = Instant.now().getEpochSecond();
        return new Building(Validity.ofSeconds(now - 3600, now + 86_400));
    }

    /**
     * {@code dir} made the state directory of a device that has never served (the thermostat is new in
     * every test), so its agent takes commands at once.
     */
    public java.nio.file.Path newDeviceState(java.nio.file.Path dir) {
        io.wave.device.DeviceAgent.provisionState(dir, device.id());
        return dir;
    }

    public EntityId ns() {
        return owner.id();
    }

    /** The contractor's proof: owner to manager to contractor. */
    public UnverifiedProof contractorProof() {
        return chain(List.of(owner, manager, contractor), List.of(ownerToManager, managerToContractor));
    }

    /** The manager's proof: one hop. */
    public UnverifiedProof managerProof() {
        return chain(List.of(owner, manager), List.of(ownerToManager));
    }

    /** A proof along one path through {@code entities} by {@code grants}. */
    public static UnverifiedProof chain(List<EntitySecret> entities, List<Attestation> grants) {
        List<Entity> es = new ArrayList<>();
        entities.forEach(e -> es.add(e.entity()));
        List<Integer> path = new ArrayList<>();
        for (int i = 0; i < grants.size(); i++) {
            path.add(i);
        }
        return UnverifiedProof.assemble(es, grants, List.of(path));
    }

    /** A command signed by {@code sender} at {@code at} with a nonce from {@code label}. */
    public Command command(EntitySecret sender, UnverifiedProof proof, String resource, String name,
            Map<String, ParamValue> params, Instant at, String label) {
        byte[] nonce = Command.newNonce(new io.wave.crypto.testing.DeterministicRandom("device-test/" + label));
        return Command.sign(new CommandBody(sender.id(), ns(), resource, name, params, proof.id(), nonce, at), sender,
                proof);
    }

    public static Map<String, ParamValue> setpoint(String v) {
        return Map.of("setpoint", ParamValue.number(v));
    }
}
