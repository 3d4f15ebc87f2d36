package io.wave.agent.ml;

import io.wave.crypto.objects.UnverifiedProof;
import io.wave.policy.AuditLog;
import io.wave.policy.Decision;
import io.wave.policy.DecisionRecord;
import io.wave.policy.GatedDecision;
import io.wave.policy.InferenceGate;
import java.time.Clock;
import java.util.Objects;

/**
 * The one way a model's decision becomes a command: held to the model's proof by the
 * {@link InferenceGate}, recorded in the audit log, and only then, if valid, handed to the
 * {@link CommandSink}. A decision outside its caveats is recorded with its reason and goes nowhere.
 * The record is appended before the send, so that a command that reached a device always has one.
 */
public final class DecisionPath {
    private final InferenceGate gate;
    private final AuditLog audit;
    private final CommandSink sink;
    private final Clock clock;

    public DecisionPath(InferenceGate gate, AuditLog audit, CommandSink sink, Clock clock) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Gates, records and (when valid) sends one decision.
     *
     * @param input the model's input that led to the decision (recorded by digest)
     * @return the record, whose reason says whether the decision was sent
     */
    public DecisionRecord submit(Decision decision, UnverifiedProof modelProof, float[] input) {
        GatedDecision g = gate.authorize(decision, modelProof);
        DecisionRecord r = DecisionRecord.of(clock.instant(), g, DecisionRecord.digest(input));
        audit.append(r);
        if (g.valid()) {
            sink.send(g);
        }
        return r;
    }
}
