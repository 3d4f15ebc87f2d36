package io.wave.policy;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.ProofId;
import io.wave.crypto.WaveException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit trail: who asked or acted, on which model, with what input (by digest, so that the
 * trail holds no sensor data), what came out with what confidence, under which proof, and the verdict.
 * Refusals are recorded too: they are what an operator looks for first.
 *
 * @param time       when the gate decided
 * @param kind       an inference request, or a decision held to the model's proof on its way to a device
 * @param model      the model's entity
 * @param subject    who the proof had to be for: the caller of an inference, the model for a command
 * @param action     the policy that was required, as text ({@code ml:infer@NS/models/NAME}, {@code device:actuate@...})
 * @param input      digest of the model's input ({@link #digest(float[])}); null when there was none
 * @param output     the model's answer; null when a refusal meant the model never ran
 * @param confidence the model's confidence, NaN when none
 * @param proof      the id of the proof offered; null when it did not decode
 * @param reason     the verdict: {@link ReasonCode#VALID} or why not
 * @param detail     the verdict's one line for a human
 */
public record DecisionRecord(Instant time, Kind kind, EntityId model, EntityId subject, String action, Hash input,
        String output, double confidence, ProofId proof, ReasonCode reason, String detail) {
    /** The domain of input digests: a digest of features can never be the id of a WAVE object. */
    public static final String INPUT_DOMAIN = "wave.ml.input.v1";
    /** A verdict's detail is one line; longer text is cut so that one record stays one readable line. */
    public static final int MAX_DETAIL_CHARS = 512;

    public enum Kind { INFERENCE, COMMAND }

    public DecisionRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        if (output != null && output.length() > Decision.MAX_OUTPUT_CHARS) {
            throw WaveException.tooLarge("an output is at most " + Decision.MAX_OUTPUT_CHARS + " characters");
        }
        if (detail.length() > MAX_DETAIL_CHARS) {
            detail = detail.substring(0, MAX_DETAIL_CHARS - 3) + "...";
        }
    }

    public boolean allowed() {
        return reason == ReasonCode.VALID;
    }

    /** SHA3-256 of the features as big-endian IEEE 754 floats, in order, under {@link #INPUT_DOMAIN}. */
    public static Hash digest(float[] features) {
        ByteBuffer b = ByteBuffer.allocate(features.length * Float.BYTES);
        for (float f : features) {
            b.putFloat(f);
        }
        return Hash.sha3(INPUT_DOMAIN, b.array());
    }

    /** The record of a decision the gate has judged. */
    public static DecisionRecord of(Instant time, GatedDecision g, Hash input) {
        Decision d = g.decision();
        Verdict v = g.verdict();
        return new DecisionRecord(time, Kind.COMMAND, d.model(), d.model(), d.target().toString(), input, d.output(),
                d.confidence(), v.proof(), v.reason(), v.detail());
    }
}
