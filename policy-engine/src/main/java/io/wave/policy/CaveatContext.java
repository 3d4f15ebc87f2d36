package io.wave.policy;

import java.util.Map;
import java.util.Objects;

/**
 * What caveats are checked against when a grant is used: the numeric parameters of the command and,
 * for a model's decision, its confidence ({@code NaN} when there is none).
 */
public record CaveatContext(Map<String, Double> params, double confidence) {
    public static final CaveatContext NONE = new CaveatContext(Map.of(), Double.NaN);

    public CaveatContext {
        params = Map.copyOf(Objects.requireNonNull(params, "params"));
    }

    public static CaveatContext of(Map<String, Double> params) {
        return new CaveatContext(params, Double.NaN);
    }

    public CaveatContext withConfidence(double c) {
        return new CaveatContext(params, c);
    }
}
