package io.wave.ledger.ethereum;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * Where the account key that pays for transactions comes from: a file, or the {@value #ENV} environment
 * variable, holding a secp256k1 private key as 64 hex digits (an optional {@code 0x} and surrounding
 * whitespace allowed). Read only when a transaction is about to be signed; neither the key nor the text
 * it was read from ever appears in a message or in {@link #toString()}.
 */
public final class KeySource {
    /** The environment variable holding the account key. */
    public static final String ENV = "WAVE_ETH_KEY";
    /** A key file is one line of hex; anything much longer is not one. */
    private static final int MAX_KEY_FILE_BYTES = 1024;

    private final String description;
    private final Supplier<Credentials> load;

    private KeySource(String description, Supplier<Credentials> load) {
        this.description = description;
        this.load = load;
    }

    /** No key: the ledger only reads, and publishing fails with BAD_ARGUMENT. */
    public static KeySource none() {
        return new KeySource("no account key", () -> {
            throw WaveException.badArgument("publishing on Ethereum needs an account key: give a key file "
                    + "(--eth-key-file) or set " + ENV);
        });
    }

    /** The key in {@code file}. */
    public static KeySource file(Path file) {
        Objects.requireNonNull(file, "file");
        return new KeySource("key file " + file, () -> {
            byte[] text;
            try {
                if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                    throw WaveException.badArgument("key file " + file + " is not a hex private key (too long)");
                }
                text = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new WaveException(ErrorCode.IO_ERROR, "cannot read the key file " + file + ": " + e.getMessage());
            }
            return parse(new String(text, StandardCharsets.US_ASCII), "key file " + file);
        });
    }

    /** The key in {@value #ENV} of {@code environment} (pass {@code System.getenv()}). */
    public static KeySource environment(Map<String, String> environment) {
        String value = environment.get(ENV);
        return new KeySource("environment variable " + ENV, () -> {
            if (value == null || value.isBlank()) {
                throw WaveException.badArgument("publishing on Ethereum needs an account key: " + ENV + " is not set");
            }
            return parse(value, "environment variable " + ENV);
        });
    }

    /** A key already loaded (a test account, a key the caller keeps elsewhere). */
    public static KeySource of(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        return new KeySource("account " + credentials.getAddress(), () -> credentials);
    }

    /**
     * The key source the CLI uses: {@code file} when given, otherwise {@value #ENV} when set, otherwise none.
     */
    public static KeySource fileOrEnvironment(Path file, Map<String, String> environment) {
        if (file != null) {
            return file(file);
        }
        String v = environment.get(ENV);
        return v == null || v.isBlank() ? none() : environment(environment);
    }

    /**
     * The account key.
     *
     * @throws WaveException BAD_ARGUMENT when there is none or it is not a hex private key, IO_ERROR when the
     *     file cannot be read
     */
    public Credentials load() {
        return load.get();
    }

    static Credentials parse(String text, String where) {
        String hex = text.strip();
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            // Never echo the text: it may be a key with a typo.
            throw WaveException.badArgument(where + " is not a private key (64 hex digits, optionally after 0x)");
        }
        BigInteger k = new BigInteger(hex, 16);
        if (k.signum() == 0 || k.compareTo(Sign.CURVE_PARAMS.getN()) >= 0) {
            throw WaveException.badArgument(where + " is not a valid secp256k1 private key");
        }
        return Credentials.create(ECKeyPair.create(k));
    }

    @Override
    public String toString() {
        return description;
    }
}
