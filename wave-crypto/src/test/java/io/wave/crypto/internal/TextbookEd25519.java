package io.wave.crypto.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 written out with BigInteger and affine formulas, slow and obviously right: the reference the comb
 * tables are checked against, and the tool that crafts what an honest signer never makes (mixed-order keys
 * and R, small-order points, scalars at and above L). Public data only; never a model for production code.
 */
final class TextbookEd25519 {
    static final BigInteger P = Ed25519Comb.P;
    static final BigInteger L = Ed25519Comb.L;
    static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final HexFormat HEX = HexFormat.of();

    /**
     * The eight points of order dividing 8, canonically encoded: the neutral element, the point of order 2,
     * the two of order 4 and the four of order 8.
     */
    static final List<byte[]> SMALL_ORDER = List.of(
            HEX.parseHex("0100000000000000000000000000000000000000000000000000000000000000"),
            HEX.parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            HEX.parseHex("0000000000000000000000000000000000000000000000000000000000000000"),
            HEX.parseHex("0000000000000000000000000000000000000000000000000000000000000080"),
            HEX.parseHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
            HEX.parseHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"),
            HEX.parseHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
            HEX.parseHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"));

    /** A point of order 8. */
    static final byte[] T8 = SMALL_ORDER.get(4);

    /**
     * Non-canonical encodings of small-order points: y + p where that still fits in 255 bits (y is 0 or 1),
     * and the sign bit set on a point whose x is 0 ("negative zero").
     */
    static final List<byte[]> NON_CANONICAL_SMALL_ORDER = nonCanonical();

    private TextbookEd25519() {}

    /** Decompresses an encoding with the textbook square root: {x, y}. Assumes it is a point. */
    static BigInteger[] decode(byte[] encoded) {
        byte[] le = encoded.clone();
        boolean sign = (le[31] & 0x80) != 0;
        le[31] &= 0x7F;
        BigInteger y = fromLittleEndian(le).mod(P);
        BigInteger x2 = y.multiply(y).subtract(BigInteger.ONE)
                .multiply(D.multiply(y).multiply(y).add(BigInteger.ONE).modInverse(P)).mod(P);
        BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!x.multiply(x).mod(P).equals(x2)) {
            x = x.multiply(BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P)).mod(P);
        }
        if (x.testBit(0) != sign) {
            x = P.subtract(x).mod(P);
        }
        return new BigInteger[] {x, y};
    }

    static byte[] encode(BigInteger[] pt) {
        byte[] le = littleEndian(pt[1]);
        le[31] |= (byte) (pt[0].testBit(0) ? 0x80 : 0);
        return le;
    }

    /** Affine Edwards addition: x3 = (x1y2 + y1x2) / (1 + d x1x2y1y2), y3 = (y1y2 + x1x2) / (1 - d x1x2y1y2). */
    static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
        BigInteger t = D.multiply(a[0]).multiply(b[0]).multiply(a[1]).multiply(b[1]).mod(P);
        BigInteger x = a[0].multiply(b[1]).add(a[1].multiply(b[0])).multiply(BigInteger.ONE.add(t).modInverse(P)).mod(P);
        BigInteger y = a[1].multiply(b[1]).add(a[0].multiply(b[0]))
                .multiply(BigInteger.ONE.subtract(t).mod(P).modInverse(P)).mod(P);
        return new BigInteger[] {x, y};
    }

    /** The encoding of the sum of two encoded points. */
    static byte[] add(byte[] a, byte[] b) {
        return encode(add(decode(a), decode(b)));
    }

    /** RFC 8032's secret scalar for {@code seed}, reduced mod L: A = [a]B. */
    static BigInteger secretScalar(byte[] seed) {
        SHA512Digest d = new SHA512Digest();
        d.update(seed, 0, 32);
        byte[] h = new byte[64];
        d.doFinal(h, 0);
        h[0] &= (byte) 248;
        h[31] &= 127;
        h[31] |= 64;
        return fromLittleEndian(java.util.Arrays.copyOf(h, 32)).mod(L);
    }

    static byte[] publicKey(byte[] seed) {
        byte[] pk = new byte[32];
        Ed25519.generatePublicKey(seed, 0, pk, 0);
        return pk;
    }

    /** Bouncy Castle's (honest, deterministic) signature. */
    static byte[] sign(byte[] seed, byte[] m) {
        byte[] sig = new byte[64];
        Ed25519.sign(seed, 0, m, 0, m.length, sig, 0);
        return sig;
    }

    /** RFC 8032's k = SHA-512(R || A || M) mod L. */
    static BigInteger challenge(byte[] rEnc, byte[] pk, byte[] m) {
        SHA512Digest d = new SHA512Digest();
        d.update(rEnc, 0, 32);
        d.update(pk, 0, 32);
        d.update(m, 0, m.length);
        byte[] h = new byte[64];
        d.doFinal(h, 0);
        return fromLittleEndian(h).mod(L);
    }

    /** A signature crafted as a key's holder can: R as given, S = r + k * a mod L. */
    static byte[] signature(byte[] rEnc, BigInteger r, BigInteger k, BigInteger a) {
        return signature(rEnc, r.add(k.multiply(a)).mod(L));
    }

    /** R || S, S as 32 little-endian bytes (any value below 2^256, canonical or not). */
    static byte[] signature(byte[] rEnc, BigInteger s) {
        byte[] sig = new byte[64];
        System.arraycopy(rEnc, 0, sig, 0, 32);
        System.arraycopy(littleEndian(s), 0, sig, 32, 32);
        return sig;
    }

    /** 32 little-endian bytes of {@code v}, which must be below 2^256. */
    static byte[] littleEndian(BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 256) {
            throw new IllegalArgumentException("not a 256-bit value");
        }
        byte[] le = new byte[32];
        byte[] be = v.toByteArray();
        for (int i = 0; i < be.length && i < 32; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    static BigInteger fromLittleEndian(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    private static List<byte[]> nonCanonical() {
        List<byte[]> out = new ArrayList<>();
        for (byte[] t : SMALL_ORDER) {
            BigInteger[] pt = decode(t);
            BigInteger y = pt[1].add(P);
            if (y.bitLength() <= 255) {
                byte[] e = littleEndian(y);
                e[31] |= (byte) (t[31] & 0x80);
                out.add(e);
                if (pt[0].signum() == 0) {
                    byte[] negativeZero = e.clone();
                    negativeZero[31] |= (byte) 0x80;
                    out.add(negativeZero);
                }
            }
            if (pt[0].signum() == 0) {
                byte[] e = t.clone();
                e[31] |= (byte) 0x80;
                out.add(e);
            }
        }
        return List.copyOf(out);
    }
}
