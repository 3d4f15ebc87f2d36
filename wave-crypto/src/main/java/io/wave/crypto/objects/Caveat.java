package io.wave.crypto.objects;

import io.wave.crypto.WaveException;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A condition on how a grant may be used. Caveats are conjunctive: every caveat on every attestation of
 * a path must hold. The kinds are closed: a caveat of an unknown kind cannot be honoured, so decoding
 * refuses it.
 *
 * <p>Numbers are kept exactly as integers in millionths ("micros"): {@code 18.5} is {@code 18500000}.
 */
public sealed interface Caveat {
    /** Parameter names a caveat may bound. */
    Pattern PARAM_NAME = Pattern.compile("[a-z][a-zA-Z0-9_]{0,31}");
    long MICROS = 1_000_000L;

    /** Kind numbers on the wire. */
    int KIND_PARAM_RANGE = 1;
    int KIND_DAILY_WINDOW = 2;
    int KIND_MIN_CONFIDENCE = 3;

    /**
     * A numeric command parameter must lie in {@code [min, max]} (inclusive). An open end is
     * {@link Long#MIN_VALUE} or {@link Long#MAX_VALUE}. A command that lacks the parameter violates it.
     */
    record ParamRange(String param, long minMicros, long maxMicros) implements Caveat {
        public ParamRange {
            if (param == null || !PARAM_NAME.matcher(param).matches()) {
                throw WaveException.malformed("a caveat parameter name is a word of up to 32 characters");
            }
            if (minMicros == Long.MIN_VALUE && maxMicros == Long.MAX_VALUE) {
                throw WaveException.malformed("a parameter range needs at least one bound");
            }
            // The extremes mark open ends; as bounds they would be encoded and then refused on decoding.
            if (minMicros == Long.MAX_VALUE || maxMicros == Long.MIN_VALUE) {
                throw WaveException.malformed("a parameter bound lies strictly between the extremes of a long");
            }
            if (minMicros > maxMicros) {
                throw WaveException.malformed("a parameter range's minimum exceeds its maximum");
            }
        }

        public boolean hasMin() {
            return minMicros != Long.MIN_VALUE;
        }

        public boolean hasMax() {
            return maxMicros != Long.MAX_VALUE;
        }

        @Override
        public String toString() {
            if (hasMin() && hasMax()) {
                return param + " in [" + decimal(minMicros) + "," + decimal(maxMicros) + "]";
            }
            return hasMin() ? param + " >= " + decimal(minMicros) : param + " <= " + decimal(maxMicros);
        }
    }

    /**
     * Use only between two times of day in UTC, minutes since midnight, start inclusive and end
     * exclusive; a window whose start is after its end wraps past midnight.
     */
    record DailyWindow(int startMinute, int endMinute) implements Caveat {
        public DailyWindow {
            if (startMinute < 0 || startMinute >= 1440 || endMinute < 0 || endMinute > 1440 || startMinute == endMinute
                    || (endMinute == 1440 && startMinute == 0)) {
                throw WaveException.malformed("a daily window runs between two different times of day");
            }
        }

        public boolean containsMinute(int minuteOfDay) {
            return startMinute < endMinute
                    ? minuteOfDay >= startMinute && minuteOfDay < endMinute
                    : minuteOfDay >= startMinute || minuteOfDay < endMinute;
        }

        @Override
        public String toString() {
            return "time in " + hhmm(startMinute) + "-" + hhmm(endMinute) + " UTC";
        }

        private static String hhmm(int m) {
            return String.format("%02d:%02d", m / 60, m % 60);
        }
    }

    /** A model's decision must come with at least this confidence, in millionths (0 to 1,000,000). */
    record MinConfidence(long micros) implements Caveat {
        public MinConfidence {
            if (micros < 0 || micros > MICROS) {
                throw WaveException.malformed("a confidence floor lies between 0 and 1");
            }
        }

        @Override
        public String toString() {
            return "confidence >= " + decimal(micros);
        }
    }

    /** Exact decimal text of a micros value: {@code 18500000} prints as {@code 18.5}. */
    static String decimal(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    /** Micros from exact decimal text; refuses more than six decimal places or out-of-range values. */
    static long micros(String decimal) {
        Objects.requireNonNull(decimal, "decimal");
        try {
            BigDecimal d = new BigDecimal(decimal.trim());
            return d.movePointRight(6).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw WaveException.badArgument("not a number with at most six decimal places: " + decimal);
        }
    }
}
