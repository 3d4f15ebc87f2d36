package io.wave.policy;

import io.wave.crypto.EntityId;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.ParamValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a model wants done: a command on {@code target} (one permission on one concrete resource) with
 * numeric parameters, taken with a confidence. It is only a wish until {@link InferenceGate#authorize}
 * has held it to the model's proof and its caveats.
 *
 * @param model      the model's entity: the subject its proof must end at
 * @param target     the permission and resource the command uses, e.g. {@code device:actuate@NS/building1/hvac}
 * @param params     the command's numeric parameters, exact to six decimal places (more is refused, not
 *                   rounded), checked against parameter caveats
 * @param confidence the model's confidence in [0, 1], checked against a confidence floor; NaN when it has none.
 *                   A model's probability is a float: it is cut (not rounded) to six decimal places
 *                   ({@link #confidenceValue()}), which decides {@code confidence >= X} exactly as the float
 *                   would, since every X has at most six decimal places
 * @param output     what the model answered (a class label, say), for the audit trail
 */
public record Decision(EntityId model, Policy target, Map<String, BigDecimal> params, double confidence, String output) {
    /** A command carries a handful of settings; the bound stops a decision from smuggling a table. */
    public static final int MAX_PARAMS = 32;
    /** Parameter names as caveats name them. */
    public static final Pattern PARAM = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** An output is a label, not a document. */
    public static final int MAX_OUTPUT_CHARS = 256;

    public Decision {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(output, "output");
        if (target.permissions().size() != 1 || !target.resource().isConcrete()) {
            throw WaveException.badArgument("a decision acts with one permission on one concrete resource, not " + target);
        }
        if (params.size() > MAX_PARAMS) {
            throw WaveException.tooLarge("a decision carries at most " + MAX_PARAMS + " parameters, not " + params.size());
        }
        for (Map.Entry<String, BigDecimal> e : params.entrySet()) {
            if (e.getKey() == null || !PARAM.matcher(e.getKey()).matches() || e.getKey().equals(Caveats.CONFIDENCE)) {
                throw WaveException.badArgument("parameter name '" + e.getKey() + "' is not a name a caveat can bound");
            }
        }
        // Refuses a value a command could not carry exactly (more than six decimals, out of range).
        CaveatContext.ofDecimals(params, null);
        if (!Double.isNaN(confidence) && (confidence < 0 || confidence > 1)) {
            throw WaveException.badArgument("confidence " + confidence + " is not in [0, 1]");
        }
        if (output.length() > MAX_OUTPUT_CHARS) {
            throw WaveException.tooLarge("an output is at most " + MAX_OUTPUT_CHARS + " characters");
        }
        params = Map.copyOf(params);
    }

    /** What the caveats on the model's proof are checked against: the same values a command to a device carries. */
    public CaveatContext context() {
        return CaveatContext.ofDecimals(params, null).withConfidence(confidenceValue());
    }

    /** The confidence as a command carries it: cut to six decimal places; null when there is none. */
    public ParamValue.Number confidenceValue() {
        return Double.isNaN(confidence) ? null
                : ParamValue.number(new BigDecimal(confidence).setScale(6, RoundingMode.FLOOR));
    }
}
