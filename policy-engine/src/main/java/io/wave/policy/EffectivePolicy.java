package io.wave.policy;

import io.wave.crypto.AttestationId;
import io.wave.crypto.Validity;
import java.util.List;
import java.util.Objects;

/**
 * What one path of a proof grants its subject: the intersection of the policies along it, the caveats
 * of every hop, how many more hops the subject may delegate, and the window in which every
 * attestation and entity on the path is valid.
 */
public record EffectivePolicy(Policy policy, Caveats caveats, int indirections, Validity validity,
        List<AttestationId> path) {
    public EffectivePolicy {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(caveats, "caveats");
        Objects.requireNonNull(validity, "validity");
        path = List.copyOf(path);
    }
}
