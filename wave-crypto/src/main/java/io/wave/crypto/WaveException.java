package io.wave.crypto;

import java.util.Objects;

/**
 * The one exception family for defects in input: malformed or oversized objects, forged signatures,
 * wrong passphrases, missing files. Each carries a stable {@link ErrorCode}; its message is one line
 * fit to show a user. Authorization outcomes are never exceptions: a deny is a value.
 */
public class WaveException extends RuntimeException {
    private final ErrorCode code;

    public WaveException(ErrorCode code, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.code = Objects.requireNonNull(code, "code");
    }

    public WaveException(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public static WaveException malformed(String message) {
        return new WaveException(ErrorCode.MALFORMED, message);
    }

    public static WaveException tooLarge(String message) {
        return new WaveException(ErrorCode.TOO_LARGE, message);
    }

    public static WaveException badArgument(String message) {
        return new WaveException(ErrorCode.BAD_ARGUMENT, message);
    }
}
