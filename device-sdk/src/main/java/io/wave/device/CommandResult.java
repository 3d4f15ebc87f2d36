package io.wave.device;

import io.wave.crypto.CommandId;
import io.wave.crypto.EntityId;
import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A device's answer to one command, its signature checked.
 *
 * @param command   the command's id
 * @param code      the outcome; null when the device sent a code this version does not know
 * @param reply     the verified reply (its raw code, detail, results and the device's entity)
 * @param roundTrip from first publish to the reply's arrival
 * @param attempts  how many times the command was published (resends after PROOF_REQUIRED or a timeout)
 */
public record CommandResult(CommandId command, ReplyCode code, Reply reply, Duration roundTrip, int attempts) {
    public CommandResult {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(reply, "reply");
    }

    /** True only when the device ran the command. */
    public boolean accepted() {
        return code == ReplyCode.OK;
    }

    /** The reply's code as sent (also for codes this version does not know). */
    public String rawCode() {
        return reply.body().code();
    }

    public String detail() {
        return reply.body().detail();
    }

    public Map<String, ParamValue> results() {
        return reply.body().results();
    }

    public EntityId device() {
        return reply.device();
    }
}
