package io.wave.policy;

import io.wave.crypto.EntityId;
import java.util.List;
import java.util.Objects;

/**
 * What a proof must authorise.
 *
 * @param required every policy that must be covered (each of its permissions, possibly by different paths)
 * @param subject  the entity that must be the proof's subject, or null to accept whichever it names
 * @param context  the command's parameters and confidence, against which caveats are checked; null
 *                 when there is no use yet (then only daily windows are checked and the other caveats
 *                 are reported as conditions in the verdict)
 */
public record Request(List<Policy> required, EntityId subject, CaveatContext context) {
    public Request {
        required = List.copyOf(Objects.requireNonNull(required, "required"));
        if (required.isEmpty()) {
            throw new IllegalArgumentException("a request requires at least one policy");
        }
    }

    public static Request of(Policy... required) {
        return new Request(List.of(required), null, null);
    }

    public Request forSubject(EntityId s) {
        return new Request(required, s, context);
    }

    public Request withContext(CaveatContext c) {
        return new Request(required, subject, c);
    }
}
