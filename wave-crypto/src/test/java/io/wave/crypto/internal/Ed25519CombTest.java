package io.wave.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.bouncycastle.crypto.digests.SHA512Digest;
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

    private static byte[] publicKey(byte[] seed) {
        byte[] pk = new byte[32];
        Ed25519.generatePublicKey(seed, 0, pk, 0);
        return pk;
    }

    private static byte[] sign(byte[] seed, byte[] m) {
        byte[] sig = new byte[64];
        Ed25519.sign(seed, 0, m, 0, m.length, sig, 0);
        return sig;
    }

    /** RFC 8032's secret scalar for {@code seed}, reduced mod L. */
    private static BigInteger secretScalar(byte[] seed) {
        SHA512Digest d = new SHA512Digest();
        d.update(seed, 0, 32);
        byte[] h = new byte[64];
        d.doFinal(h, 0);
        h[0] &= (byte) 248;
        h[31] &= 127;
        h[31] |= 64;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = h[31 - i];
        }
        return new BigInteger(1, be).mod(Ed25519Comb.L);
    }

    private static byte[] littleEndian(BigInteger v) {
        byte[] le = new byte[32];
        byte[] be = v.toByteArray();
        for (int i = 0; i < be.length && i < 32; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    @Test
    void baseTable_derivesTheSamePublicKeysAsBouncyCastle() {
        for (int i = 0; i < 50; i++) {
            byte[] seed = seed();
            assertArrayEquals(publicKey(seed), Ed25519Comb.multiplyBase(secretScalar(seed)), "seed " + i);
        }
    }

    /** Textbook affine Edwards addition, x3 = (x1y2 + y1x2) / (1 + d x1x2y1y2), y3 = (y1y2 + x1x2) / (1 - d x1x2y1y2). */
    private static BigInteger[] affineAdd(BigInteger[] a, BigInteger[] b) {
        BigInteger p = Ed25519Comb.P;
        BigInteger d = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(p)).mod(p);
        BigInteger t = d.multiply(a[0]).multiply(b[0]).multiply(a[1]).multiply(b[1]).mod(p);
        BigInteger x = a[0].multiply(b[1]).add(a[1].multiply(b[0])).multiply(BigInteger.ONE.add(t).modInverse(p)).mod(p);
        BigInteger y = a[1].multiply(b[1]).add(a[0].multiply(b[0]))
                .multiply(BigInteger.ONE.subtract(t).mod(p).modInverse(p)).mod(p);
        return new BigInteger[] {x, y};
    }

    private static byte[] affineEncode(BigInteger[] pt) {
        byte[] le = littleEndian(pt[1]);
        le[31] |= (byte) (pt[0].testBit(0) ? 0x80 : 0);
        return le;
    }

    @Test
    void baseTable_agreesWithTextbookArithmetic_forTheFirstMultiples() {
        BigInteger p = Ed25519Comb.P;
        BigInteger d = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(p)).mod(p);
        BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(p)).mod(p);
        BigInteger x2 = y.multiply(y).subtract(BigInteger.ONE).multiply(d.multiply(y).multiply(y).add(BigInteger.ONE)
                .modInverse(p)).mod(p);
        BigInteger x = x2.modPow(p.add(BigInteger.valueOf(3)).shiftRight(3), p);
        if (!x.multiply(x).mod(p).equals(x2)) {
            x = x.multiply(BigInteger.TWO.modPow(p.subtract(BigInteger.ONE).shiftRight(2), p)).mod(p);
        }
        if (x.testBit(0)) {
            x = p.subtract(x);
        }
        BigInteger[] b = {x, y};
        BigInteger[] acc = b;
        // 1..300 crosses the first two digit positions and both signs of digits.
        for (int n = 1; n <= 300; n++) {
            assertArrayEquals(affineEncode(acc), Ed25519Comb.multiplyBase(BigInteger.valueOf(n)), "n = " + n);
            acc = affineAdd(acc, b);
        }
    }

    /** RFC 8032's k = SHA-512(R || A || M) mod L. */
    private static BigInteger challenge(byte[] rEnc, byte[] pk, byte[] m) {
        SHA512Digest d = new SHA512Digest();
        d.update(rEnc, 0, 32);
        d.update(pk, 0, 32);
        d.update(m, 0, m.length);
        byte[] h = new byte[64];
        d.doFinal(h, 0);
        return new BigInteger(1, reverse(h)).mod(Ed25519Comb.L);
    }

    /** A signature crafted as a key's holder can: R as given, S = r + k * a mod L. */
    private static byte[] signature(byte[] rEnc, BigInteger r, BigInteger k, BigInteger a) {
        byte[] sig = new byte[64];
        System.arraycopy(rEnc, 0, sig, 0, 32);
        System.arraycopy(littleEndian(r.add(k.multiply(a)).mod(Ed25519Comb.L)), 0, sig, 32, 32);
        return sig;
    }

    /** Decompresses a point with textbook arithmetic: {x, y}. */
    private static BigInteger[] affineDecode(byte[] encoded) {
        BigInteger p = Ed25519Comb.P;
        BigInteger d = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(p)).mod(p);
        byte[] le = encoded.clone();
        boolean sign = (le[31] & 0x80) != 0;
        le[31] &= 0x7F;
        BigInteger y = new BigInteger(1, reverse(le));
        BigInteger x2 = y.multiply(y).subtract(BigInteger.ONE).multiply(d.multiply(y).multiply(y).add(BigInteger.ONE)
                .modInverse(p)).mod(p);
        BigInteger x = x2.modPow(p.add(BigInteger.valueOf(3)).shiftRight(3), p);
        if (!x.multiply(x).mod(p).equals(x2)) {
            x = x.multiply(BigInteger.TWO.modPow(p.subtract(BigInteger.ONE).shiftRight(2), p)).mod(p);
        }
        if (x.testBit(0) != sign) {
            x = p.subtract(x).mod(p);
        }
        return new BigInteger[] {x, y};
    }

    @Test
    void mixedOrderKeys_theTablesAcceptOnlyWhatBouncyCastleAccepts() {
        // A' = A + T with T of order 8: a malicious signer who knows a (A = [a]B) can sign under A'. The strict
        // (cofactorless) equation the tables check holds only when k * T = 0, i.e. k divisible by 8; Bouncy
        // Castle 1.87 checks the cofactored one and accepts them all. The tables may refuse what Bouncy Castle
        // accepts (VerifyingKey then asks Bouncy Castle), never the other way round.
        byte[] t8 = java.util.HexFormat.of().parseHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
        byte[] seed = seed();
        BigInteger a = secretScalar(seed);
        byte[] pk = affineEncode(affineAdd(affineDecode(publicKey(seed)), affineDecode(t8)));
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
        byte[] t8 = java.util.HexFormat.of().parseHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
        byte[] seed = seed();
        BigInteger a = secretScalar(seed);
        byte[] pk = publicKey(seed);
        Ed25519Comb comb = Ed25519Comb.of(pk, Ed25519Comb.KEY_WINDOW);
        for (int i = 0; i < 16; i++) {
            byte[] m = {(byte) i};
            BigInteger r = new BigInteger(252, random);
            byte[] rEnc = affineEncode(affineAdd(affineDecode(Ed25519Comb.multiplyBase(r)), affineDecode(t8)));
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
        BigInteger s = new BigInteger(1, reverse(java.util.Arrays.copyOfRange(sig, 32, 64)));
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

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }
}
