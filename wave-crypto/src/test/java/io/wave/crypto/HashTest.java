package io.wave.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tagged SHA3-256 hashes and the ids built on them: one text form per value, one value per domain. */
class HashTest {
    private static final byte[] DATA = "the same bytes".getBytes(StandardCharsets.UTF_8);
    private static final Hash H = Hash.sha3("wave.test.v1", DATA);

    @Test
    void sha3_isSha3_256OfDomainNulData_asTheJdkComputesIt() throws Exception {
        MessageDigest jdk = MessageDigest.getInstance("SHA3-256");
        jdk.update("wave.test.v1".getBytes(StandardCharsets.US_ASCII));
        jdk.update((byte) 0);
        jdk.update(DATA);
        assertArrayEquals(jdk.digest(), H.digest());
        assertEquals(Hash.SHA3_256, H.tagged()[0]);
    }

    @Test
    void sha3Raw_isPlainSha3_256() {
        // FIPS 202: SHA3-256 of the empty string.
        assertEquals("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
                HexFormat.of().formatHex(Hash.sha3Raw()));
        assertArrayEquals(Hash.sha3Raw("ab".getBytes(StandardCharsets.US_ASCII)),
                Hash.sha3Raw("a".getBytes(StandardCharsets.US_ASCII), "b".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void sha3_separatesDomains() {
        assertNotEquals(H, Hash.sha3("wave.other.v1", DATA));
        // The NUL keeps the domain/data boundary: ("ab", "c") and ("a", "bc") differ.
        assertNotEquals(Hash.sha3("ab", "c".getBytes(StandardCharsets.US_ASCII)),
                Hash.sha3("a", "bc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void sha3_ofASliceEqualsSha3OfTheSliceCopied() {
        byte[] padded = new byte[DATA.length + 10];
        System.arraycopy(DATA, 0, padded, 5, DATA.length);
        assertEquals(H, Hash.sha3("wave.test.v1", padded, 5, DATA.length));
    }

    @Test
    void text_is44UrlSafeCharactersAndRoundTrips() {
        String text = H.toString();
        assertEquals(Hash.TEXT_LENGTH, text.length());
        assertEquals(text, Base64.getUrlEncoder().withoutPadding().encodeToString(H.tagged()));
        assertEquals(H, Hash.parse(text));
        assertEquals(H.hashCode(), Hash.parse(text).hashCode());
    }

    @Test
    void typedIds_parseTheirOwnText() {
        assertEquals(new EntityId(H), EntityId.parse(H.toString()));
        assertEquals(new AttestationId(H), AttestationId.parse(H.toString()));
        assertEquals(new NameId(H), NameId.parse(H.toString()));
        assertEquals(new ProofId(H), ProofId.parse(H.toString()));
        assertEquals(H.toString(), new EntityId(H).toString());
        assertThrows(NullPointerException.class, () -> new EntityId(null));
    }

    @Test
    void parse_rejectsWrongLength() {
        String text = H.toString();
        assertMalformed(text.substring(1));
        assertMalformed(text + "A");
        assertMalformed("");
        assertMalformed(null);
    }

    @Test
    void parse_rejectsPadding() {
        String text = H.toString();
        assertMalformed(text.substring(0, 43) + "=");
        assertMalformed(text.substring(0, 42) + "==");
        assertMalformed(text + "=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "/", " ", ".", "\u00e9", "\n"})
    void parse_rejectsCharactersOutsideUrlSafeBase64(String bad) {
        String text = H.toString();
        assertMalformed(text.substring(0, 20) + bad + text.substring(21));
    }

    @Test
    void parse_rejectsUnknownAlgorithmTag() {
        byte[] tagged = H.tagged();
        tagged[0] = 0x02;
        assertMalformed(Base64.getUrlEncoder().withoutPadding().encodeToString(tagged));
        tagged[0] = 0x00;
        assertMalformed(Base64.getUrlEncoder().withoutPadding().encodeToString(tagged));
    }

    @Test
    void text_hasNoSpareBits_soNoTwoTextsNameOneHash() {
        // 33 tagged bytes are exactly 44 sextets: unlike lengths that need padding, no character
        // carries unused bits, so there is no non-canonical spelling to accept. Every last character
        // must therefore give a different hash.
        String text = H.toString();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        Set<Hash> seen = new HashSet<>();
        for (char c : alphabet.toCharArray()) {
            String t = text.substring(0, 43) + c;
            Hash h = Hash.parse(t);
            assertEquals(t, h.toString());
            seen.add(h);
        }
        assertEquals(64, seen.size());
    }

    @Test
    void fromTagged_rejectsWrongLengthAndUnknownTag() {
        assertMalformedTagged(new byte[32]);
        assertMalformedTagged(new byte[34]);
        assertMalformedTagged(null);
        byte[] unknown = H.tagged();
        unknown[0] = (byte) 0xff;
        assertMalformedTagged(unknown);
    }

    @Test
    void accessors_returnCopies() {
        byte[] tagged = H.tagged();
        tagged[5] ^= 1;
        assertNotEquals(HexFormat.of().formatHex(tagged), HexFormat.of().formatHex(H.tagged()));
        Hash copy = Hash.fromTagged(H.tagged());
        byte[] input = H.tagged();
        Hash fromInput = Hash.fromTagged(input);
        input[5] ^= 1;
        assertEquals(copy, fromInput, "fromTagged keeps its own copy");
    }

    private static void assertMalformed(String text) {
        WaveException e = assertThrows(WaveException.class, () -> Hash.parse(text));
        assertEquals(ErrorCode.MALFORMED, e.code());
    }

    private static void assertMalformedTagged(byte[] tagged) {
        WaveException e = assertThrows(WaveException.class, () -> Hash.fromTagged(tagged));
        assertEquals(ErrorCode.MALFORMED, e.code());
    }
}
