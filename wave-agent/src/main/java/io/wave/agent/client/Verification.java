package io.wave.agent.client;

import io.wave.crypto.EntityId;
import io.wave.crypto.ProofId;
import io.wave.policy.ReasonCode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A service's answer to "does this proof authorise this request now", the same whether it was checked in
 * process or by an agent.
 *
 * @param valid      true only when every required policy is covered
 * @param reason     {@link ReasonCode#VALID} or the stable reason for the refusal
 * @param detail     one line for a human
 * @param expires    when the answer stops holding (null when not valid)
 * @param subject    whom the proof grants to (null when it could not be read)
 * @param proof      the proof's id (null when it could not be read)
 * @param policies   what the covering paths grant, as policy text
 * @param conditions caveats left unchecked in a conditional answer ({@link ProofCheck#verifyConditionally}): the
 *                   answer holds only for a use that meets them. Empty otherwise.
 */
public record Verification(boolean valid, ReasonCode reason, String detail, Instant expires, EntityId subject,
        ProofId proof, List<String> policies, List<String> conditions) {
    public Verification {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        policies = List.copyOf(policies);
        conditions = List.copyOf(conditions);
        if (valid != (reason == ReasonCode.VALID)) {
            throw new IllegalArgumentException("valid iff reason is VALID");
        }
    }

    /** An answer with no unchecked conditions. */
    public Verification(boolean valid, ReasonCode reason, String detail, Instant expires, EntityId subject,
            ProofId proof, List<String> policies) {
        this(valid, reason, detail, expires, subject, proof, policies, List.of());
    }

    /** True when valid only on {@link #conditions()} that were not checked. */
    public boolean conditional() {
        return !conditions.isEmpty();
    }
}
