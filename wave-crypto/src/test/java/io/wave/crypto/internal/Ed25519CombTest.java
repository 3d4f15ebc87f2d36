package io.wave.crypto.internal;

import static io.wave.crypto.internal.TextbookEd25519.add;
import static io.wave.crypto.internal.TextbookEd25519.challenge;
import static io.wave.crypto.internal.TextbookEd25519.decode;
import static io.wave.crypto.internal.TextbookEd25519.encode;
import static io.wave.crypto.internal.TextbookEd25519.fromLittleEndian;
import static io.wave.crypto.internal.TextbookEd25519.littleEndian;
import static io.wave.crypto.internal.TextbookEd25519.publicKey;
import static io.wave.crypto.internal.TextbookEd25519.secretScalar;
import static io.wave.crypto.internal.TextbookEd25519.sign;
import static io.wave.crypto.internal.TextbookEd25519.signature;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/** The comb tables against Bouncy Castle's Ed25519, which they must agree with to the bit. */
class Ed25519CombTest {
    private final Random random = new Random(20261129L);

    private byte[] seed() {
        byte[] s = new byte[32];
        random.nextBytes(s);
        return s;
    }

    @Test
    void baseTable_derivesTheSamePublicKeysAsBouncyCastle() {
        for (int i = 0; i < 50; i++) {
            byte[] seed = seed();
            assertArrayEquals(publicKey(seed), Ed25519Comb.multiplyBase(secretScalar(seed)), "seed " + i);
        }
    }

    @Test
    void baseTable_agreesWithTextbookArithmetic_forTheFirstMultiples() {
        BigInteger[] b = decode(java.util.HexFormat.of()
                .parseHex("5866666666666666666666666666666666666666666666666666666666666666"));
        BigInteger[] acc = b;
        // 1..300 crosses the first two digit positions and both signs of digits.
        for (int n = 1; n <= 300; n++) {
            assertArrayEquals(encode(acc), Ed25519Comb.multiplyBase(BigInteger.valueOf(n)), "n = " + n);
            acc = add(acc, b);
        }
    }

