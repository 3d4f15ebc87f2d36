package io.wave.device.sim;

import io.wave.crypto.objects.ParamValue;
import io.wave.device.DeviceAgent;
import io.wave.device.HandlerResult;
import io.wave.device.Invocation;
import java.util.Map;
import java.util.Set;

/**
 * A simulated thermostat: a setpoint, a mode and a room temperature that moves half way to the setpoint
 * on every reading. It serves two commands on one resource: {@code set} ({@code device:actuate}; numeric
 * {@code setpoint}, optional text {@code mode}) and {@code read} ({@code device:read}). It trusts its
 * inputs only as far as physics: a setpoint outside 5 to 35 degrees is refused by the handler itself,
 * whatever a proof allows.
 */
public final class Thermostat {
    public static final double MIN_SETPOINT = 5;
    public static final double MAX_SETPOINT = 35;
    public static final Set<String> MODES = Set.of("off", "heat", "cool", "auto");

    private double setpoint;
    private double temperature;
    private String mode = "auto";
    private long changes;

    public Thermostat(double setpoint, double temperature) {
        this.setpoint = setpoint;
        this.temperature = temperature;
    }

    /** Adds this thermostat's {@code set} and {@code read} routes on {@code resource} to {@code agent}. */
    public DeviceAgent.Builder serve(DeviceAgent.Builder agent, String resource) {
        return agent.on(resource, "set", "device:actuate", this::set).on(resource, "read", "device:read", this::read);
    }

    synchronized HandlerResult set(Invocation inv) {
        Double sp = inv.number("setpoint");
        String m = inv.text("mode");
        if (sp == null && m == null) {
            throw new IllegalArgumentException("set takes a numeric setpoint, a mode, or both");
        }
        if (sp != null && (sp < MIN_SETPOINT || sp > MAX_SETPOINT)) {
            throw new IllegalArgumentException("setpoint " + sp + " is outside " + MIN_SETPOINT + " to " + MAX_SETPOINT);
        }
        if (m != null && !MODES.contains(m)) {
            throw new IllegalArgumentException("mode is one of " + new java.util.TreeSet<>(MODES));
        }
        if (sp != null) {
            setpoint = sp;
        }
        if (m != null) {
            mode = m;
        }
        changes++;
        return HandlerResult.of(state(), "setpoint " + fmt(setpoint) + ", mode " + mode);
    }

    synchronized HandlerResult read(Invocation inv) {
        if (!mode.equals("off")) {
            temperature += (setpoint - temperature) / 2;
        }
        return HandlerResult.of(state(), "temperature " + fmt(temperature) + ", setpoint " + fmt(setpoint));
    }

    private Map<String, ParamValue> state() {
        return Map.of("setpoint", ParamValue.number(fmt(setpoint)), "temperature", ParamValue.number(fmt(temperature)),
                "mode", new ParamValue.Text(mode));
    }

    private static String fmt(double v) {
        return java.math.BigDecimal.valueOf(Math.round(v * 1000) / 1000.0).stripTrailingZeros().toPlainString();
    }

    public synchronized double setpoint() {
        return setpoint;
    }

    public synchronized String mode() {
        return mode;
    }

    /** How many {@code set} commands ran: what a test checks to prove a refused command had no effect. */
    public synchronized long changes() {
        return changes;
    }
}
