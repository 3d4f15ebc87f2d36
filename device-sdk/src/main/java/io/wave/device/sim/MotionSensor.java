package io.wave.device.sim;

import io.wave.crypto.objects.ParamValue;
import io.wave.device.DeviceAgent;
import io.wave.device.HandlerResult;
import io.wave.device.Invocation;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A simulated passive-infrared motion sensor. It serves {@code read} ({@code device:read}): whether it
 * saw motion within the hold time and how long ago it last did. Motion comes from {@link #motion()} (a
 * test or the testnet's building simulation calls it); the sensor only reports.
 */
public final class MotionSensor {
    /** How long a detection keeps the sensor reporting motion. */
    public static final long HOLD_SECONDS = 60;

    private final Clock clock;
    private Instant last;
    private long detections;

    public MotionSensor(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds this sensor's {@code read} route on {@code resource} to {@code agent}. */
    public DeviceAgent.Builder serve(DeviceAgent.Builder agent, String resource) {
        return agent.on(resource, "read", "device:read", this::read);
    }

    /** Something moved in front of the sensor now. */
    public synchronized void motion() {
        last = clock.instant();
        detections++;
    }

    synchronized HandlerResult read(Invocation inv) {
        Instant now = clock.instant();
        boolean recent = last != null && now.getEpochSecond() - last.getEpochSecond() < HOLD_SECONDS;
        long ago = last == null ? -1 : Math.max(0, now.getEpochSecond() - last.getEpochSecond());
        return HandlerResult.of(Map.of("motion", new ParamValue.Text(recent ? "yes" : "no"),
                        "seconds_since_motion", ParamValue.number(Long.toString(ago)),
                        "detections", ParamValue.number(Long.toString(detections))),
                recent ? "motion " + ago + " s ago" : last == null ? "no motion seen yet" : "no motion for " + ago + " s");
    }

    public synchronized long detections() {
        return detections;
    }
}
