package io.wave.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.wave.crypto.testing.DeterministicRandom;
import io.wave.crypto.testing.Secrets;
import io.wave.crypto.testing.VectorFile;
import io.wave.crypto.testing.VectorFile.Vector;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** X25519 key agreement: RFC 7748 section 6.1, and refusal of peers that contribute nothing. */
class DecryptionKeyTest {
    private static final DecryptionKey ALICE = DecryptionKey.generate(new DeterministicRandom("x25519-alice"));

    @TestFactory
    Stream<DynamicTest> rfc7748DiffieHellman() {
        return VectorFile.load("/vectors/rfc7748-x25519.txt").stream().flatMap(v -> {
            DecryptionKey alice = DecryptionKey.fromBytes(v.hex("alice-private"));
            DecryptionKey bob = DecryptionKey.fromBytes(v.hex("bob-private"));
            return Stream.of(
                    dynamicTest(v.name() + ": Alice's public key", () ->
                            assertArrayEquals(v.hex("alice-public"), alice.publicKey().encoded())),
                    dynamicTest(v.name() + ": Bob's public key", () ->
                            assertArrayEquals(v.hex("bob-public"), bob.publicKey().encoded())),
                    dynamicTest(v.name() + ": Alice computes K", () ->
                            assertArrayEquals(v.hex("shared"), alice.agree(EncryptionKey.of(v.hex("bob-public"))))),
                    dynamicTest(v.name() + ": Bob computes K", () ->
                            assertArrayEquals(v.hex("shared"), bob.agree(EncryptionKey.of(v.hex("alice-public"))))));
        });
    }

    @TestFactory
    Stream<DynamicTest> agree_refusesLowOrderPeer() {
        return VectorFile.load("/vectors/x25519-low-order.txt").stream().map((Vector v) -> dynamicTest(v.name(), () -> {
            EncryptionKey peer = EncryptionKey.of(v.hex("u"));
            WaveException e = assertThrows(WaveException.class, () -> ALICE.agree(peer));
            assertEquals(ErrorCode.MALFORMED, e.code());
        }));
    }

    @Test
    void agree_isSymmetric() {
        DecryptionKey bob = DecryptionKey.generate(new DeterministicRandom("x25519-bob"));
        byte[] ab = ALICE.agree(bob.publicKey());
        assertArrayEquals(ab, bob.agree(ALICE.publicKey()));
        DecryptionKey carol = DecryptionKey.generate(new DeterministicRandom("x25519-carol"));
        assertNotEquals(java.util.HexFormat.of().formatHex(ab),
                java.util.HexFormat.of().formatHex(ALICE.agree(carol.publicKey())));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33})
    void keys_ofWrongLengthAreMalformed(int length) {
        assertEquals(ErrorCode.MALFORMED,
                assertThrows(WaveException.class, () -> DecryptionKey.fromBytes(new byte[length])).code());
        assertEquals(ErrorCode.MALFORMED,
                assertThrows(WaveException.class, () -> EncryptionKey.of(new byte[length])).code());
    }

    @Test
    void fromBytes_roundTripsAndComparesByValue() {
        DecryptionKey again = DecryptionKey.fromBytes(ALICE.bytes());
        assertEquals(ALICE, again);
        assertEquals(ALICE.hashCode(), again.hashCode());
        assertEquals(ALICE.publicKey(), again.publicKey());
    }

    @Test
    void toString_neverShowsThePrivateScalar() {
        String text = ALICE.toString();
        assertTrue(text.contains("redacted"), text);
        Secrets.assertNotLeaked(text, ALICE.bytes());
    }
}
