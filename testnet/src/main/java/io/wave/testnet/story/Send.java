package io.wave.testnet.story;

import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.device.CommandResult;
import io.wave.device.ReplyCode;
import io.wave.testnet.Testnet;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command an actor sends to a device, and what the story expects of it. The proof is the one the
 * actor holds for the command's permission on the device's resource (built from the ledger at the first
 * send); the reply's signature and binding are checked by the client, which pins no device: as a user's
 * {@code wave send} without {@code --device}, it accepts a reply only from an entity the ledger shows to
 * hold {@code device:serve} on the resource. The story then checks that it was the named device.
 */
public final class Send {
    private final Actor from;
    private final Testnet.Device device;
    private final String command;
    private final Map<String, ParamValue> params = new LinkedHashMap<>();
    private String permission;

    Send(Actor from, Testnet.Device device, String command) {
        this.from = from;
        this.device = device;
        this.command = command;
        this.permission = command.equals("read") ? "device:read" : "device:actuate";
    }

    public Send with(String name, double value) {
        params.put(name, ParamValue.number(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()));
        return this;
    }

    public Send with(String name, String text) {
        params.put(name, new ParamValue.Text(text));
        return this;
    }

    /** The permission the proof must grant (default: device:read for {@code read}, else device:actuate). */
    public Send needing(String psetPerm) {
        this.permission = psetPerm;
        return this;
    }

    /** What came back: a reply from the device, or no proof to send at all. */
    public record Outcome(CommandResult result, String noProof) {
        public boolean accepted() {
            return result != null && result.accepted();
        }

        public boolean refusedWith(ReplyCode code) {
            return result != null && result.code() == code;
        }

        @Override
        public String toString() {
            return result == null ? "no proof: " + noProof : result.rawCode() + ": " + result.detail();
        }
    }

    /** Sends once and reports what came back. */
    public Outcome send() {
        String policy = permission + "@" + from.network().testnet().namespace() + "/" + device.resource();
        UnverifiedProof proof = from.proof(policy);
        if (proof == null) {
            return new Outcome(null, "no path grants " + from.name() + " " + policy);
        }
        CommandResult r = from.client().send(from.network().testnet().namespace(), device.resource(), command, params,
                proof, null, Network.REPLY_TIMEOUT);
        if (!r.device().equals(device.id())) {
            throw new AssertionError(describe() + " was answered by " + r.device() + ", not by " + device.name() + " ("
                    + device.id() + ")");
        }
        return new Outcome(r, null);
    }

    /** Sends; the device must run it. */
    public CommandResult shouldAccept() {
        Outcome o = send();
        if (!o.accepted()) {
            throw new AssertionError(describe() + " should have been accepted; got " + o);
        }
        return o.result();
    }

    /** Sends; the device must refuse it with {@code code} (a signed refusal). */
    public CommandResult shouldRefuse(ReplyCode code) {
        Outcome o = send();
        if (!o.refusedWith(code)) {
            throw new AssertionError(describe() + " should have been refused with " + code + "; got " + o);
        }
        return o.result();
    }

    /** Sends; no proof must exist for it (nothing is sent). */
    public void shouldFindNoProof() {
        Outcome o = send();
        if (o.noProof() == null) {
            throw new AssertionError(describe() + " should have found no proof; got " + o);
        }
    }

    /**
     * Sends again and again, with the same held proof, until the device refuses with {@code code}; it must
     * within {@code within}, and before that it may only accept. Returns how long that took.
     */
    public Duration shouldBeRefusedWithin(Duration within, ReplyCode code) {
        Outcome[] last = new Outcome[1];
        try {
            return Network.await(describe() + " refused with " + code, within, () -> {
                Outcome o = send();
                last[0] = o;
                if (!o.accepted() && !o.refusedWith(code)) {
                    throw new AssertionError(describe() + " should have been accepted or refused with " + code + "; got " + o);
                }
                return o.refusedWith(code);
            });
        } catch (AssertionError e) {
            throw last[0] == null ? e : new AssertionError(e.getMessage() + "; last reply: " + last[0], e);
        }
    }

    /**
     * Sends again and again, with the same held proof, until the device refuses with {@code code}; before that
     * it may only accept. Waits on the refusal, not on a clock: {@link Network#PATIENCE} is only a safety net
     * against a device that never refuses. How soon a refusal comes is a figure for {@code wave bench}, which
     * a story on a loaded machine cannot promise.
     */
    public void shouldEventuallyBeRefused(ReplyCode code) {
        shouldBeRefusedWithin(Network.PATIENCE, code);
    }

    private String describe() {
        return from.name() + " -> " + device.name() + " " + command + " " + params.keySet().stream()
                .map(k -> k + "=" + params.get(k)).toList();
    }
}
