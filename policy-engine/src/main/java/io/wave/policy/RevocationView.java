package io.wave.policy;

import io.wave.crypto.RevocationCommitment;

/**
 * Where a verifier learns whether a commitment has been opened. The ledger implements it; offline
 * verification uses {@link #NONE} or a set of revocations the user supplies.
 */
@FunctionalInterface
public interface RevocationView {
    /** Answers for one commitment. Implementations must be thread-safe and fast: it is on the hot path. */
    Status status(RevocationCommitment commitment);

    enum Status { NOT_REVOKED, REVOKED, UNKNOWN }

    /** Knows of no revocation: for offline checks with no ledger. */
    RevocationView NONE = c -> Status.NOT_REVOKED;
}
