package io.wave.policy;

import io.wave.crypto.AttestationId;
import io.wave.crypto.EntityId;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import java.util.Objects;

/**
 * A verified attestation read for its meaning: its policy parsed (resource pattern, permission set
 * checked), its caveats normalised. What the verifier caches and the proof builder searches.
 */
public final class Grant {
    private final Attestation attestation;
    private final Policy policy;
    private final Caveats caveats;

    private Grant(Attestation attestation, Policy policy, Caveats caveats) {
        this.attestation = attestation;
        this.policy = policy;
        this.caveats = caveats;
    }

    /**
     * Reads a verified attestation.
     *
     * @throws io.wave.crypto.WaveException MALFORMED when its resource or permissions are not valid policy
     */
    public static Grant of(Attestation attestation) {
        Objects.requireNonNull(attestation, "attestation");
        AttestationBody b = attestation.body();
        Policy policy = new Policy(b.namespace(), b.permissionSet(), new java.util.TreeSet<>(b.permissions()),
                ResourcePattern.parse(b.resource()));
        return new Grant(attestation, policy, Caveats.of(b.caveats()));
    }

    public Attestation attestation() {
        return attestation;
    }

    public AttestationId id() {
        return attestation.id();
    }

    public EntityId attester() {
        return attestation.attester();
    }

    public EntityId subject() {
        return attestation.subject();
    }

    public Policy policy() {
        return policy;
    }

    public Caveats caveats() {
        return caveats;
    }

    public int indirections() {
        return attestation.body().indirections();
    }

    @Override
    public String toString() {
        return "Grant[" + attestation.id() + " " + attester() + " -> " + subject() + ": " + policy + "]";
    }
}
