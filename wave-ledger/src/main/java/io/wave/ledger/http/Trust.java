package io.wave.ledger.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.WaveException;
import io.wave.ledger.Proofs;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.http.internal.Wire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a client believes about one ledger, kept in files so the belief outlives the process: the key that
 * signs the ledger's tree heads (pinned: given, or taken on first use) and the newest head verified so far.
 * Every head the client is served passes {@link #accept}: signed by the pinned key, and consistent with the
 * kept head, so a server that forks or rewrites its history is caught, in this run or a later one.
 */
final class Trust {
    /** The pinned key: 64 hex digits of the Ed25519 public key, one line. */
    static final String KEY_FILE = "tree-head.pub";
    /** The newest verified head, as the API's JSON. */
    static final String HEAD_FILE = "head.json";

    /** Fetches a consistency proof between two sizes from the server. */
    @FunctionalInterface
    interface ConsistencySource {
        Proofs.Consistency consistency(long first, long second);
    }

    private final String ledger;
    private final Path keyFile;
    private final Path headFile;
    private final ObjectMapper json;
    private volatile VerifyingKey key;
    /** Guarded by this. */
    private SignedTreeHead kept;

    /**
     * Loads what is kept in {@code dir}.
     *
     * @param given the ledger's key when the caller knows it; null to take it on first use
     * @throws WaveException BAD_ARGUMENT when {@code given} differs from the key already pinned; IO_ERROR or
     *     MALFORMED for unreadable files; TAMPERED when the kept head is not signed by the pinned key
     */
    Trust(String ledger, Path dir, VerifyingKey given, ObjectMapper json) {
        this.ledger = ledger;
        this.keyFile = dir.resolve(KEY_FILE);
        this.headFile = dir.resolve(HEAD_FILE);
        this.json = json;
        VerifyingKey pinned = Files.exists(keyFile) ? readKey() : null;
        if (given != null && pinned != null && !given.equals(pinned)) {
            throw WaveException.badArgument("the ledger key given (" + given + ") is not the one pinned in " + keyFile
                    + " (" + pinned + "); remove that file to pin another");
        }
        this.key = given != null ? given : pinned;
        if (given != null && pinned == null) {
            writeKey(given);
        }
        if (Files.exists(headFile)) {
            kept = readHead();
            if (key != null) {
                checkKeptHead(key);
            }
        }
    }

    /** The pinned key; on first use, {@code firstUse} fetches it from the server and it is pinned. */
    VerifyingKey key(Supplier<VerifyingKey> firstUse) {
        VerifyingKey k = key;
        if (k != null) {
            return k;
        }
        synchronized (this) {
            if (key == null) {
                VerifyingKey fetched = firstUse.get();
                if (kept != null) {
                    checkKeptHead(fetched);
                }
                writeKey(fetched);
                key = fetched;
            }
            return key;
        }
    }

    /** The newest head verified so far, if any. */
    synchronized Optional<SignedTreeHead> kept() {
        return Optional.ofNullable(kept);
    }

    /**
     * Trusts {@code h} only if the pinned key signed it and it is consistent with the kept head: a larger head
     * extends it (and is kept from now on), an equal one has the same root, a smaller one is a prefix of it.
     *
     * @throws WaveException TAMPERED when any of that fails
     */
    SignedTreeHead accept(SignedTreeHead h, Supplier<VerifyingKey> firstUse, ConsistencySource proofs) {
        h.verify(key(firstUse));
        synchronized (this) {
            SignedTreeHead k = kept;
            if (k == null) {
                keep(h);
            } else if (h.size() == k.size()) {
                if (!Arrays.equals(h.root(), k.root())) {
                    throw forked(h, k);
                }
            } else if (h.size() > k.size()) {
                if (!proofs.consistency(k.size(), h.size()).verify(k, h)) {
                    throw forked(h, k);
                }
                keep(h);
            } else if (!proofs.consistency(h.size(), k.size()).verify(h, k)) {
                throw forked(h, k);
            }
            return h;
        }
    }

    private WaveException forked(SignedTreeHead served, SignedTreeHead kept) {
        return new WaveException(ErrorCode.TAMPERED, "the ledger at " + ledger + " served a head of size " + served.size()
                + " (root " + served.rootHex() + ") that is not consistent with the head of size " + kept.size()
                + " (root " + kept.rootHex() + ") verified before and kept in " + headFile
                + ": its history was rewritten or forked");
    }

    private void keep(SignedTreeHead h) {
        try {
            AtomicFiles.write(headFile, json.writeValueAsBytes(Wire.head(h)));
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot write " + headFile + ": " + e.getMessage(), e);
        }
        kept = h;
    }

    private void checkKeptHead(VerifyingKey k) {
        try {
            kept.verify(k);
        } catch (WaveException e) {
            throw new WaveException(ErrorCode.TAMPERED, "the head kept in " + headFile + " is not signed by the ledger key "
                    + k + "; the ledger at " + ledger + " is not the one this client knew");
        }
    }

    private VerifyingKey readKey() {
        String text = new String(AtomicFiles.read(keyFile), StandardCharsets.US_ASCII).trim();
        try {
            return VerifyingKey.of(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException | WaveException e) {
            throw WaveException.malformed(keyFile + " does not hold a pinned ledger key (64 hex digits)");
        }
    }

    private void writeKey(VerifyingKey k) {
        AtomicFiles.write(keyFile, (HexFormat.of().formatHex(k.encoded()) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private SignedTreeHead readHead() {
        try {
            return Wire.head(json.readValue(AtomicFiles.read(headFile), Wire.Head.class));
        } catch (IOException | WaveException e) {
            throw WaveException.malformed(headFile + " does not hold a tree head: " + e.getMessage());
        }
    }
}
