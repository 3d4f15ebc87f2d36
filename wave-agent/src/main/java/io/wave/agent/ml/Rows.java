package io.wave.agent.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.wave.crypto.WaveException;
import java.util.List;

/** Rows of features from JSON, read one way for REST requests and sensor messages alike. */
final class Rows {
    private Rows() {}

    /** A row from a JSON array (in input order) or object (by feature name, every name once). */
    static float[] features(JsonNode n, ModelSignature s) {
        if (n.isArray()) {
            if (n.size() == 0 || n.size() > ModelSignature.MAX_FEATURES) {
                throw WaveException.badArgument("features: 1 to " + ModelSignature.MAX_FEATURES + " numbers, not " + n.size());
            }
            float[] f = new float[n.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = number(n.get(i), "features[" + i + "]");
            }
            return f;
        }
        if (n.isObject()) {
            List<String> names = s.featureNames();
            if (names.isEmpty()) {
                throw WaveException.badArgument("this model does not name its features: give them as an array of "
                        + (s.featureCount() == -1 ? "numbers" : s.featureCount() + " numbers"));
            }
            if (n.size() != names.size()) {
                throw WaveException.badArgument("features: the model takes " + String.join(", ", names));
            }
            float[] f = new float[names.size()];
            for (int i = 0; i < f.length; i++) {
                JsonNode v = n.get(names.get(i));
                if (v == null) {
                    throw WaveException.badArgument("features: '" + names.get(i) + "' is missing (the model takes "
                            + String.join(", ", names) + ")");
                }
                f[i] = number(v, "features." + names.get(i));
            }
            return f;
        }
        throw WaveException.badArgument("features is an array of numbers or an object of numbers by name");
    }

    private static float number(JsonNode v, String where) {
        if (!v.isNumber()) {
            throw WaveException.badArgument(where + " is not a number");
        }
        float f = v.floatValue();
        if (!Float.isFinite(f)) {
            throw WaveException.badArgument(where + " is out of range for a float");
        }
        return f;
    }
}
