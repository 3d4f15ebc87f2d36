package io.wave.policy;

/**
 * Why a proof does or does not authorise a request. Stable names: scripts, devices and REST clients
 * match on them. Add codes, never rename them.
 */
public enum ReasonCode {
    /** The proof is valid now and covers every required policy. */
    VALID,
    /** An attestation's signature does not verify under its attester's key. */
    BAD_SIGNATURE,
    /** A path does not link: it does not start at its namespace, a subject is not the next attester, or an entity on it is missing. */
    BROKEN_CHAIN,
    /** The proof ends at another entity than the one asking. */
    WRONG_SUBJECT,
    /** An attestation or entity on every covering path has expired. */
    EXPIRED,
    /** An attestation or entity on every covering path is not valid yet. */
    NOT_YET_VALID,
    /** Something on every covering path is revoked (or, failing closed, its status is unknown). */
    REVOKED,
    /** The proof is for another namespace, or a path crosses namespaces. */
    NAMESPACE_MISMATCH,
    /** No path grants the permission (in that permission set). */
    PERMISSION_NOT_GRANTED,
    /** No path's resource pattern covers the requested resource. */
    RESOURCE_NOT_COVERED,
    /** A subject re-delegated more hops than its grant allowed. */
    INDIRECTIONS_EXCEEDED,
    /** A caveat (parameter bound, daily window, confidence floor) does not hold. */
    CAVEAT_VIOLATED,
    /** The proof does not decode, or an attestation in it is not valid policy. */
    MALFORMED,
    /** The proof exceeds a size, count or depth bound. */
    TOO_LARGE,
    /**
     * A caveat on every covering path bounds a parameter or a confidence, and the request gave none to check
     * it against (and did not ask for a conditional answer): nothing says the use it stands for is allowed.
     */
    CAVEAT_UNCHECKED
}
