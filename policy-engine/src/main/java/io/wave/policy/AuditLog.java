package io.wave.policy;

/**
 * Where decision records go: append-only, in order. An implementation must make a record durable (or
 * fail) before {@link #append} returns, because the record is the operator's only account of a decision
 * that may already have moved a device. Implementations are thread-safe.
 */
@FunctionalInterface
public interface AuditLog {
    /**
     * Appends one record.
     *
     * @throws io.wave.crypto.WaveException IO_ERROR when the record could not be kept
     */
    void append(DecisionRecord record);
}
