package io.wave.crypto.objects;

import io.wave.crypto.WaveException;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The value of a command parameter or a reply result: a number, kept exactly in millionths like caveat
 * bounds (so {@code setpoint in [18,26]} compares without rounding), or a short text.
 *
 * <pre>
 * Params ::= SEQUENCE OF SEQUENCE { name UTF8String, value CHOICE { number INTEGER, text UTF8String } }
 *            -- sorted by name, each name once, at most 32
 * </pre>
 */
public sealed interface ParamValue {
    /** A number in millionths: {@code 21.5} is {@code 21500000}. */
    record Number(long micros) implements ParamValue {
        /** The exact value. */
        public BigDecimal toBigDecimal() {
            return BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        }

        /** For display and arithmetic in a handler; not exact above about 2^33 (caveats compare {@link #micros}). */
        public double toDouble() {
            return micros / (double) Caveat.MICROS;
        }

        @Override
        public String toString() {
            return Caveat.decimal(micros);
        }
    }

    record Text(String value) implements ParamValue {
        public Text {
            if (value == null || value.isEmpty() || value.length() > Limits.MAX_PARAM_TEXT_CHARS) {
                throw WaveException.malformed("a text parameter is 1 to " + Limits.MAX_PARAM_TEXT_CHARS + " characters");
            }
            for (int i = 0; i < value.length(); i++) {
                if (Character.isISOControl(value.charAt(i))) {
                    throw WaveException.malformed("a text parameter holds a control character");
                }
            }
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /** A number from its decimal text; at most six decimal places. */
    public static Number number(String decimal) {
        return new Number(Caveat.micros(decimal));
    }

    /**
     * A number from an exact decimal; at most six decimal places and within the range of micros in a long.
     * More precision is refused, never rounded: a bound is exact to six places, so rounding could move a
     * value across it.
     *
     * @throws WaveException BAD_ARGUMENT otherwise
     */
    public static Number number(BigDecimal value) {
        Objects.requireNonNull(value, "value");
        try {
            return new Number(value.movePointRight(6).longValueExact());
        } catch (ArithmeticException e) {
            throw WaveException.badArgument("not a number with at most six decimal places: " + value.toPlainString());
        }
    }
}
