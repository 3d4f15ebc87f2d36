package io.wave.agent.cli;

import io.wave.crypto.EntityId;
import io.wave.device.DeviceAgent;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a device agent started from the CLI keeps the nonces of the commands it checked ({@code --state}), and
 * whether its entity is new ({@code --new-device}): one way for every verb that serves over MQTT.
 */
final class DeviceStateOptions {
    @Option(names = "--state", paramLabel = "DIR",
            description = "Where the device keeps the nonces of the commands it checked (default: $WAVE_HOME/devices).")
    Path state;

    @Option(names = "--new-device", description = {
            "The entity was just made and has never served: start with an empty nonce journal, so it",
            "takes commands at once. Refused when --state already holds a journal for it (drop the flag)."})
    boolean newDevice;

    /** The state directory to give the agent, made ready for a new entity when {@code --new-device} says so. */
    Path prepare(CliContext ctx, EntityId device) {
        Path dir = state != null ? state : DeviceCommand.defaultState(ctx);
        if (newDevice) {
            DeviceAgent.provisionState(dir, device);
        }
        return dir;
    }
}
