package io.wave.agent.ml;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.policy.AuditLog;
import io.wave.policy.DecisionRecord;
import io.wave.policy.InferenceGate;
import io.wave.policy.ModelRef;
import io.wave.policy.ReasonCode;
import io.wave.policy.Verdict;
import java.time.Clock;
import java.util.Objects;

/**
 * A model served to callers who hold {@code ml:infer} on it, whatever the transport. Each request is
 * checked in this order: the row against the model's signature (a defect: an exception), the caller's
 * proof through the {@link InferenceGate} (a refusal: a value, and the model never runs), then the model.
 * Every answer and every refusal is appended to the audit log.
 */
public final class InferenceService {
    private final ModelRef ref;
    private final EntityId modelEntity;
    private final Model model;
    private final InferenceGate gate;
    private final AuditLog audit;
    private final Clock clock;
    /** What the caller must hold, as the audit log names it: made once, not per request. */
    private final String action;

    public InferenceService(ModelRef ref, EntityId modelEntity, Model model, InferenceGate gate, AuditLog audit, Clock clock) {
        this.ref = Objects.requireNonNull(ref, "ref");
        this.modelEntity = Objects.requireNonNull(modelEntity, "modelEntity");
        this.model = Objects.requireNonNull(model, "model");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.action = ref.inferPolicy().toString();
    }

    /**
     * The outcome of one request.
     *
     * @param verdict    why the caller may or may not ask
     * @param prediction the model's answer; null when refused
     * @param input      the digest of the row, as audited
     */
    public record Outcome(Verdict verdict, Prediction prediction, Hash input) {
        public boolean allowed() {
            return verdict.valid();
        }
    }

    public ModelRef ref() {
        return ref;
    }

    public EntityId modelEntity() {
        return modelEntity;
    }

    public ModelSignature signature() {
        return model.signature();
    }

    /** Answers {@code caller} on the strength of {@code proof}, or refuses without running the model. */
    public Outcome infer(EntityId caller, UnverifiedProof proof, float[] features) {
        model.signature().check(features);
        return infer(caller, gate.authorizeInference(proof, caller, ref), features);
    }

    /** As {@link #infer(EntityId, UnverifiedProof, float[])}, for a proof whose bytes did not decode. */
    public Outcome refuseUndecodable(EntityId caller, ReasonCode reason, String detail, float[] features) {
        model.signature().check(features);
        return infer(caller, Verdict.deny(reason, detail, caller, null), features);
    }

    /**
     * Answers {@code caller} whose signed request a device agent's gate already held to its proof (the
     * MQTT path), with the verdict that gate reached.
     *
     * @throws IllegalArgumentException when the verdict is not valid: a refused request never gets here
     */
    public Outcome authorized(EntityId caller, Verdict verdict, float[] features) {
        if (verdict == null || !verdict.valid()) {
            throw new IllegalArgumentException("only a request the gate found valid runs the model");
        }
        model.signature().check(features);
        return infer(caller, verdict, features);
    }

    private Outcome infer(EntityId caller, Verdict v, float[] features) {
        Hash input = DecisionRecord.digest(features);
        Prediction p = v.valid() ? model.predict(features) : null;
        audit.append(new DecisionRecord(clock.instant(), DecisionRecord.Kind.INFERENCE, modelEntity, caller,
                action, input, p == null ? null : p.label(), p == null ? Double.NaN : p.confidence(),
                v.proof(), v.reason(), v.detail()));
        return new Outcome(v, p, input);
    }
}
