package io.wave.agent.cli;

import io.wave.crypto.WaveException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code DURATION := 30s | 15m | 12h | 30d}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})([smhd])");
    /** A century: longer validity is a typo, not a plan. */
    static final Duration MAX = Duration.ofDays(36_525);

    private Durations() {}

    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw WaveException.badArgument("duration '" + text + "' is not a number followed by s, m, h or d (e.g. 30d)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero() || d.compareTo(MAX) > 0) {
            throw WaveException.badArgument("duration '" + text + "' must be positive and at most 36525d");
        }
        return d;
    }
}
