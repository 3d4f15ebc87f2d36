package io.wave.agent.ml;

import io.wave.crypto.WaveException;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a model as read from its file: its one float input, how many features a row has (or -1
 * when the model accepts any count up to {@link #MAX_FEATURES}), the features' names when the model says
 * them, the class labels when known, and which outputs carry the label and the scores.
 *
 * @param input        the name of the model's float tensor input
 * @param featureCount features per row, or -1 when the model leaves it open
 * @param featureNames names in input order (empty when the model does not name them)
 * @param labels       class names in score order (empty when unknown; then classes are named by index)
 * @param labelOutput  the output holding the predicted class, or null
 * @param scoreOutput  the output holding per-class probabilities, or null
 */
public record ModelSignature(String input, int featureCount, List<String> featureNames, List<String> labels,
        String labelOutput, String scoreOutput) {
    /** A building controller reads tens of sensors; the bound stops a request from sizing the model's buffers. */
    public static final int MAX_FEATURES = 4096;
    /** Classes a served model may have: a controller's decision is one of a few. */
    public static final int MAX_LABELS = 1024;

    public ModelSignature {
        Objects.requireNonNull(input, "input");
        featureNames = List.copyOf(featureNames);
        labels = List.copyOf(labels);
        if (featureCount == 0 || featureCount < -1 || featureCount > MAX_FEATURES) {
            throw WaveException.badArgument("a served model takes 1 to " + MAX_FEATURES + " features, not " + featureCount);
        }
        if (!featureNames.isEmpty() && featureNames.size() != featureCount) {
            throw WaveException.malformed("the model names " + featureNames.size() + " features but takes " + featureCount);
        }
        if (labels.size() > MAX_LABELS) {
            throw WaveException.badArgument("a served model has at most " + MAX_LABELS + " classes");
        }
        if (labelOutput == null && scoreOutput == null) {
            throw WaveException.badArgument("the model has neither a label nor a probability output");
        }
    }

    /** Checks a row against the signature before anything runs. */
    public void check(float[] features) {
        Objects.requireNonNull(features, "features");
        int n = features.length;
        if (n == 0 || n > MAX_FEATURES) {
            throw WaveException.badArgument("a row has 1 to " + MAX_FEATURES + " features, not " + n);
        }
        if (featureCount != -1 && n != featureCount) {
            throw WaveException.badArgument("the model takes " + featureCount + " features"
                    + (featureNames.isEmpty() ? "" : " (" + String.join(", ", featureNames) + ")") + ", not " + n);
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(features[i])) {
                throw WaveException.badArgument("feature " + (featureNames.isEmpty() ? "#" + i : featureNames.get(i))
                        + " is not a finite number");
            }
        }
    }
}
