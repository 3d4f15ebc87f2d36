package io.wave.agent.ml;

import io.wave.crypto.WaveException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a model answered for one row.
 *
 * @param label         the predicted class (its name when the model says it, else its index)
 * @param confidence    the probability of that class in [0, 1], or NaN when the model gives no probabilities
 * @param probabilities every class's probability, in the model's order (empty when it gives none)
 */
public record Prediction(String label, double confidence, Map<String, Double> probabilities) {
    public Prediction {
        Objects.requireNonNull(label, "label");
        if (!Double.isNaN(confidence) && (confidence < 0 || confidence > 1)) {
            throw WaveException.badArgument("confidence " + confidence + " is not a probability");
        }
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
    }
}
