package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static io.wave.crypto.objects.Fixtures.replace;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.testing.DeterministicRandom;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretBoxTest {
    /** The cheapest parameters a file may carry, to keep the suite fast; production uses DEFAULT. */
    private static final SecretBox.KdfParams CHEAP = new SecretBox.KdfParams(SecretBox.MIN_MEMORY_KIB, 1, 1);
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    private static final byte[] SEALED = SecretBox.seal(ALICE, PASSPHRASE, CHEAP, new DeterministicRandom("seal"));

    /** Positions in the SealedSecret SEQUENCE and its kdf SEQUENCE. */
    private static final int VERSION = 0;
    private static final int KDF = 1;
    private static final int NONCE = 2;
    private static final int CIPHERTEXT = 3;
    private static final int MEMORY = 0;
    private static final int ITERATIONS = 1;
    private static final int PARALLELISM = 2;
    private static final int SALT = 3;

    @Test
    void open_withTheRightPassphrase_givesBackTheSecret() {
        EntitySecret back = SecretBox.open(SEALED, PASSPHRASE.clone());
        assertEquals(ALICE.id(), back.id());
        assertEquals(ALICE.signingKey(), back.signingKey());
        assertEquals(ALICE.decryptionKey(), back.decryptionKey());
        assertEquals(ALICE.entityRevocationSecret(), back.entityRevocationSecret());
    }

    @Test
    void open_acceptsANonAsciiPassphrase() {
        char[] p = "p\u00e4ssw\u00f6rd \uD83D\uDD11".toCharArray();
        byte[] sealed = SecretBox.seal(ALICE, p, CHEAP, new DeterministicRandom("seal-unicode"));
        assertEquals(ALICE.id(), SecretBox.open(sealed, p).id());
        char[] wrong = "passw\u00f6rd \uD83D\uDD11".toCharArray();
        assertEquals(ErrorCode.BAD_PASSPHRASE, code(() -> SecretBox.open(sealed, wrong)));
    }

    @Test
    void seal_hidesTheKeyMaterial() {
        assertFalse(contains(SEALED, ALICE.signingKey().seed()));
        assertFalse(contains(SEALED, ALICE.decryptionKey().bytes()));
        assertFalse(contains(SEALED, ALICE.encodePlain()));
    }

    @Test
    void seal_usesFreshSaltAndNonceFromTheRandom() {
        byte[] again = SecretBox.seal(ALICE, PASSPHRASE, CHEAP, new DeterministicRandom("seal"));
        assertArrayEquals(SEALED, again, "the same random gives the same box");
        byte[] other = SecretBox.seal(ALICE, PASSPHRASE, CHEAP, new DeterministicRandom("seal-2"));
        assertFalse(java.util.Arrays.equals(SEALED, other));
    }

    @Test
    void open_withAWrongPassphrase_isBadPassphrase() {
        char[] wrong = "correct horse battery stapler".toCharArray();
        assertEquals(ErrorCode.BAD_PASSPHRASE, code(() -> SecretBox.open(SEALED, wrong)));
    }

    @Test
    void open_ofAlteredCiphertext_isBadPassphrase() {
        byte[] ct = octets(CIPHERTEXT);
        ct[ct.length / 2] ^= 1;
        assertEquals(ErrorCode.BAD_PASSPHRASE, code(() -> open(replace(sealed(), CIPHERTEXT, new DEROctetString(ct)))));
        byte[] tag = octets(CIPHERTEXT);
        tag[tag.length - 1] ^= (byte) 0x80;
        assertEquals(ErrorCode.BAD_PASSPHRASE,
                code(() -> open(replace(sealed(), CIPHERTEXT, new DEROctetString(tag)))));
    }

    @Test
    void open_ofAlteredNonceSaltOrCost_isBadPassphrase() {
        byte[] nonce = octets(NONCE);
        nonce[0] ^= 1;
        assertEquals(ErrorCode.BAD_PASSPHRASE, code(() -> open(replace(sealed(), NONCE, new DEROctetString(nonce)))));
        byte[] salt = ((DEROctetString) kdf().getObjectAt(SALT)).getOctets();
        salt[0] ^= 1;
        assertEquals(ErrorCode.BAD_PASSPHRASE, code(() -> open(withKdf(SALT, new DEROctetString(salt)))));
        assertEquals(ErrorCode.BAD_PASSPHRASE, code(() -> open(withKdf(ITERATIONS, new ASN1Integer(2)))));
    }

    @Test
    void sealAndOpen_requireAPassphrase() {
        assertEquals(ErrorCode.PASSPHRASE_REQUIRED, code(() -> SecretBox.open(SEALED, new char[0])));
        assertEquals(ErrorCode.PASSPHRASE_REQUIRED, code(() -> SecretBox.open(SEALED, null)));
        assertEquals(ErrorCode.PASSPHRASE_REQUIRED,
                code(() -> SecretBox.seal(ALICE, new char[0], CHEAP, new DeterministicRandom("x"))));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "memory, 1024",
        "memory, 8191",
        "memory, 1048577",
        "memory, 2147483647",
        "memory, 4294967296",
        "iterations, 0",
        "iterations, 17",
        "parallelism, 0",
        "parallelism, 9",
    })
    void open_refusesKdfCostsOutOfBounds_beforeDerivingAnything(String field, long value) {
        int index = switch (field) {
            case "memory" -> MEMORY;
            case "iterations" -> ITERATIONS;
            default -> PARALLELISM;
        };
        assertEquals(ErrorCode.MALFORMED, code(() -> open(withKdf(index, new ASN1Integer(value)))));
    }

    @Test
    void kdfParams_boundsAreInclusive() {
        new SecretBox.KdfParams(SecretBox.MIN_MEMORY_KIB, 1, 1);
        new SecretBox.KdfParams(SecretBox.MAX_MEMORY_KIB, SecretBox.MAX_ITERATIONS, SecretBox.MAX_PARALLELISM);
        assertEquals(ErrorCode.MALFORMED, code(() -> new SecretBox.KdfParams(SecretBox.MIN_MEMORY_KIB - 1, 1, 1)));
        assertEquals(ErrorCode.MALFORMED, code(() -> new SecretBox.KdfParams(SecretBox.MIN_MEMORY_KIB, 0, 1)));
        assertEquals(ErrorCode.MALFORMED, code(() -> new SecretBox.KdfParams(SecretBox.MIN_MEMORY_KIB, 1, 0)));
    }

    @Test
    void open_refusesMalformedContainers() {
        assertEquals(ErrorCode.MALFORMED, code(() -> open(replace(sealed(), VERSION, new ASN1Integer(2)))));
        assertEquals(ErrorCode.MALFORMED, code(() -> open(replace(sealed(), NONCE, new DEROctetString(new byte[11])))));
        assertEquals(ErrorCode.MALFORMED,
                code(() -> open(replace(sealed(), CIPHERTEXT, new DEROctetString(new byte[16])))));
        assertEquals(ErrorCode.MALFORMED, code(() -> open(withKdf(SALT, new DEROctetString(new byte[8])))));
        assertEquals(ErrorCode.MALFORMED, code(() -> SecretBox.open(ALICE.encodePlain(), PASSPHRASE)));
        assertEquals(ErrorCode.TOO_LARGE,
                code(() -> SecretBox.open(new byte[Limits.MAX_SECRET_BYTES + 1], PASSPHRASE)));
    }

    // ---- helpers ----

    private static ASN1Sequence sealed() {
        return Der.decodeSequence(SEALED, Limits.MAX_SECRET_BYTES, "sealed");
    }

    private static ASN1Sequence kdf() {
        return (ASN1Sequence) sealed().getObjectAt(KDF);
    }

    private static ASN1Sequence withKdf(int index, org.bouncycastle.asn1.ASN1Encodable value) {
        return replace(sealed(), KDF, replace(kdf(), index, value));
    }

    private static byte[] octets(int index) {
        return ((DEROctetString) sealed().getObjectAt(index)).getOctets();
    }

    private static EntitySecret open(ASN1Sequence crafted) {
        return SecretBox.open(Der.encode(crafted), PASSPHRASE.clone());
    }

    private static ErrorCode code(Executable call) {
        return assertThrows(WaveException.class, call).code();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
