package io.wave.policy;

import io.wave.crypto.EntityId;
import java.util.List;
import java.util.Objects;

/**
 * What a proof must authorise.
 *
 * @param required    every policy that must be covered (each of its permissions, possibly by different paths)
 * @param subject     the entity that must be the proof's subject, or null to accept whichever it names
 * @param context     the use's parameters and confidence, against which every caveat is checked; null when
 *                    there is no use yet (then only daily windows can be checked)
 * @param conditional with no context, whether a path whose parameter or confidence caveats went unevaluated
 *                    may still make the verdict valid, as a conditional one that lists them
 *                    ({@link Verdict#conditions()}); when false (the default) such a path is refused with
 *                    {@link ReasonCode#CAVEAT_UNCHECKED}, so that no plain "valid" hides an unchecked caveat
 */
public record Request(List<Policy> required, EntityId subject, CaveatContext context, boolean conditional) {
    public Request {
        required = List.copyOf(Objects.requireNonNull(required, "required"));
        if (required.isEmpty()) {
            throw new IllegalArgumentException("a request requires at least one policy");
        }
    }

    /** A request that is not conditional: every caveat on the covering path must be checked and hold. */
    public Request(List<Policy> required, EntityId subject, CaveatContext context) {
        this(required, subject, context, false);
    }

    public static Request of(Policy... required) {
        return new Request(List.of(required), null, null, false);
    }

    public Request forSubject(EntityId s) {
        return new Request(required, s, context, conditional);
    }

    public Request withContext(CaveatContext c) {
        return new Request(required, subject, c, conditional);
    }

    /** The same request, accepting a valid answer on conditions when there is no context. */
    public Request allowingConditions() {
        return new Request(required, subject, context, true);
    }
}
