package io.wave.agent.daemon.internal;

import io.wave.agent.files.WaveFiles;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent's API token file ({@code api-token} in its home): made owner-only with {@link #TOKEN_BYTES} random
 * bytes at the first start, and checked at every later start. Whoever holds the token can create entities and
 * sign grants with the agent's keys, so a file others can read, or a token short enough to guess, stops the start
 * instead of being adopted.
 *
 * <p>How strength is counted: a token's characters are taken from the smallest common alphabet they all fit in,
 * decimal digits (3.32 bits each), hex digits (4 bits) or base64/base64url (6 bits, padding not counted), and
 * the total must reach {@link #MIN_BITS}: at least 39 digits, 32 hex digits or 22 base64 characters. Only the
 * characters an HTTP bearer token may carry are allowed. This bounds length, not randomness: a token the agent
 * did not make is only as good as whoever made it.
 */
public final class ApiToken {
    /** Bytes of randomness in a token the agent makes: 256 bits, 43 base64url characters. */
    public static final int TOKEN_BYTES = 32;
    /** The least a token may carry: guessing 2^128 values is out of reach. */
    public static final int MIN_BITS = 128;

    /** RFC 6750's b64token: what an {@code Authorization: Bearer} header may carry. */
    private static final Pattern BEARER_CHARS = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]+");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private ApiToken() {}

    /**
     * The token in {@code file}, checked; or, when there is no file, a new token written to it owner-only.
     *
     * @throws WaveException MALFORMED when the file is readable or writable by group or others, or the token is
     *                       empty, holds characters a bearer token cannot, or is under {@link #MIN_BITS}
     */
    public static String load(Path file, SecureRandom random) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = new byte[TOKEN_BYTES];
            random.nextBytes(b);
            String t = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            Arrays.fill(b, (byte) 0);
            WaveFiles.write(file, t + "\n", true, false);
            return t;
        }
        checkOwnerOnly(file);
        String t = new String(WaveFiles.read(file), StandardCharsets.UTF_8).strip();
        if (t.isEmpty()) {
            throw new WaveException(ErrorCode.MALFORMED, file + " is empty; delete it to have a new token made");
        }
        if (!BEARER_CHARS.matcher(t).matches()) {
            throw new WaveException(ErrorCode.MALFORMED, file + " holds characters a bearer token cannot carry "
                    + "(letters, digits and ._~+/- only); delete it to have a new token made");
        }
        double bits = bits(t);
        if (bits < MIN_BITS) {
            throw new WaveException(ErrorCode.MALFORMED, String.format(Locale.ROOT,
                    "%s holds a token of about %d bits; at least %d are needed (22 base64 characters, 32 hex digits)"
                            + ": delete it to have a new token made", file, (int) bits, MIN_BITS));
        }
        return t;
    }

    /** The bits a token of this length carries at most, in the smallest alphabet it fits. */
    static double bits(String token) {
        String t = token.replaceAll("=+$", "");
        double perChar = DIGITS.matcher(t).matches() ? Math.log(10) / Math.log(2)
                : HEX.matcher(t).matches() ? 4 : 6;
        return t.length() * perChar;
    }

    private static void checkOwnerOnly(Path file) {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot read the permissions of " + file + ": " + e.getMessage());
        }
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new WaveException(ErrorCode.MALFORMED, file + " is open to group or others ("
                    + PosixFilePermissions.toString(perms) + "): anyone who reads it can act with the agent's keys. "
                    + "Make it owner-only (chmod 600 " + file + "), or delete it to have a new token made");
        }
    }
}
