package io.wave.device;

import io.wave.crypto.CommandId;
import io.wave.crypto.EntityId;
import io.wave.crypto.objects.CommandBody;
import io.wave.crypto.objects.ParamValue;
import io.wave.policy.Verdict;
import java.util.Map;
import java.util.Objects;

/**
 * An authorised command as a handler sees it: the signed body and the verdict that allowed it (what the
 * proof grants, until when).
 */
public record Invocation(CommandId id, CommandBody body, Verdict verdict) {
    public Invocation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
    }

    public EntityId sender() {
        return body.sender();
    }

    public String resource() {
        return body.resource();
    }

    public String command() {
        return body.command();
    }

    public Map<String, ParamValue> params() {
        return body.params();
    }

    /** A numeric parameter, or null when it is absent or text. */
    public Double number(String name) {
        return body.params().get(name) instanceof ParamValue.Number n ? n.toDouble() : null;
    }

    /** A text parameter, or null when it is absent or a number. */
    public String text(String name) {
        return body.params().get(name) instanceof ParamValue.Text t ? t.value() : null;
    }
}
