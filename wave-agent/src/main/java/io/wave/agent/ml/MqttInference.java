package io.wave.agent.ml;

import io.wave.crypto.WaveException;
import io.wave.crypto.objects.ParamValue;
import io.wave.device.DeviceAgent;
import io.wave.device.HandlerResult;
import io.wave.device.Invocation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Inference over MQTT, request and response: a request is a command like any other (signed by the
 * caller, carrying or naming the caller's proof, fresh, never replayed), command {@code infer} on the
 * model's resource {@code models/NAME}, with the features as numeric parameters by name ({@code x0},
 * {@code x1}, ... for a model that does not name its features). A device agent acting as the model's
 * entity holds each to {@code ml:infer} on that resource before the model runs, so an unauthorised
 * request costs no inference; the answer is a reply signed by the model's entity with {@code label} and
 * {@code confidence}. Unlike the REST path, the caller is proven, not named.
 */
public final class MqttInference {
    public static final String COMMAND = "infer";
    public static final String PERMISSION = "ml:infer";

    private MqttInference() {}

    /** Adds the {@code infer} route for {@code service}'s model to {@code agent}. */
    public static DeviceAgent.Builder serve(DeviceAgent.Builder agent, InferenceService service) {
        return agent.on(service.ref().resource().toString(), COMMAND, PERMISSION, inv -> answer(service, inv));
    }

    static HandlerResult answer(InferenceService service, Invocation inv) {
        float[] features = features(service.signature(), inv);
        InferenceService.Outcome o = service.authorized(inv.sender(), inv.verdict(), features);
        Prediction p = o.prediction();
        Map<String, ParamValue> results = p.label() == null
                ? Map.of("confidence", number(p.confidence()))
                : Map.of("label", new ParamValue.Text(p.label()), "confidence", number(p.confidence()));
        return HandlerResult.of(results, (p.label() == null ? "" : p.label() + " ") + "with confidence "
                + number(p.confidence()));
    }

    /** The row from the request's parameters: by the model's feature names, else x0, x1, ... */
    static float[] features(ModelSignature s, Invocation inv) {
        List<String> names = s.featureNames();
        int n = names.isEmpty() ? inv.params().size() : names.size();
        if (n == 0 || n > ModelSignature.MAX_FEATURES || inv.params().size() != n) {
            throw WaveException.badArgument("the model takes " + (names.isEmpty() ? s.featureCount() + " features x0.."
                    : String.join(", ", names)) + "; the request has " + inv.params().keySet());
        }
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            String name = names.isEmpty() ? "x" + i : names.get(i);
            Double v = inv.number(name);
            if (v == null) {
                throw WaveException.badArgument("feature '" + name + "' is missing or not a number");
            }
            f[i] = v.floatValue();
        }
        return f;
    }

    private static ParamValue.Number number(double v) {
        return ParamValue.number(BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN));
    }
}
