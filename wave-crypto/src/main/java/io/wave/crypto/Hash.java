package io.wave.crypto;

import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.digests.SHA3Digest;

/**
 * A tagged digest: one algorithm byte followed by the digest, so that ids can move to another
 * algorithm later without ambiguity. Printed as unpadded URL-safe base64 of the tagged bytes (44
 * characters for SHA3-256) and parsed strictly: one text form per value.
 */
public final class Hash {
    /** Algorithm tag for SHA3-256, the only algorithm today. */
    public static final byte SHA3_256 = 0x01;
    /** Digest length of SHA3-256. */
    public static final int DIGEST_LENGTH = 32;
    /** Length of the tagged form: tag plus digest. */
    public static final int TAGGED_LENGTH = 1 + DIGEST_LENGTH;
    /** Length of the text form of a tagged SHA3-256 digest. */
    public static final int TEXT_LENGTH = 44;

    private static final Base64.Encoder TEXT_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder TEXT_DECODER = Base64.getUrlDecoder();

    private final byte[] tagged;
    private final int hashCode;

    private Hash(byte[] tagged) {
        this.tagged = tagged;
        this.hashCode = Arrays.hashCode(tagged);
    }

    /**
     * SHA3-256 of {@code domain || data}. The domain separates object kinds, so that the id of an entity
     * can never be the id of an attestation with the same bytes.
     */
    public static Hash sha3(String domain, byte[] data) {
        return sha3(domain, data, 0, data.length);
    }

    public static Hash sha3(String domain, byte[] data, int offset, int length) {
        byte[] out = new byte[TAGGED_LENGTH];
        out[0] = SHA3_256;
        SHA3Digest digest = new SHA3Digest(256);
        byte[] d = domainBytes(domain);
        digest.update(d, 0, d.length);
        digest.update(data, offset, length);
        digest.doFinal(out, 1);
        return new Hash(out);
    }

    /** Raw SHA3-256 (no tag, no domain): for commitments and key derivation inputs. */
    public static byte[] sha3Raw(byte[]... parts) {
        SHA3Digest digest = new SHA3Digest(256);
        for (byte[] p : parts) {
            digest.update(p, 0, p.length);
        }
        byte[] out = new byte[DIGEST_LENGTH];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] domainBytes(String domain) {
        byte[] d = domain.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] withNul = Arrays.copyOf(d, d.length + 1);
        return withNul;
    }

    /** Parses the tagged binary form; rejects unknown tags and wrong lengths. */
    public static Hash fromTagged(byte[] tagged) {
        if (tagged == null || tagged.length != TAGGED_LENGTH) {
            throw WaveException.malformed("hash must be " + TAGGED_LENGTH + " bytes");
        }
        if (tagged[0] != SHA3_256) {
            throw WaveException.malformed("unknown hash algorithm tag " + (tagged[0] & 0xff));
        }
        return new Hash(tagged.clone());
    }

    /** Parses the text form strictly: exactly 44 URL-safe base64 characters that round-trip. */
    public static Hash parse(String text) {
        if (text == null || text.length() != TEXT_LENGTH) {
            throw WaveException.malformed("an id is " + TEXT_LENGTH + " characters of URL-safe base64");
        }
        byte[] raw;
        try {
            raw = TEXT_DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw WaveException.malformed("an id is " + TEXT_LENGTH + " characters of URL-safe base64");
        }
        Hash h = fromTagged(raw);
        if (!h.toString().equals(text)) {
            throw WaveException.malformed("id is not in canonical form");
        }
        return h;
    }

    /** The tagged bytes (a copy). */
    public byte[] tagged() {
        return tagged.clone();
    }

    /** The digest without its tag (a copy). */
    public byte[] digest() {
        return Arrays.copyOfRange(tagged, 1, TAGGED_LENGTH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash other && Arrays.equals(tagged, other.tagged);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    @Override
    public String toString() {
        return TEXT_ENCODER.encodeToString(tagged);
    }
}
