package io.wave.policy;

import io.wave.crypto.EntityId;
import io.wave.crypto.ProofId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The answer to "does this proof authorise this request now": a value, never an exception.
 *
 * @param valid      true only when every required policy is covered
 * @param reason     {@link ReasonCode#VALID}, or the stable reason for the refusal
 * @param detail     one line for a human: which attestation, which permission, which caveat
 * @param subject    the entity the proof grants to (null when the proof could not be read)
 * @param policies   what the covering paths grant (empty when invalid)
 * @param expires    when the first covering path stops being valid (null when invalid)
 * @param proof      the proof's id (null when the proof could not be read)
 * @param conditions caveats on the covering paths that were not evaluated, because the request had no
 *                   context and asked for a conditional answer ({@link Request#conditional()}): the verdict
 *                   holds only for a use that meets them. Empty for every other verdict.
 */
public record Verdict(boolean valid, ReasonCode reason, String detail, EntityId subject, List<EffectivePolicy> policies,
        Instant expires, ProofId proof, List<String> conditions) {
    public Verdict {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        policies = List.copyOf(policies);
        conditions = List.copyOf(conditions);
        if (valid != (reason == ReasonCode.VALID)) {
            throw new IllegalArgumentException("valid iff reason is VALID");
        }
        if (!valid && !conditions.isEmpty()) {
            throw new IllegalArgumentException("only a valid verdict has conditions");
        }
    }

    /** A verdict with no unevaluated conditions. */
    public Verdict(boolean valid, ReasonCode reason, String detail, EntityId subject, List<EffectivePolicy> policies,
            Instant expires, ProofId proof) {
        this(valid, reason, detail, subject, policies, expires, proof, List.of());
    }

    public static Verdict deny(ReasonCode reason, String detail, EntityId subject, ProofId proof) {
        return new Verdict(false, reason, detail, subject, List.of(), null, proof);
    }

    /** True when valid only on {@link #conditions()} that were not checked. */
    public boolean conditional() {
        return !conditions.isEmpty();
    }
}
