package io.wave.agent.ml;

import io.wave.policy.GatedDecision;

/**
 * Where a model's decisions leave for the devices: the seam for the device SDK's command client, which
 * signs each as a command from the model's entity and sends it with {@link GatedDecision#proof()}, so
 * that the device checks the same proof and caveats again. {@link DecisionPath} calls {@link #send}
 * only with a decision the gate found valid; a sink must not be handed anything else.
 *
 * <p>Over device-sdk's {@code CommandClient}: namespace and resource from {@code decision().target()}, the
 * command name (the device's route, e.g. {@code set}) from the sink's own configuration, and the
 * parameters plus the confidence as the reserved parameter {@code confidence}, which is where the
 * device's {@code CommandGate} reads a confidence floor from.
 */
@FunctionalInterface
public interface CommandSink {
    /**
     * Sends one authorised decision.
     *
     * @throws io.wave.crypto.WaveException UNAVAILABLE when the device or broker cannot be reached
     */
    void send(GatedDecision decision);
}
