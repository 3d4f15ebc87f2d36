package io.wave.policy;

import io.wave.crypto.WaveException;
import io.wave.crypto.objects.ParamValue;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What caveats are checked against when a grant is used: the numeric parameters of the command and, for a
 * model's decision, its confidence (null when there is none). Values are exact, in millionths like the
 * caveats' bounds, so a comparison never rounds: a value is exact to six decimal places or refused where
 * it enters ({@link #ofDecimals}).
 */
public record CaveatContext(Map<String, ParamValue.Number> params, ParamValue.Number confidence) {
    /** A use with no parameters and no confidence: every parameter caveat and confidence floor fails. */
    public static final CaveatContext NONE = new CaveatContext(Map.of(), null);

    public CaveatContext {
        params = Map.copyOf(Objects.requireNonNull(params, "params"));
    }

    public static CaveatContext of(Map<String, ParamValue.Number> params) {
        return new CaveatContext(params, null);
    }

    /**
     * A context from decimals as a caller gives them (REST {@code params}, the CLI's {@code --param}).
     *
     * @param confidence a confidence in [0, 1], or null for none
     * @throws WaveException BAD_ARGUMENT for a value with more than six decimal places or beyond the range of
     *                       caveat bounds, a null value, or a confidence outside [0, 1]
     */
    public static CaveatContext ofDecimals(Map<String, BigDecimal> params, BigDecimal confidence) {
        Map<String, ParamValue.Number> exact = new TreeMap<>();
        params.forEach((name, v) -> {
            String shown = name.length() <= 64 ? name : name.substring(0, 64) + "...";
            if (v == null) {
                throw WaveException.badArgument("parameter '" + shown + "' has no value");
            }
            try {
                exact.put(name, ParamValue.number(v));
            } catch (WaveException e) {
                throw WaveException.badArgument("parameter '" + shown + "': " + e.getMessage());
            }
        });
        return new CaveatContext(exact, confidence == null ? null : confidence(confidence));
    }

    /** An exact confidence in [0, 1]; more than six decimal places is refused, not rounded. */
    public static ParamValue.Number confidence(BigDecimal c) {
        if (c.signum() < 0 || c.compareTo(BigDecimal.ONE) > 0) {
            throw WaveException.badArgument("confidence " + c.toPlainString() + " is not in [0, 1]");
        }
        return ParamValue.number(c);
    }

    public CaveatContext withConfidence(ParamValue.Number c) {
        return new CaveatContext(params, c);
    }
}
