package io.wave.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.testing.DeterministicRandom;
import io.wave.crypto.testing.Secrets;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SigningKeyTest {
    private static final String DOMAIN = "wave.sig.test.v1";
    private static final byte[] MESSAGE = "turn the heating to 21.5".getBytes(StandardCharsets.UTF_8);

    private final SigningKey key = SigningKey.generate(new DeterministicRandom("signing-key"));
    private final byte[] signature = key.sign(DOMAIN, MESSAGE);

    @Test
    void verify_acceptsItsOwnSignature() {
        assertEquals(64, signature.length);
        assertDoesNotThrow(() -> key.verifyingKey().verify(DOMAIN, MESSAGE, signature));
        assertTrue(key.verifyingKey().isValid(DOMAIN, MESSAGE, signature));
    }

    @Test
    void sign_isDeterministic() {
        assertArrayEquals(signature, key.sign(DOMAIN, MESSAGE));
    }

    @Test
    void verify_rejectsAnotherDomain() {
        WaveException e = assertThrows(WaveException.class,
                () -> key.verifyingKey().verify("wave.sig.other.v1", MESSAGE, signature));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
    }

    @Test
    void verify_rejectsADomainDifferingInOneCharacter() {
        assertFalse(key.verifyingKey().isValid("wave.sig.tesT.v1", MESSAGE, signature));
        assertFalse(key.verifyingKey().isValid("wave.sig.test.v2", MESSAGE, signature));
    }

    @Test
    void verify_rejectsShiftingBytesBetweenDomainAndMessage() {
        // The NUL after the domain keeps ("ab", "c") and ("a", "bc") apart.
        byte[] sig = key.sign("ab", "c".getBytes(StandardCharsets.US_ASCII));
        assertFalse(key.verifyingKey().isValid("a", "bc".getBytes(StandardCharsets.US_ASCII), sig));
        assertFalse(key.verifyingKey().isValid("abc", new byte[0], sig));
    }

    @Test
    void verify_rejectsEverySingleBitFlipOfTheSignature() {
        for (int bit = 0; bit < signature.length * 8; bit++) {
            byte[] s = signature.clone();
            s[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(key.verifyingKey().isValid(DOMAIN, MESSAGE, s), "bit " + bit);
        }
    }

    @Test
    void verify_rejectsEverySingleBitFlipOfTheMessage() {
        for (int bit = 0; bit < MESSAGE.length * 8; bit++) {
            byte[] m = MESSAGE.clone();
            m[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(key.verifyingKey().isValid(DOMAIN, m, signature), "bit " + bit);
        }
    }

    @Test
    void verify_rejectsMalleatedSignatureWithSPlusL() {
        // S and S + L are the same scalar; only S < L is a valid encoding (RFC 8032 5.1.7).
        BigInteger l = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
        byte[] sLe = java.util.Arrays.copyOfRange(signature, 32, 64);
        BigInteger s = new BigInteger(1, reverse(sLe)).add(l);
        byte[] malleated = signature.clone();
        byte[] sPlusL = reverse(toFixed(s, 32));
        System.arraycopy(sPlusL, 0, malleated, 32, 32);
        assertFalse(key.verifyingKey().isValid(DOMAIN, MESSAGE, malleated));
    }

    @Test
    void verify_rejectsAnotherKey() {
        SigningKey other = SigningKey.generate(new DeterministicRandom("another-key"));
        assertNotEquals(key.verifyingKey(), other.verifyingKey());
        assertFalse(other.verifyingKey().isValid(DOMAIN, MESSAGE, signature));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 63, 65, 128})
    void verify_rejectsSignatureOfWrongLength(int length) {
        byte[] s = java.util.Arrays.copyOf(signature, length);
        assertFalse(key.verifyingKey().isValid(DOMAIN, MESSAGE, s));
        WaveException e = assertThrows(WaveException.class, () -> key.verifyingKey().verify(DOMAIN, MESSAGE, s));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
    }

    @Test
    void verify_rejectsNullSignature() {
        assertFalse(key.verifyingKey().isValid(DOMAIN, MESSAGE, null));
    }

    @Test
    void verify_rejectsAKeyThatIsNotACurvePoint() {
        // y = 2 is not the y-coordinate of any point on edwards25519.
        byte[] notAPoint = new byte[32];
        notAPoint[0] = 2;
        assertFalse(VerifyingKey.of(notAPoint).isValid(DOMAIN, MESSAGE, signature));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33, 64})
    void keys_ofWrongLengthAreMalformed(int length) {
        assertEquals(ErrorCode.MALFORMED,
                assertThrows(WaveException.class, () -> SigningKey.fromSeed(new byte[length])).code());
        assertEquals(ErrorCode.MALFORMED,
                assertThrows(WaveException.class, () -> VerifyingKey.of(new byte[length])).code());
    }

    @Test
    void fromSeed_roundTripsAndCopies() {
        byte[] seed = key.seed();
        SigningKey again = SigningKey.fromSeed(seed);
        assertEquals(key, again);
        assertEquals(key.hashCode(), again.hashCode());
        assertEquals(key.verifyingKey(), again.verifyingKey());
        seed[0] ^= 1;
        assertEquals(key, again, "the key keeps its own copy of the seed");
        assertNotEquals(key, SigningKey.fromSeed(seed));
        byte[] pub = key.verifyingKey().encoded();
        pub[0] ^= 1;
        assertNotEquals(VerifyingKey.of(pub), key.verifyingKey());
    }

    @Test
    void toString_neverShowsTheSeed() {
        String text = key.toString();
        assertTrue(text.contains("redacted"), text);
        Secrets.assertNotLeaked(text, key.seed());
        assertTrue(text.contains(key.verifyingKey().toString()), "the public half may print: " + text);
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    private static byte[] toFixed(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[len];
        int n = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - n, out, len - n, n);
        return out;
    }
}
