package io.wave.device.sim;

import io.wave.crypto.objects.ParamValue;
import io.wave.device.DeviceAgent;
import io.wave.device.HandlerResult;
import io.wave.device.Invocation;
import java.util.Map;

/**
 * A simulated dimmable light. It serves {@code set} ({@code device:actuate}; text {@code power} "on" or
 * "off", numeric {@code brightness} 0 to 100, either or both) and {@code read} ({@code device:read}) on
 * one resource. A grant can bound the brightness with a caveat ({@code brightness <= 60}); the light
 * itself refuses what no lamp can do.
 */
public final class Light {
    private boolean on;
    private double brightness = 100;
    private long changes;

    /** Adds this light's {@code set} and {@code read} routes on {@code resource} to {@code agent}. */
    public DeviceAgent.Builder serve(DeviceAgent.Builder agent, String resource) {
        return agent.on(resource, "set", "device:actuate", this::set).on(resource, "read", "device:read", this::read);
    }

    synchronized HandlerResult set(Invocation inv) {
        String power = inv.text("power");
        Double b = inv.number("brightness");
        if (power == null && b == null) {
            throw new IllegalArgumentException("set takes power (on or off), a numeric brightness, or both");
        }
        if (power != null && !power.equals("on") && !power.equals("off")) {
            throw new IllegalArgumentException("power is on or off, not " + power);
        }
        if (b != null && (b < 0 || b > 100)) {
            throw new IllegalArgumentException("brightness " + b + " is outside 0 to 100");
        }
        if (power != null) {
            on = power.equals("on");
        }
        if (b != null) {
            brightness = b;
        }
        changes++;
        return HandlerResult.of(state(), describe());
    }

    synchronized HandlerResult read(Invocation inv) {
        return HandlerResult.of(state(), describe());
    }

    private Map<String, ParamValue> state() {
        return Map.of("power", new ParamValue.Text(on ? "on" : "off"),
                "brightness", ParamValue.number(java.math.BigDecimal.valueOf(brightness).stripTrailingZeros().toPlainString()));
    }

    private String describe() {
        return (on ? "on" : "off") + ", brightness " + java.math.BigDecimal.valueOf(brightness).stripTrailingZeros()
                .toPlainString();
    }

    public synchronized boolean isOn() {
        return on;
    }

    public synchronized double brightness() {
        return brightness;
    }

    /** How many {@code set} commands ran. */
    public synchronized long changes() {
        return changes;
    }
}
