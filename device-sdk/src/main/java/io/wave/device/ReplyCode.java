package io.wave.device;

import io.wave.policy.ReasonCode;

/**
 * The outcome a device signs into every reply: {@link #OK}, or why nothing ran. Stable names that clients
 * and scripts match on; add codes, never rename them. Every {@link ReasonCode} of the verifier appears
 * here under its own name.
 */
public enum ReplyCode {
    /** The handler ran; its results are in the reply. */
    OK,
    /** The payload is not a command, or a field of it is not of the documented form. */
    MALFORMED,
    /** The payload, or the proof in it, exceeds a bound. */
    TOO_LARGE,
    /** The command's signature does not verify under the sender's key (or a grant's under its attester's). */
    BAD_SIGNATURE,
    /** The command carried only a proof id this device does not hold: send it again with the proof. */
    PROOF_REQUIRED,
    /** The command's timestamp is outside the device's freshness window. */
    STALE,
    /** This (sender, nonce) was seen already. */
    REPLAY,
    /** This device serves no such resource in this namespace. */
    UNKNOWN_RESOURCE,
    /** The resource has no handler for this command name. */
    UNKNOWN_COMMAND,
    /** Every handler slot and queue place is taken; retry later. */
    BUSY,
    /** The command was authorised but its handler failed; see the detail. */
    HANDLER_ERROR,
    BROKEN_CHAIN,
    WRONG_SUBJECT,
    EXPIRED,
    NOT_YET_VALID,
    REVOKED,
    NAMESPACE_MISMATCH,
    PERMISSION_NOT_GRANTED,
    RESOURCE_NOT_COVERED,
    INDIRECTIONS_EXCEEDED,
    CAVEAT_VIOLATED,
    /**
     * A caveat went unchecked. A device always checks every caveat against the command, so it never sends
     * this; it is here because every {@link ReasonCode} is.
     */
    CAVEAT_UNCHECKED;

    /** The device's code for a verifier's refusal. */
    public static ReplyCode of(ReasonCode reason) {
        return reason == ReasonCode.VALID ? OK : valueOf(reason.name());
    }

    /** The code a reply carries, or null for a code this version does not know (a newer device's). */
    public static ReplyCode parse(String code) {
        try {
            return valueOf(code);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
