package io.wave.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.wave.crypto.testing.VectorFile;
import io.wave.crypto.testing.VectorFile.Vector;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * RFC 8032 section 7.1 vectors, run as data. Our {@link SigningKey} signs a domain-tagged message, so
 * the raw vectors are checked on the Bouncy Castle primitive exactly as our classes call it, and key
 * derivation through {@link SigningKey#fromSeed}.
 */
class Ed25519VectorsTest {
    private static final List<Vector> VECTORS = VectorFile.load("/vectors/rfc8032-ed25519.txt");

    @Test
    void vectorFile_holdsTheFiveSection71Vectors() {
        assertEquals(List.of("TEST 1", "TEST 2", "TEST 3", "TEST 1024", "TEST SHA(abc)"),
                VECTORS.stream().map(Vector::name).toList());
        assertEquals(1023, VECTORS.get(3).hex("message").length);
    }

    @TestFactory
    Stream<DynamicNode> rfc8032() {
        return VECTORS.stream().map(v -> {
            byte[] secret = v.hex("secret");
            byte[] pub = v.hex("public");
            byte[] msg = v.hex("message");
            byte[] sig = v.hex("signature");
            return dynamicContainer(v.name(), Stream.of(
                    dynamicTest("fromSeed derives the public key", () ->
                            assertArrayEquals(pub, SigningKey.fromSeed(secret).verifyingKey().encoded())),
                    dynamicTest("raw Ed25519 signature matches", () -> {
                        byte[] out = new byte[Ed25519.SIGNATURE_SIZE];
                        Ed25519.sign(secret, 0, msg, 0, msg.length, out, 0);
                        assertArrayEquals(sig, out);
                    }),
                    dynamicTest("raw Ed25519 verify accepts it", () ->
                            assertTrue(Ed25519.verify(sig, 0, pub, 0, msg, 0, msg.length))),
                    dynamicTest("raw Ed25519 verify refuses a flipped message bit", () -> {
                        byte[] other = msg.length == 0 ? new byte[] {0} : msg.clone();
                        other[other.length - 1] ^= 1;
                        assertFalse(Ed25519.verify(sig, 0, pub, 0, other, 0, other.length));
                    }),
                    dynamicTest("our signature is raw Ed25519 over domain || NUL || message", () -> {
                        byte[] domain = "wave.test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                        byte[] tagged = new byte[domain.length + 1 + msg.length];
                        System.arraycopy(domain, 0, tagged, 0, domain.length);
                        System.arraycopy(msg, 0, tagged, domain.length + 1, msg.length);
                        byte[] raw = new byte[Ed25519.SIGNATURE_SIZE];
                        Ed25519.sign(secret, 0, tagged, 0, tagged.length, raw, 0);
                        assertArrayEquals(raw, SigningKey.fromSeed(secret).sign("wave.test", msg));
                    }),
                    dynamicTest("a raw signature never verifies as a domain-separated one", () -> {
                        VerifyingKey key = VerifyingKey.of(pub);
                        assertFalse(key.isValid("", msg, sig));
                        assertFalse(key.isValid("wave.sig.attestation.v1", msg, sig));
                    })));
        });
    }
}