    @Test
    void mixedOrderKeys_theTablesAcceptOnlyWhatBouncyCastleAccepts() {
        // A' = A + T with T of order 8: a malicious signer who knows a (A = [a]B) can sign under A'. The strict
        // (cofactorless) equation the tables check holds only when k * T = 0, i.e. k divisible by 8; Bouncy
        // Castle 1.87 checks the cofactored one and accepts them all. The tables may refuse what Bouncy Castle
        // accepts (VerifyingKey then asks Bouncy Castle), never the other way round.
        byte[] t8 = TextbookEd25519.T8;
        byte[] seed = seed();
        BigInteger a = secretScalar(seed);
        byte[] pk = encode(add(decode(publicKey(seed)), decode(t8)));
        assertTrue(Ed25519.validatePublicKeyPartial(pk, 0), "a mixed-order key is a point on the curve");
        Ed25519Comb comb = Ed25519Comb.of(pk, Ed25519Comb.KEY_WINDOW);
        assertNotNull(comb);
        int accepted = 0;
        for (int i = 0; i < 96; i++) {
            byte[] m = ("command " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            BigInteger r = new BigInteger(252, random);
            byte[] rEnc = Ed25519Comb.multiplyBase(r);
            BigInteger k = challenge(rEnc, pk, m);
            byte[] sig = signature(rEnc, r, k, a);
            boolean bc = Ed25519.verify(sig, 0, pk, 0, m, 0, m.length);
            boolean strict = comb.verifies(pk, sig, m);
            assertFalse(strict && !bc, "message " + i + ": the tables accepted what Bouncy Castle refuses");
            assertEquals(k.mod(BigInteger.valueOf(8)).signum() == 0, strict, "strict holds exactly when 8 | k");
            assertTrue(bc, "Bouncy Castle's cofactored check accepts a mixed-order key's signature");
            accepted += strict ? 1 : 0;
        }
        assertTrue(accepted > 0 && accepted < 96, "both outcomes of the strict check exercised: " + accepted + " of 96");
    }

    @Test
    void mixedOrderR_theTablesRefuse_bouncyCastleAccepts() {
        // R' = [r]B + T: [S]B - [k]A = [r]B differs from R' by T, which only the cofactored check forgives.
        byte[] t8 = TextbookEd25519.T8;
        byte[] seed = seed();
        BigInteger a = secretScalar(seed);
        byte[] pk = publicKey(seed);
        Ed25519Comb comb = Ed25519Comb.of(pk, Ed25519Comb.KEY_WINDOW);
        for (int i = 0; i < 16; i++) {
            byte[] m = {(byte) i};
            BigInteger r = new BigInteger(252, random);
            byte[] rEnc = encode(add(decode(Ed25519Comb.multiplyBase(r)), decode(t8)));
            byte[] sig = signature(rEnc, r, challenge(rEnc, pk, m), a);
            assertTrue(Ed25519.verify(sig, 0, pk, 0, m, 0, m.length));
            assertFalse(comb.verifies(pk, sig, m));
        }
    }

    @Test
    void baseTable_edgeScalars() {
        byte[] b = java.util.HexFormat.of().parseHex("5866666666666666666666666666666666666666666666666666666666666666");
        assertArrayEquals(b, Ed25519Comb.multiplyBase(BigInteger.ONE));
        byte[] neutral = new byte[32];
        neutral[0] = 1;
        assertArrayEquals(neutral, Ed25519Comb.multiplyBase(BigInteger.ZERO));
        // (L - 1) B = -B: the same y, the other sign of x.
        byte[] minusB = b.clone();
        minusB[31] |= (byte) 0x80;
        assertArrayEquals(minusB, Ed25519Comb.multiplyBase(Ed25519Comb.L.subtract(BigInteger.ONE)));
    }

    @Test
    void keyTable_multipliesAsTheBaseTableDoes() {
        // For A = [a]B, [s]A = [s * a mod L]B: two tables of different windows must agree.
        for (int i = 0; i < 20; i++) {
            byte[] seed = seed();
            BigInteger a = secretScalar(seed);
            Ed25519Comb comb = Ed25519Comb.of(publicKey(seed), Ed25519Comb.KEY_WINDOW);
            assertNotNull(comb);
            BigInteger s = new BigInteger(253, random).mod(Ed25519Comb.L);
            assertArrayEquals(Ed25519Comb.multiplyBase(s.multiply(a).mod(Ed25519Comb.L)), comb.multiply(s));
            assertArrayEquals(publicKey(seed), comb.multiply(BigInteger.ONE));
        }
    }

    @Test
    void everyWindowGivesTheSameMultiples() {
        byte[] seed = seed();
        BigInteger s = new BigInteger(252, random);
        byte[] expected = Ed25519Comb.multiplyBase(s.multiply(secretScalar(seed)).mod(Ed25519Comb.L));
        for (int w = 2; w <= 10; w++) {
            assertArrayEquals(expected, Ed25519Comb.of(publicKey(seed), w).multiply(s), "window " + w);
        }
    }

    @Test
    void verifies_acceptsWhatBouncyCastleSigns() {
        for (int i = 0; i < 100; i++) {
            byte[] seed = seed();
            byte[] pk = publicKey(seed);
            byte[] m = new byte[random.nextInt(300)];
            random.nextBytes(m);
            byte[] sig = sign(seed, m);
            assertTrue(Ed25519Comb.of(pk, Ed25519Comb.KEY_WINDOW).verifies(pk, sig, m), "signature " + i);
        }
    }

    @Test
    void verifies_refusesWhateverBouncyCastleRefuses() {
        byte[] seed = seed();
        byte[] pk = publicKey(seed);
        Ed25519Comb comb = Ed25519Comb.of(pk, Ed25519Comb.KEY_WINDOW);
        byte[] m = "turn the heating on".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] sig = sign(seed, m);
        int refused = 0;
        for (int i = 0; i < 64 * 8; i++) {
            byte[] bad = sig.clone();
            bad[i / 8] ^= (byte) (1 << (i % 8));
            boolean bc = Ed25519.verify(bad, 0, pk, 0, m, 0, m.length);
            assertFalse(comb.verifies(pk, bad, m) && !bc, "bit " + i);
            refused += bc ? 0 : 1;
        }
        assertEquals(64 * 8, refused, "every flipped bit breaks the signature");
        byte[] other = m.clone();
        other[0] ^= 1;
        assertFalse(comb.verifies(pk, sig, other));
        // Another key's signature on the same message.
        assertFalse(comb.verifies(pk, sign(seed(), m), m));
        // S + L: the same point arithmetic, but S is not canonical; RFC 8032 and Bouncy Castle refuse it.
        BigInteger s = fromLittleEndian(java.util.Arrays.copyOfRange(sig, 32, 64));
        byte[] malleable = sig.clone();
        System.arraycopy(littleEndian(s.add(Ed25519Comb.L)), 0, malleable, 32, 32);
        assertFalse(Ed25519.verify(malleable, 0, pk, 0, m, 0, m.length));
        assertFalse(comb.verifies(pk, malleable, m));
        // Random garbage.
        for (int i = 0; i < 50; i++) {
            byte[] g = new byte[64];
            random.nextBytes(g);
            assertFalse(comb.verifies(pk, g, m));
        }
    }

    @Test
    void verifies_onlyUnderTheKeyItWasBuiltFor_isTheCallersContract_butAWrongKeyNeverPasses() {
        byte[] seedA = seed();
        byte[] seedB = seed();
        Ed25519Comb combA = Ed25519Comb.of(publicKey(seedA), Ed25519Comb.KEY_WINDOW);
        byte[] m = {1, 2, 3};
        // B's signature, checked with A's table but B's key in the hash: the equation uses A, so it fails.
        assertFalse(combA.verifies(publicKey(seedB), sign(seedB, m), m));
    }

    @Test
    void of_refusesWhatIsNotACanonicalPoint() {
        int notOnCurve = 0;
        for (int i = 0; i < 200; i++) {
            byte[] e = new byte[32];
            random.nextBytes(e);
            boolean bc = Ed25519.validatePublicKeyPartial(e, 0);
            Ed25519Comb comb = Ed25519Comb.of(e, 4);
            assertEquals(bc, comb != null, "encoding " + java.util.HexFormat.of().formatHex(e));
            notOnCurve += bc ? 0 : 1;
        }
        assertTrue(notOnCurve > 50, "about half of random encodings are not points");
        // y = p (non-canonical encoding of y = 0).
        byte[] p = littleEndian(Ed25519Comb.P);
        assertNull(Ed25519Comb.of(p, 4));
    }
}
