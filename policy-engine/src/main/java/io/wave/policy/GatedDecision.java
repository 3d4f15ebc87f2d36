package io.wave.policy;

import io.wave.crypto.objects.UnverifiedProof;
import java.util.Objects;

/**
 * A model's decision after the {@link InferenceGate} held it to the model's proof: the decision, the
 * proof that was offered for it, and the verdict. Only the gate makes one, so code that accepts a
 * {@code GatedDecision} (a command sink) knows it was checked, and must still act only when
 * {@link #valid()}.
 */
public final class GatedDecision {
    private final Decision decision;
    private final UnverifiedProof proof;
    private final Verdict verdict;

    GatedDecision(Decision decision, UnverifiedProof proof, Verdict verdict) {
        this.decision = Objects.requireNonNull(decision, "decision");
        this.proof = proof;
        this.verdict = Objects.requireNonNull(verdict, "verdict");
    }

    public Decision decision() {
        return decision;
    }

    /** The proof that carries the decision to a device; null when the bytes offered did not decode. */
    public UnverifiedProof proof() {
        return proof;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** True only when the proof grants the decision to the model now, within every caveat. */
    public boolean valid() {
        return verdict.valid();
    }

    @Override
    public String toString() {
        return "GatedDecision[" + decision.target() + " " + decision.params() + " confidence=" + decision.confidence()
                + " -> " + verdict.reason() + "]";
    }
}
