package io.wave.ledger.http.internal;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.WaveException;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.SignedTreeHead;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The ledger server's HTTP API as JSON, one definition shared by the server and its client. Binary
 * values (object DER, Merkle hashes, roots, signatures, the key) are standard base64 with padding,
 * decoded strictly (one text per value); ids are their own text form (URL-safe base64 of the tagged
 * hash), commitments URL-safe base64 without padding. Decoding failures are {@code MALFORMED}: the
 * server answers them with 400, the client turns them into {@code TAMPERED}.
 */
public final class Wire {
    /** Bytes of a request body: a publish of {@link #MAX_PUBLISH_OBJECTS} ordinary grants fits with room to spare. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** Objects in one publish: one synced write of the ledger, and a bounded amount of verification per request. */
    public static final int MAX_PUBLISH_OBJECTS = 1000;
    /** Entries in one page of the log: each carries its inclusion proof, about 2 KiB, so a page stays near 2 MiB. */
    public static final int MAX_PAGE = 1000;
    /** Grants or names in one answer: more to or from one entity is a fan-out no proof search should need. */
    public static final int MAX_LISTED = 4096;
    /** Bytes of any answer a client reads: a full listing with its attesters and proofs fits. */
    public static final int MAX_ANSWER_BYTES = 16 << 20;

    public static final String JSON = "application/json";

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

    private Wire() {}

    /** A signed tree head. */
    public record Head(long size, long timestamp, String root, String signature) {}

    /** The key that signs the ledger's tree heads. */
    public record Key(String algorithm, String key) {}

    /** One object to publish: its kind ({@code entity}, {@code attestation}, {@code name}, {@code revocation}) and DER. */
    public record Item(String kind, String der) {}

    /** {@code POST /v1/objects}. */
    public record PublishRequest(List<Item> objects) {}

    /** Where a published object was written, with its inclusion proof under the answer's head. */
    public record Written(String id, String kind, long index, List<String> inclusion) {}

    /** The answer to a publish: one head, and a receipt per object in the order sent. */
    public record PublishAnswer(Head head, List<Written> receipts) {}

    /** A log entry with its inclusion proof under the head it is served with. */
    public record Entry(long index, String kind, String id, String der, List<String> inclusion) {}

    /** {@code GET /v1/objects/{id}}. */
    public record EntryAnswer(Head head, Entry entry) {}

    /** {@code GET /v1/entries}: consecutive entries from the cursor. */
    public record EntriesAnswer(Head head, List<Entry> entries) {}

    /** Grants or name declarations, and the entities that signed them, all proven under one head. */
    public record Listing(Head head, List<Entry> objects, List<Entry> attesters) {}

    /** {@code GET /v1/revocations/{commitment}}: {@code REVOKED} or {@code NOT_REVOKED}. */
    public record RevocationAnswer(String commitment, String status) {}

    public record InclusionAnswer(long index, long treeSize, List<String> hashes) {}

    public record ConsistencyAnswer(long first, long second, List<String> hashes) {}

    /** Every failure, with the HTTP status of its code. */
    public record Error(String code, String message) {}

    /**
     * A mapper that refuses what the API does not define: every field of a record is required and non-null,
     * no scalar coercion, no duplicate keys, no trailing tokens. {@code refuseUnknownFields} decides whether fields
     * the API does not define are refused (the server) or ignored (a client facing a newer server).
     */
    public static ObjectMapper mapper(boolean refuseUnknownFields) {
        return JsonMapper.builder()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, refuseUnknownFields)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    // ------------------------------------------------------------------ binary values

    public static String base64(byte[] b) {
        return B64.encodeToString(b);
    }

    /** Strict standard base64: the text must be the one encoding of its bytes. */
    public static byte[] bytes(String text, String what) {
        if (text == null) {
            throw WaveException.malformed(what + " is missing");
        }
        byte[] b;
        try {
            b = B64_DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw WaveException.malformed(what + " is not base64");
        }
        if (!B64.encodeToString(b).equals(text)) {
            throw WaveException.malformed(what + " is not canonical base64");
        }
        return b;
    }

    public static List<String> hashes(List<byte[]> hashes) {
        List<String> out = new ArrayList<>(hashes.size());
        for (byte[] h : hashes) {
            out.add(base64(h));
        }
        return out;
    }

    public static List<byte[]> hashes(List<String> texts, String what) {
        if (texts == null) {
            throw WaveException.malformed(what + " is missing");
        }
        List<byte[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(bytes(t, what));
        }
        return out;
    }

    public static String commitment(RevocationCommitment c) {
        return URL.encodeToString(c.bytes());
    }

    /** A commitment as it appears in a path: unpadded URL-safe base64 of its 32 bytes, one text per value. */
    public static RevocationCommitment commitment(String text) {
        byte[] b;
        try {
            b = URL_DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw WaveException.malformed("a revocation commitment is 43 characters of URL-safe base64");
        }
        RevocationCommitment c = RevocationCommitment.of(b);
        if (!commitment(c).equals(text)) {
            throw WaveException.malformed("revocation commitment is not in canonical form");
        }
        return c;
    }

    // ------------------------------------------------------------------ ledger values

    public static String kind(ObjectKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    public static ObjectKind kind(String text) {
        for (ObjectKind k : ObjectKind.values()) {
            if (kind(k).equals(text)) {
                return k;
            }
        }
        throw WaveException.malformed("kind '" + shorten(text) + "' is none of "
                + Arrays.stream(ObjectKind.values()).map(Wire::kind).toList());
    }

    public static Head head(SignedTreeHead h) {
        return new Head(h.size(), h.timestamp(), base64(h.root()), base64(h.signature()));
    }

    /** The head as sent; its signature is not checked here. */
    public static SignedTreeHead head(Head h) {
        if (h == null) {
            throw WaveException.malformed("tree head is missing");
        }
        return new SignedTreeHead(h.size(), h.timestamp(), bytes(h.root(), "tree head root"),
                bytes(h.signature(), "tree head signature"));
    }

    public static Entry entry(LedgerEntry e, List<byte[]> inclusion) {
        return new Entry(e.index(), kind(e.kind()), e.id().toString(), base64(e.der()), hashes(inclusion));
    }

    /** A short, printable rendering of text from the other side, for messages. */
    public static String shorten(String text) {
        if (text == null) {
            return "null";
        }
        String s = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
