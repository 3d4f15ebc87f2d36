package io.wave.agent.ml;

import io.wave.crypto.objects.ParamValue;
import io.wave.device.CommandClient;
import io.wave.device.CommandResult;
import io.wave.crypto.EntityId;
import io.wave.policy.Caveats;
import io.wave.policy.Decision;
import io.wave.policy.GatedDecision;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The device SDK behind {@link CommandSink}: each authorised decision becomes a command signed by the
 * model's own entity (the client's), carried by the model's proof, with the decision's parameters and its
 * confidence as the reserved {@code confidence} parameter, so the device holds it to the same caveats
 * again. Numbers are rounded to the six decimals commands carry, half-even: a value at or inside a
 * six-decimal caveat bound stays inside it.
 */
public final class DeviceCommandSink implements CommandSink {
    private final CommandClient client;
    private final String command;
    private final EntityId device;
    private final Duration timeout;
    private final Consumer<CommandResult> outcomes;

    /**
     * @param command  the device's route for decisions, e.g. {@code set}
     * @param device   the device that must answer, or null for an entity the client's serving check entitles
     *                 to serve the target (a client connected without one refuses to send unpinned)
     * @param outcomes told each device answer (accepted or refused): a device may still refuse what the
     *                 gate passed, e.g. a grant revoked since
     */
    public DeviceCommandSink(CommandClient client, String command, EntityId device, Duration timeout,
            Consumer<CommandResult> outcomes) {
        this.client = Objects.requireNonNull(client, "client");
        this.command = Objects.requireNonNull(command, "command");
        this.device = device;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
    }

    @Override
    public void send(GatedDecision g) {
        if (!g.valid()) {
            throw new IllegalArgumentException("only decisions the gate found valid are sent");
        }
        Decision d = g.decision();
        outcomes.accept(client.send(d.target().namespace(), d.target().resource().toString(), command, params(d),
                g.proof(), device, timeout));
    }

    /**
     * The decision's parameters and confidence as command parameters: the very values the gate checked
     * ({@link Decision#context()}), so a device decides its caveats as the gate did.
     */
    static Map<String, ParamValue> params(Decision d) {
        Map<String, ParamValue> out = new TreeMap<>();
        d.params().forEach((k, v) -> out.put(k, ParamValue.number(v)));
        if (d.confidenceValue() != null) {
            out.put(Caveats.CONFIDENCE, d.confidenceValue());
        }
        return out;
    }
}
