package io.wave.crypto.internal;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Fixed-base comb tables for Ed25519 verification under a key that verifies often.
 *
 * <p>A verification checks {@code [S]B - [k]A = R}. Bouncy Castle computes that with one joint
 * variable-base multiplication (about 130 doublings and 70 additions) on every call. When the same key
 * {@code A} verifies again and again (a device's senders, a client's devices, a namespace's attester),
 * a table of signed multiples {@code j * 2^(w*i) * A}, built once, turns {@code [k]A} into about 37 mixed
 * additions and no doublings; the base point has its own table. The check then costs 2.5 to 3 times less.
 *
 * <p><b>What an answer means.</b> {@link #verifies} returns true only when {@code S < L} and
 * {@code [S]B - [k]A} encodes to exactly the signature's {@code R} bytes, with
 * {@code k = SHA-512(R || A || M) mod L}: RFC 8032's strict (cofactorless) equation. Bouncy Castle 1.87
 * checks the cofactored one ({@code [8][S]B = [8]R + [8][k]A}), which the strict one implies: the two
 * differ only for signatures a key's own holder crafts with small-order components in {@code R} or in a
 * mixed-order key, which Bouncy Castle accepts and these tables do not. False therefore means only "not
 * shown valid here", and callers fall back to Bouncy Castle.
 *
 * <p><b>What the safety rests on.</b> True is final: {@link io.wave.crypto.VerifyingKey} does not ask Bouncy
 * Castle again. So an arithmetic slip here is not merely slow. A comb that dropped the {@code [k]A} term
 * would accept {@code R = [S]B} for any message, a universal forgery; one that skipped the range check,
 * hashed the wrong bytes or compared part of {@code R} would accept malleated or foreign signatures. That
 * these tables accept only what Bouncy Castle accepts is established by tests, not by the shape of the
 * code: {@code Ed25519CombDifferentialTest} (randomized against Bouncy Castle with keys made hot: honest,
 * bit-flipped and foreign signatures, {@code S} at, near and above {@code L}, small-order, non-canonical
 * and mixed-order {@code R}, mixed-order and small-order keys, {@code R = [S]B}; hundreds of thousands of
 * cases in its long run), {@code WycheproofEd25519Test} (Project Wycheproof's vectors with the tables off
 * and on) and {@code Ed25519CombTest} (textbook arithmetic, every window). Each of those slips fails them;
 * any change here must pass them, long run included.
 *
 * <p><b>Keys.</b> Only for keys Bouncy Castle's point validation accepts
 * ({@code Ed25519.validatePublicKeyPartial}: canonical, on the curve, not of small order), which
 * {@link #of} checks again. Under a small-order key the strict equation has solutions that need no secret
 * ({@code A} the neutral element: {@code R} the neutral element, {@code S = 0}, any message); a table for
 * one would accept them, and its accept is final.
 *
 * <p>Variable-time by design: it handles only public data (keys, signatures, messages). Never use these
 * tables with a secret scalar.
 */
public final class Ed25519Comb {
    /** Bits per digit of the key tables: 37 positions of 64 points each, about 284 KiB per key. */
    public static final int KEY_WINDOW = 7;
    /** Bits per digit of the one base-point table: 32 positions of 128 points, about 507 KiB once. */
    static final int BASE_WINDOW = 8;
    /** A field element is ten limbs; a table point is three of them: y+x, y-x and 2d*x*y. */
    private static final int LIMBS = 10;
    private static final int POINT_INTS = 3 * LIMBS;

    static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    static final BigInteger L = BigInteger.ONE.shiftLeft(252)
            .add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger CURVE_D = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final int[] D = fieldConstant(CURVE_D);
    private static final int[] D2 = fieldConstant(CURVE_D.shiftLeft(1).mod(P));
    /** RFC 8032's base point B: y = 4/5, x even. */
    private static final byte[] BASE_ENCODED = java.util.HexFormat.of()
            .parseHex("5866666666666666666666666666666666666666666666666666666666666666");
    private static final Ed25519Comb BASE = Ed25519Comb.of(BASE_ENCODED, BASE_WINDOW);

    private final int window;
    private final int positions;
    private final int half;
    /** Point (i, j) = (j + 1) * 2^(window * i) * A, as y+x, y-x, 2d*x*y (affine), at (i * half + j) * 30. */
    private final int[] table;

    private Ed25519Comb(int window, int[] table) {
        this.window = window;
        this.positions = positions(window);
        this.half = 1 << (window - 1);
        this.table = table;
    }

    /** Digits needed for any scalar below L (253 bits), with room for the last carry. */
    private static int positions(int window) {
        return (254 + window - 1) / window;
    }

    /**
     * The table for the point {@code encoded} (a canonical Ed25519 point encoding), or null when it is not one
     * Bouncy Castle takes as a key: not a canonical point on the curve, or of small order (see the class
     * comment on keys).
     */
    public static Ed25519Comb of(byte[] encoded, int window) {
        if (window < 2 || window > 10) {
            throw new IllegalArgumentException("window " + window);
        }
        if (encoded.length != 32 || !Ed25519.validatePublicKeyPartial(encoded, 0)) {
            return null;
        }
        int[] x = X25519Field.create();
        int[] y = X25519Field.create();
        if (!decode(encoded, x, y)) {
            return null;
        }
        return build(x, y, window);
    }

    /**
     * True when {@code signature} (R || S) verifies under the key {@code publicKey} whose table this is,
     * over {@code message}, by RFC 8032's cofactorless equation. False when it does not, or could not be
     * shown to here: see the class comment.
     */
    public boolean verifies(byte[] publicKey, byte[] signature, byte[] message) {
        if (signature.length != 64 || publicKey.length != 32) {
            return false;
        }
        BigInteger s = littleEndian(signature, 32, 32);
        if (s.compareTo(L) >= 0) {
            return false;
        }
        SHA512Digest sha = new SHA512Digest();
        sha.update(signature, 0, 32);
        sha.update(publicKey, 0, 32);
        sha.update(message, 0, message.length);
        byte[] h = new byte[64];
        sha.doFinal(h, 0);
        BigInteger k = littleEndian(h, 0, 64).mod(L);
        // [S]B - [k]A: -[k]A by subtracting each digit's multiple, not as [L - k]A, which differs from it
        // by [L]T on a key with a small-order component T.
        Accumulator acc = new Accumulator();
        BASE.addMultiple(s, acc, false);
        addMultiple(k, acc, true);
        byte[] r = acc.encode();
        for (int i = 0; i < 32; i++) {
            if (r[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }

    /** The encoding of [scalar] * this table's point, for 0 <= scalar < L: for tests. */
    byte[] multiply(BigInteger scalar) {
        Accumulator acc = new Accumulator();
        addMultiple(scalar, acc, false);
        return acc.encode();
    }

    /** [scalar] * B's encoding, for 0 <= scalar < L: for tests. */
    static byte[] multiplyBase(BigInteger scalar) {
        return BASE.multiply(scalar);
    }

    /**
     * Adds [scalar] * this table's point to {@code acc}, or subtracts it when {@code negate}: one mixed
     * addition per non-zero signed digit.
     */
    private void addMultiple(BigInteger scalar, Accumulator acc, boolean negate) {
        if (scalar.signum() < 0 || scalar.compareTo(L) >= 0) {
            throw new IllegalArgumentException("scalar out of range");
        }
        long[] words = words(scalar);
        int mask = (1 << window) - 1;
        int carry = 0;
        for (int i = 0; i < positions; i++) {
            int digit = bits(words, i * window, window, mask) + carry;
            if (digit > half) {
                digit -= 1 << window;
                carry = 1;
            } else {
                carry = 0;
            }
            if (digit != 0) {
                acc.addPrecomputed(table, (i * half + Math.abs(digit) - 1) * POINT_INTS, (digit < 0) != negate);
            }
        }
        if (carry != 0) {
            throw new IllegalStateException("scalar recoding overflowed");
        }
    }

    private static long[] words(BigInteger scalar) {
        long[] w = new long[5];
        for (int i = 0; i < 4; i++) {
            w[i] = scalar.shiftRight(64 * i).longValue();
        }
        return w;
    }

    private static int bits(long[] words, int from, int count, int mask) {
        int word = from >>> 6;
        int shift = from & 63;
        long v = words[word] >>> shift;
        if (shift + count > 64) {
            v |= words[word + 1] << (64 - shift);
        }
        return (int) v & mask;
    }

    private static BigInteger littleEndian(byte[] b, int off, int len) {
        byte[] be = new byte[len];
        for (int i = 0; i < len; i++) {
            be[i] = b[off + len - 1 - i];
        }
        return new BigInteger(1, be);
    }

    private static int[] fieldConstant(BigInteger v) {
        byte[] le = new byte[32];
        byte[] be = v.toByteArray();
        for (int i = 0; i < be.length && i < 32; i++) {
            le[i] = be[be.length - 1 - i];
        }
        int[] z = X25519Field.create();
        X25519Field.decode(le, 0, z);
        return z;
    }

    /** Decompresses a canonical encoding (RFC 8032 section 5.1.3); false when it is not a point. */
    private static boolean decode(byte[] encoded, int[] x, int[] y) {
        if (encoded.length != 32) {
            return false;
        }
        byte[] b = encoded.clone();
        int sign = (b[31] & 0x80) >>> 7;
        b[31] &= 0x7F;
        if (littleEndian(b, 0, 32).compareTo(P) >= 0) {
            return false;
        }
        X25519Field.decode(b, 0, y);
        int[] u = X25519Field.create();
        int[] v = X25519Field.create();
        X25519Field.sqr(y, u);
        X25519Field.mul(D, u, v);
        X25519Field.subOne(u);
        X25519Field.addOne(v);
        if (!X25519Field.sqrtRatioVar(u, v, x)) {
            return false;
        }
        X25519Field.normalize(x);
        if (sign == 1 && X25519Field.isZeroVar(x)) {
            return false;
        }
        if ((x[0] & 1) != sign) {
            X25519Field.negate(x, x);
            X25519Field.normalize(x);
        }
        X25519Field.normalize(y);
        // Re-encode: what this decoded must be exactly what was given.
        byte[] again = new byte[32];
        X25519Field.encode(y, again, 0);
        again[31] |= (byte) ((x[0] & 1) << 7);
        return Arrays.equals(again, encoded);
    }

    private static Ed25519Comb build(int[] x, int[] y, int window) {
        int positions = positions(window);
        int half = 1 << (window - 1);
        int count = positions * half;
        // Every point first in extended coordinates; one batched inversion makes them affine.
        int[][] ex = new int[count][];
        int[][] ey = new int[count][];
        int[][] ez = new int[count][];
        Ext cur = Ext.affine(x, y);
        for (int i = 0; i < positions; i++) {
            Ext m = cur;
            for (int j = 0; j < half; j++) {
                if (j > 0) {
                    m = m.plus(cur);
                }
                int e = i * half + j;
                ex[e] = m.x;
                ey[e] = m.y;
                ez[e] = m.z;
            }
            // The next position's unit: 2^window * cur = 2 * (half * cur).
            cur = m.plus(m);
        }
        int[][] inv = batchInvert(ez);
        int[] table = new int[count * POINT_INTS];
        int[] ax = X25519Field.create();
        int[] ay = X25519Field.create();
        int[] t = X25519Field.create();
        for (int e = 0; e < count; e++) {
            X25519Field.mul(ex[e], inv[e], ax);
            X25519Field.mul(ey[e], inv[e], ay);
            X25519Field.normalize(ax);
            X25519Field.normalize(ay);
            int off = e * POINT_INTS;
            X25519Field.add(ay, ax, t);
            X25519Field.normalize(t);
            X25519Field.copy(t, 0, table, off);
            X25519Field.sub(ay, ax, t);
            X25519Field.normalize(t);
            X25519Field.copy(t, 0, table, off + LIMBS);
            X25519Field.mul(ax, ay, t);
            X25519Field.mul(t, D2, t);
            X25519Field.normalize(t);
            X25519Field.copy(t, 0, table, off + 2 * LIMBS);
        }
        return new Ed25519Comb(window, table);
    }

    /** Montgomery's trick: every inverse for one field inversion and three multiplications each. */
    private static int[][] batchInvert(int[][] zs) {
        int n = zs.length;
        int[][] prefix = new int[n][];
        int[] acc = X25519Field.create();
        X25519Field.one(acc);
        for (int i = 0; i < n; i++) {
            prefix[i] = X25519Field.create();
            X25519Field.copy(acc, 0, prefix[i], 0);
            X25519Field.mul(acc, zs[i], acc);
        }
        int[] inv = X25519Field.create();
        X25519Field.invVar(acc, inv);
        int[][] out = new int[n][];
        for (int i = n - 1; i >= 0; i--) {
            out[i] = X25519Field.create();
            X25519Field.mul(inv, prefix[i], out[i]);
            X25519Field.mul(inv, zs[i], inv);
        }
        return out;
    }

    /** A point in extended coordinates (X : Y : Z : T), x = X/Z, y = Y/Z, T = XY/Z; immutable once made. */
    private static final class Ext {
        final int[] x = X25519Field.create();
        final int[] y = X25519Field.create();
        final int[] z = X25519Field.create();
        final int[] t = X25519Field.create();

        static Ext affine(int[] ax, int[] ay) {
            Ext p = new Ext();
            X25519Field.copy(ax, 0, p.x, 0);
            X25519Field.copy(ay, 0, p.y, 0);
            X25519Field.one(p.z);
            X25519Field.mul(ax, ay, p.t);
            return p;
        }

        /**
         * This plus {@code q}: the unified formulas of Hisil, Wong, Carter and Dawson (2008) for a = -1,
         * complete on Ed25519, so they also double.
         */
        Ext plus(Ext q) {
            int[] s1 = X25519Field.create();
            int[] d1 = X25519Field.create();
            int[] s2 = X25519Field.create();
            int[] d2 = X25519Field.create();
            X25519Field.apm(y, x, s1, d1);
            X25519Field.apm(q.y, q.x, s2, d2);
            int[] a = X25519Field.create();
            int[] b = X25519Field.create();
            int[] c = X25519Field.create();
            int[] d = X25519Field.create();
            X25519Field.mul(d1, d2, a);
            X25519Field.mul(s1, s2, b);
            X25519Field.mul(t, q.t, c);
            X25519Field.mul(c, D2, c);
            X25519Field.mul(z, q.z, d);
            X25519Field.add(d, d, d);
            int[] e = X25519Field.create();
            int[] f = X25519Field.create();
            int[] g = X25519Field.create();
            int[] h = X25519Field.create();
            X25519Field.apm(b, a, h, e);
            X25519Field.apm(d, c, g, f);
            X25519Field.carry(e);
            X25519Field.carry(f);
            X25519Field.carry(g);
            X25519Field.carry(h);
            Ext r = new Ext();
            X25519Field.mul(e, f, r.x);
            X25519Field.mul(g, h, r.y);
            X25519Field.mul(f, g, r.z);
            X25519Field.mul(e, h, r.t);
            return r;
        }
    }

    /** A running sum in extended coordinates, starting at the neutral element (0 : 1 : 1 : 0). */
    private static final class Accumulator {
        private final int[] x = X25519Field.create();
        private final int[] y = X25519Field.create();
        private final int[] z = X25519Field.create();
        private final int[] t = X25519Field.create();
        private final int[] qp = X25519Field.create();
        private final int[] qm = X25519Field.create();
        private final int[] qt = X25519Field.create();
        private final int[] s = X25519Field.create();
        private final int[] m = X25519Field.create();
        private final int[] a = X25519Field.create();
        private final int[] b = X25519Field.create();
        private final int[] c = X25519Field.create();
        private final int[] d = X25519Field.create();
        private final int[] e = X25519Field.create();
        private final int[] f = X25519Field.create();
        private final int[] g = X25519Field.create();
        private final int[] h = X25519Field.create();

        Accumulator() {
            X25519Field.one(y);
            X25519Field.one(z);
        }

        /**
         * Adds the affine table point at {@code off} (y+x, y-x, 2dxy), or subtracts it when {@code negate}:
         * -(x, y) = (-x, y) swaps y+x with y-x and negates 2dxy. Seven multiplications.
         */
        void addPrecomputed(int[] table, int off, boolean negate) {
            X25519Field.copy(table, off, negate ? qm : qp, 0);
            X25519Field.copy(table, off + LIMBS, negate ? qp : qm, 0);
            X25519Field.copy(table, off + 2 * LIMBS, qt, 0);
            X25519Field.apm(y, x, s, m);
            X25519Field.mul(m, qm, a);
            X25519Field.mul(s, qp, b);
            X25519Field.mul(t, qt, c);
            X25519Field.add(z, z, d);
            X25519Field.apm(b, a, h, e);
            if (negate) {
                X25519Field.apm(d, c, f, g);
            } else {
                X25519Field.apm(d, c, g, f);
            }
            X25519Field.carry(f);
            X25519Field.carry(g);
            X25519Field.mul(e, f, x);
            X25519Field.mul(g, h, y);
            X25519Field.mul(f, g, z);
            X25519Field.mul(e, h, t);
        }

        byte[] encode() {
            int[] zi = X25519Field.create();
            X25519Field.invVar(z, zi);
            int[] ax = X25519Field.create();
            int[] ay = X25519Field.create();
            X25519Field.mul(x, zi, ax);
            X25519Field.mul(y, zi, ay);
            X25519Field.normalize(ax);
            X25519Field.normalize(ay);
            byte[] out = new byte[32];
            X25519Field.encode(ay, out, 0);
            out[31] |= (byte) ((ax[0] & 1) << 7);
            return out;
        }
    }
}
