package io.wave.crypto;

/**
 * Stable codes for defects in input: the one vocabulary shared by exceptions, CLI exit codes, HTTP
 * statuses and (for {@link #MALFORMED} and {@link #TOO_LARGE}) the verifier's reason codes.
 *
 * <p>The names are a contract: scripts match on them. Add codes, never rename them.
 */
public enum ErrorCode {
    /** Bytes that do not decode to the object they claim to be, or violate its rules. */
    MALFORMED(400, 2),
    /** Input beyond a documented size or count bound. */
    TOO_LARGE(413, 2),
    /** A signature that does not verify under the key it names. */
    BAD_SIGNATURE(400, 2),
    /** A command-line argument or request field that is not of the documented form. */
    BAD_ARGUMENT(400, 2),
    /** A passphrase that does not open an encrypted secret. */
    BAD_PASSPHRASE(401, 2),
    /** An encrypted secret was given and no passphrase source was. */
    PASSPHRASE_REQUIRED(401, 2),
    /** A named object (file, entity, attestation) that is not where it was looked for. */
    NOT_FOUND(404, 2),
    /** No proof exists for the request in the graph that was searched. */
    NO_PROOF(404, 1),
    /** Reading or writing a file failed. */
    IO_ERROR(500, 2),
    /** A search or evaluation ran into one of its bounds (depth, count, time). */
    LIMIT_EXCEEDED(422, 2),
    /** A ledger (node, server, chain) could not be reached or did not answer in time; retrying may help. */
    UNAVAILABLE(503, 3),
    /** A ledger answered with something that fails verification: a forged tree head, a rewritten or forked
     * history, a false inclusion proof. Never retried silently. */
    TAMPERED(502, 3),
    /** More requests than a server accepts; retry later. */
    RATE_LIMITED(429, 3),
    /** A guarded request (the agent's mutating routes) without the credential it needs, or with a wrong one. */
    UNAUTHORIZED(401, 2),
    /** A request that did not arrive in time: its body stopped arriving before it was complete. Sending it again may
     * help. */
    REQUEST_TIMEOUT(408, 3);

    private final int httpStatus;
    private final int exitCode;

    ErrorCode(int httpStatus, int exitCode) {
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
    }

    /** The HTTP status a REST API answers with for this code. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The process exit code the CLI ends with for this code. */
    public int exitCode() {
        return exitCode;
    }
}
