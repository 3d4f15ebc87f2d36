package io.wave.policy.testing;

import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.RevocationSecret;
import io.wave.policy.RevocationView;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A revocation view a test controls: nothing is revoked until the test says so, and a commitment can be
 * made unknown (a ledger that has not caught up) to exercise failing closed. Thread-safe, and it may change
 * between verifications, as a ledger does.
 */
public final class TestRevocations implements RevocationView {
    private final Set<RevocationCommitment> revoked = ConcurrentHashMap.newKeySet();
    private final Set<RevocationCommitment> unknown = ConcurrentHashMap.newKeySet();

    public TestRevocations revoke(RevocationCommitment c) {
        revoked.add(c);
        return this;
    }

    /** Publishes a revocation secret: what it commits to is revoked. */
    public TestRevocations revoke(RevocationSecret s) {
        return revoke(s.commitment());
    }

    public TestRevocations unknown(RevocationCommitment c) {
        unknown.add(c);
        return this;
    }

    @Override
    public Status status(RevocationCommitment c) {
        if (revoked.contains(c)) {
            return Status.REVOKED;
        }
        return unknown.contains(c) ? Status.UNKNOWN : Status.NOT_REVOKED;
    }
}
