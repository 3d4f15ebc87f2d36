package io.wave.agent.ml;

import io.wave.crypto.EntityId;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.policy.Decision;
import io.wave.policy.DecisionRecord;
import io.wave.policy.Policy;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * A model in a control loop: each row of sensor features becomes a prediction, the predicted label a
 * setting ({@code occupied} means a setpoint of 22, say), and the setting a {@link Decision} that goes the
 * one way decisions go, {@link DecisionPath}: gate, audit, then the device. The model acts only through
 * its own proof, so whatever it predicts, a device sees only what the model's grant allows.
 */
public final class Controller {
    private final Model model;
    private final DecisionPath path;
    private final EntityId modelId;
    private final Policy target;
    private final UnverifiedProof proof;
    private final String param;
    private final Map<String, BigDecimal> settingByLabel;

    /**
     * @param target         the permission and resource decisions act on
     * @param param          the command parameter a setting goes in, e.g. {@code setpoint}
     * @param settingByLabel the setting for each label the model may predict, exact to six decimal places; a
     *                       label with none decides nothing
     */
    public Controller(Model model, DecisionPath path, EntityId modelId, Policy target, UnverifiedProof proof,
            String param, Map<String, BigDecimal> settingByLabel) {
        this.model = Objects.requireNonNull(model, "model");
        this.path = Objects.requireNonNull(path, "path");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        this.target = Objects.requireNonNull(target, "target");
        this.proof = Objects.requireNonNull(proof, "proof");
        this.param = Objects.requireNonNull(param, "param");
        this.settingByLabel = Map.copyOf(settingByLabel);
        if (this.settingByLabel.isEmpty()) {
            throw WaveException.badArgument("a controller needs a setting for at least one label");
        }
    }

    /** What one row led to: the prediction, and the gate's record (null when the label maps to no setting). */
    public record Step(Prediction prediction, DecisionRecord record) {}

    /**
     * Predicts on {@code features} and, when the label has a setting, submits the decision.
     *
     * @throws WaveException BAD_ARGUMENT when the row does not fit the model
     */
    public Step step(float[] features) {
        Prediction p = model.predict(features);
        BigDecimal setting = settingByLabel.get(p.label());
        if (setting == null) {
            return new Step(p, null);
        }
        Decision d = new Decision(modelId, target, Map.of(param, setting), p.confidence(), p.label());
        return new Step(p, path.submit(d, proof, features));
    }

    /** A sensor row as JSON (an array in input order, or an object by feature name) for this controller's model. */
    public static float[] features(com.fasterxml.jackson.databind.JsonNode row, Controller c) {
        return Rows.features(row, c.model.signature());
    }
}
