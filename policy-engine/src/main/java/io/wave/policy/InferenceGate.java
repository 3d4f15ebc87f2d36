package io.wave.policy;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.UnverifiedProof;
import java.util.List;
import java.util.Objects;

/**
 * Where machine learning meets authorization, both ways round: who may ask a model, and what a model may
 * do. Pure, like the {@link ProofVerifier} it is built on: the clock, the revocation view and the cache
 * are the verifier's; every answer is a {@link Verdict}, never an exception.
 *
 * <ul>
 *   <li>{@link #authorizeInference}: the caller's proof must grant {@code ml:infer} on the model's
 *       resource ({@code NAMESPACE/models/NAME}) to the caller. Caveats on that grant are checked against
 *       an empty context: a daily window holds or not, and a parameter bound or confidence floor, which an
 *       inference request cannot satisfy, refuses it (fail closed).</li>
 *   <li>{@link #authorize}: the model's own proof must grant the decision's permission on its resource to
 *       the model, and the decision's parameters and confidence must satisfy every caveat on the covering
 *       path ({@code setpoint in [18,26]}, {@code confidence >= 0.8}, {@code time in 08:00-18:00}).</li>
 * </ul>
 */
public final class InferenceGate {
    private final ProofVerifier verifier;
    /** The last model asked about and the policy it requires: a server asks about one model, on every request. */
    private volatile Required last;

    private record Required(ModelRef model, Policy policy) {}

    public InferenceGate(ProofVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /** May {@code caller} ask {@code model} for an inference, on the strength of {@code proof}? */
    public Verdict authorizeInference(UnverifiedProof proof, EntityId caller, ModelRef model) {
        Objects.requireNonNull(proof, "proof");
        return verifier.verify(proof, inferRequest(caller, model));
    }

    /** As {@link #authorizeInference(UnverifiedProof, EntityId, ModelRef)}, from the proof's bytes. */
    public Verdict authorizeInference(byte[] proofDer, EntityId caller, ModelRef model) {
        Objects.requireNonNull(proofDer, "proofDer");
        return verifier.verify(proofDer, inferRequest(caller, model));
    }

    private Request inferRequest(EntityId caller, ModelRef model) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(model, "model");
        Required r = last;
        if (r == null || !r.model().equals(model)) {
            // Building the policy (parse, validate, sort) costs more than the warm verification it feeds.
            r = new Required(model, model.inferPolicy());
            last = r;
        }
        return new Request(List.of(r.policy()), caller, CaveatContext.NONE);
    }

    /**
     * Holds a model's decision to the model's own proof. Only a {@link GatedDecision} that is
     * {@linkplain GatedDecision#valid() valid} may become a command.
     */
    public GatedDecision authorize(Decision decision, UnverifiedProof modelProof) {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(modelProof, "modelProof");
        Request request = new Request(List.of(decision.target()), decision.model(), decision.context());
        return new GatedDecision(decision, modelProof, verifier.verify(modelProof, request));
    }

    /** As {@link #authorize(Decision, UnverifiedProof)}, from the proof's bytes: bytes that do not decode refuse. */
    public GatedDecision authorize(Decision decision, byte[] modelProofDer) {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(modelProofDer, "modelProofDer");
        UnverifiedProof proof;
        try {
            proof = UnverifiedProof.decode(modelProofDer);
        } catch (WaveException e) {
            return new GatedDecision(decision, null, Verdict.deny(e.code() == ErrorCode.TOO_LARGE ? ReasonCode.TOO_LARGE
                    : ReasonCode.MALFORMED, e.getMessage(), decision.model(), null));
        }
        return authorize(decision, proof);
    }
}
