package io.wave.crypto.internal;

import static io.wave.crypto.internal.TextbookEd25519.L;
import static io.wave.crypto.internal.TextbookEd25519.NON_CANONICAL_SMALL_ORDER;
import static io.wave.crypto.internal.TextbookEd25519.SMALL_ORDER;
import static io.wave.crypto.internal.TextbookEd25519.challenge;
import static io.wave.crypto.internal.TextbookEd25519.fromLittleEndian;
import static io.wave.crypto.internal.TextbookEd25519.publicKey;
import static io.wave.crypto.internal.TextbookEd25519.secretScalar;
import static io.wave.crypto.internal.TextbookEd25519.signature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wave.crypto.VerifyingKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The comb path against Bouncy Castle, case by case, on inputs an attacker or a key's own holder can make.
 * The comb tables answer alone whenever they accept, so their safety rests on this test and on the
 * Wycheproof vectors ({@code WycheproofEd25519Test}), not on an argument about the arithmetic: a comb that
 * dropped the {@code [k]A} term would accept {@code R = [S]B} for any message.
 *
 * <p>Every case checks, for keys made hot first so that {@link VerifyingKey} consults the tables:
 * {@link VerifyingKey#isValid} answers exactly what Bouncy Castle's {@code Ed25519.verify} answers; the table
 * alone never accepts what Bouncy Castle refuses; and where the strict equation is known to hold (or not),
 * the table says so, so the fast path is really exercised and not silently bypassed.
 *
 * <p>{@code mvn verify} runs {@value #DEFAULT_CASES} cases from a fixed seed. For a long run:
 * {@code mvn -B -pl wave-crypto -am test -Dtest=Ed25519CombDifferentialTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dwave.crypto.differentialCases=500000}; {@code -Dwave.crypto.differentialSeed=N} picks another seed. A
 * failure names the seed and the case, which replay alone.
 */
class Ed25519CombDifferentialTest {
    static final int DEFAULT_CASES = 3000;
    static final long DEFAULT_SEED = 20261202L;
    private static final String DOMAIN = "wave.test.differential";
    private static final String OTHER_DOMAIN = "wave.test.differential2";
    private static final int HONEST_KEYS = 6;
    private static final int MAX_REPORTED = 20;

    /** What a case does to an honest signature; cycled so that every kind runs in even a short run. */
    enum Kind {
        HONEST, SIGNATURE_BIT_FLIP, MESSAGE_BIT_FLIP, OTHER_DOMAIN, OTHER_KEYS_SIGNATURE, S_PLUS_MULTIPLE_OF_L,
        S_NEAR_L, NO_KA_TERM, IDENTITY_R_CRAFTED, SMALL_ORDER_R, SMALL_ORDER_R_CRAFTED, NON_CANONICAL_R,
        MIXED_ORDER_R_CRAFTED, RANDOM_SIGNATURE, SMALL_ORDER_KEY, MUTATED_KEY
    }

    /**
     * A key under test: an honest one ({@code torsion} 1), or a holder's mixed-order key A + T with T of
     * order {@code torsion}, signing as RFC 8032 says but under the altered key.
     */
    private record Signer(String name, byte[] seed, BigInteger a, byte[] pk, int torsion, VerifyingKey key,
            Ed25519Comb comb) {}

    /** One case's inputs and what is known in advance about it (null: not known). */
    private record Case(Kind kind, byte[] pk, Signer hot, String domain, byte[] message, byte[] signature,
            Boolean bouncyCastleExpected, Boolean strictExpected) {}

    @BeforeEach
    @AfterEach
    void forget() {
        HotKeys.clear();
        HotKeys.enabled(true);
    }

    @Test
    void combPath_agreesWithBouncyCastle_onRandomizedMutations() {
        assumeTrue(HotKeys.CAPACITY >= HONEST_KEYS + 2, "needs " + (HONEST_KEYS + 2) + " hot-key tables");
        int cases = Integer.getInteger("wave.crypto.differentialCases", DEFAULT_CASES);
        long seed = Long.getLong("wave.crypto.differentialSeed", DEFAULT_SEED);
        List<Signer> signers = signers(new Random(seed));
        Map<Kind, Integer> perKind = new EnumMap<>(Kind.class);
        int combAccepted = 0;
        int fallbackAccepted = 0;
        List<String> failures = new ArrayList<>();
        Map<String, Integer> problems = new java.util.TreeMap<>();
        int failed = 0;
        Kind[] kinds = Kind.values();
        for (int i = 0; i < cases; i++) {
            Case c = make(kinds[i % kinds.length], new Random(seed * 0x9E3779B97F4A7C15L + i), signers);
            perKind.merge(c.kind(), 1, Integer::sum);
            List<String> wrong = check(c);
            if (!wrong.isEmpty()) {
                wrong.forEach(w -> problems.merge(w, 1, Integer::sum));
                if (failed++ < MAX_REPORTED) {
                    failures.add("case " + i + " " + describe(c, wrong));
                }
                continue;
            }
            if (c.hot() != null && c.hot().comb().verifies(c.pk(), c.signature(), tagged(c.domain(), c.message()))) {
                combAccepted++;
            } else if (bouncyCastle(c)) {
                fallbackAccepted++;
            }
        }
        System.out.printf("Ed25519 comb differential: seed %d, %d cases, %d accepted by the tables alone, "
                + "%d accepted by Bouncy Castle after the tables refused, %d disagreements; per kind %s%n",
                seed, cases, combAccepted, fallbackAccepted, failed, perKind);
        if (failed > 0) {
            fail(failed + " of " + cases + " cases disagree (seed " + seed + "; replay with -Dwave.crypto.differentialSeed="
                    + seed + " -Dwave.crypto.differentialCases=" + cases + "); problems " + problems + "; the first:\n  "
                    + String.join("\n  ", failures));
        }
        if (cases >= 10 * kinds.length) {
            assertTrue(combAccepted > 0 && fallbackAccepted > 0, "both paths of VerifyingKey were taken");
        }
    }

    @Test
    void aCombThatDroppedTheKaTerm_wouldBeCaught_rEqualToSBIsRefusedForAnyMessage() {
        // [S]B - [k]A = R only if the [k]A term is there: R = [S]B, S anything, is what a comb without it
        // accepts for every message. The slow path never sees it, since the table answers alone on accept.
        Random random = new Random(DEFAULT_SEED);
        Signer signer = signers(random).get(0);
        for (int i = 0; i < 64; i++) {
            BigInteger s = new BigInteger(252, random);
            byte[] sig = signature(Ed25519Comb.multiplyBase(s), s);
            byte[] m = ("any message " + i).getBytes(StandardCharsets.UTF_8);
            assertFalse(signer.comb().verifies(signer.pk(), sig, tagged(DOMAIN, m)), "the table, message " + i);
            assertFalse(signer.key().isValid(DOMAIN, m, sig), "VerifyingKey, message " + i);
        }
    }

    @Test
    void smallOrderKeys_getNoTable_forUnderThemTheStrictEquationHasTrivialSolutions() {
        // For A of small order, [S]B - [k]A = R has solutions that need no secret (A the neutral element: R the
        // neutral element, S = 0, any message). A table's accept is final, so none may exist for such a key,
        // whoever asks: VerifyingKey refuses the key before it counts toward a table, and the tables refuse it
        // themselves.
        byte[] m = "open the valve".getBytes(StandardCharsets.UTF_8);
        List<byte[]> keys = new ArrayList<>(SMALL_ORDER);
        keys.addAll(NON_CANONICAL_SMALL_ORDER);
        for (byte[] t : keys) {
            String name = HexFormat.of().formatHex(t);
            assertNull(Ed25519Comb.of(t, Ed25519Comb.KEY_WINDOW), name);
            VerifyingKey key = VerifyingKey.of(t);
            for (int i = 0; i < 2 * HotKeys.THRESHOLD; i++) {
                assertFalse(key.isValid(DOMAIN, m, signature(SMALL_ORDER.get(0), BigInteger.ZERO)), name);
                assertFalse(key.isValid(DOMAIN, m, signature(t, BigInteger.ZERO)), name);
            }
            for (int i = 0; i <= HotKeys.THRESHOLD; i++) {
                assertNull(HotKeys.combFor(key, t), name + ", asked directly " + (i + 1) + " times");
            }
        }
        assertEquals(0, HotKeys.size(), "no small-order key has a table");
    }

    /** What went wrong with the case; empty when it agrees. */
    private static List<String> check(Case c) {
        boolean bc = bouncyCastle(c);
        VerifyingKey key = c.hot() != null ? c.hot().key() : VerifyingKey.of(c.pk());
        boolean ours;
        if (c.hot() != null) {
            ours = key.isValid(c.domain(), c.message(), c.signature());
        } else {
            // A mutated key recurs (256 bits to flip in 8 keys), and counted it would earn a table and evict
            // the hot keys' ones; its own table is checked directly below.
            HotKeys.enabled(false);
            try {
                ours = key.isValid(c.domain(), c.message(), c.signature());
            } finally {
                HotKeys.enabled(true);
            }
        }
        // A key that is not hot gets a table of its own, as HotKeys would build for it, but with a narrower
        // window: five times cheaper to build, and the same answers (Ed25519CombTest.everyWindowGivesTheSameMultiples).
        Ed25519Comb comb = c.hot() != null ? c.hot().comb()
                : Ed25519.validatePublicKeyPartial(c.pk(), 0) ? Ed25519Comb.of(c.pk(), 4) : null;
        Boolean strict = comb == null ? null : comb.verifies(c.pk(), c.signature(), tagged(c.domain(), c.message()));
        List<String> wrong = new ArrayList<>();
        if (c.hot() != null && HotKeys.combFor(key, c.pk()) == null) {
            wrong.add("the key was not hot: VerifyingKey did not consult a table");
        }
        if (ours != bc) {
            wrong.add("VerifyingKey " + ours + ", Bouncy Castle " + bc);
        }
        if (Boolean.TRUE.equals(strict) && !bc) {
            wrong.add("the table alone accepts what Bouncy Castle refuses");
        }
        if (c.strictExpected() != null && strict != null && !c.strictExpected().equals(strict)) {
            wrong.add("the table answered " + strict + " where the strict equation " + (c.strictExpected() ? "holds" : "fails"));
        }
        if (c.bouncyCastleExpected() != null && c.bouncyCastleExpected() != bc) {
            wrong.add("Bouncy Castle answered " + bc + ", expected " + c.bouncyCastleExpected());
        }
        return wrong;
    }

    private static String describe(Case c, List<String> wrong) {
        HexFormat hex = HexFormat.of();
        return c.kind() + (c.hot() != null ? " under " + c.hot().name() : "") + ": " + String.join("; ", wrong)
                + " [pk " + hex.formatHex(c.pk()) + ", domain " + c.domain() + ", message " + hex.formatHex(c.message())
                + ", signature " + hex.formatHex(c.signature()) + "]";
    }

    private static boolean bouncyCastle(Case c) {
        byte[] m = tagged(c.domain(), c.message());
        return Ed25519.verify(c.signature(), 0, c.pk(), 0, m, 0, m.length);
    }

    /** Honest keys, then mixed-order keys A + T8 and A + T4, each hot (with its table) before any case. */
    private static List<Signer> signers(Random random) {
        List<Signer> out = new ArrayList<>();
        for (int i = 0; i < HONEST_KEYS + 2; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            byte[] pk = publicKey(seed);
            int torsion = 1;
            if (i == HONEST_KEYS) {
                pk = TextbookEd25519.add(pk, TextbookEd25519.T8);
                torsion = 8;
            } else if (i == HONEST_KEYS + 1) {
                pk = TextbookEd25519.add(pk, SMALL_ORDER.get(2));
                torsion = 4;
            }
            VerifyingKey key = VerifyingKey.of(pk);
            Signer s = new Signer(torsion == 1 ? "key " + i : "key " + i + " (A + T of order " + torsion + ")",
                    seed, secretScalar(seed), pk, torsion, key, null);
            byte[] m = {(byte) i};
            byte[] sig = holderSignature(s, DOMAIN, m, random);
            for (int n = 0; n < HotKeys.THRESHOLD; n++) {
                key.isValid(DOMAIN, m, sig);
            }
            Ed25519Comb comb = HotKeys.combFor(key, pk);
            assertNotNull(comb, s.name() + " is hot after " + HotKeys.THRESHOLD + " verifications");
            out.add(new Signer(s.name(), seed, s.a(), pk, torsion, key, comb));
        }
        return out;
    }

    /**
     * What the key's holder signs: Bouncy Castle's signature for an honest key, and for a mixed-order key the
     * same equation with A + T in the hash (no library signs under such a key).
     */
    private static byte[] holderSignature(Signer s, String domain, byte[] message, Random random) {
        byte[] m = tagged(domain, message);
        if (s.torsion() == 1) {
            return TextbookEd25519.sign(s.seed(), m);
        }
        BigInteger r = new BigInteger(252, random);
        byte[] rEnc = Ed25519Comb.multiplyBase(r);
        return signature(rEnc, r, challenge(rEnc, s.pk(), m), s.a());
    }

    private static Case make(Kind kind, Random random, List<Signer> signers) {
        Signer s = signers.get(random.nextInt(signers.size()));
        byte[] message = new byte[random.nextInt(160)];
        random.nextBytes(message);
        byte[] m = tagged(DOMAIN, message);
        byte[] sig = holderSignature(s, DOMAIN, message, random);
        BigInteger k = challenge(Arrays.copyOf(sig, 32), s.pk(), m);
        // Under A + T the strict equation holds exactly when [k]T = O, i.e. when the torsion divides k.
        boolean honestStrict = k.mod(BigInteger.valueOf(s.torsion())).signum() == 0;
        switch (kind) {
            case HONEST:
                return new Case(kind, s.pk(), s, DOMAIN, message, sig, true, honestStrict);
            case SIGNATURE_BIT_FLIP: {
                int bit = random.nextInt(512);
                sig[bit / 8] ^= (byte) (1 << (bit % 8));
                return new Case(kind, s.pk(), s, DOMAIN, message, sig, false, false);
            }
            case MESSAGE_BIT_FLIP: {
                byte[] other = message.length == 0 ? new byte[] {1} : message.clone();
                if (message.length > 0) {
                    int bit = random.nextInt(8 * message.length);
                    other[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return new Case(kind, s.pk(), s, DOMAIN, other, sig, false, false);
            }
            case OTHER_DOMAIN:
                return new Case(kind, s.pk(), s, OTHER_DOMAIN, message, sig, false, false);
            case OTHER_KEYS_SIGNATURE: {
                Signer other = signers.get((signers.indexOf(s) + 1 + random.nextInt(signers.size() - 1)) % signers.size());
                return new Case(kind, s.pk(), s, DOMAIN, message, holderSignature(other, DOMAIN, message, random),
                        false, false);
            }
            case S_PLUS_MULTIPLE_OF_L: {
                // S + nL is the same scalar mod L: only the range check refuses it.
                BigInteger sc = fromLittleEndian(Arrays.copyOfRange(sig, 32, 64));
                BigInteger n = BigInteger.valueOf(1 + random.nextInt(15));
                BigInteger big = sc.add(L.multiply(n));
                if (big.bitLength() > 256) {
                    big = sc.add(L);
                }
                return new Case(kind, s.pk(), s, DOMAIN, message, signature(Arrays.copyOf(sig, 32), big), false, false);
            }
            case S_NEAR_L: {
                BigInteger delta = BigInteger.valueOf(random.nextInt(1 << 16));
                BigInteger[] near = {L.subtract(BigInteger.ONE), L, L.add(BigInteger.ONE), L.add(delta),
                    L.subtract(delta).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(252), BigInteger.ONE.shiftLeft(253)
                    .subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(255).add(delta), BigInteger.ONE.shiftLeft(256)
                    .subtract(BigInteger.ONE), BigInteger.ZERO};
                BigInteger sc = near[random.nextInt(near.length)];
                return new Case(kind, s.pk(), s, DOMAIN, message, signature(Arrays.copyOf(sig, 32), sc),
                        sc.compareTo(L) >= 0 ? Boolean.FALSE : null, null);
            }
            case NO_KA_TERM: {
                BigInteger sc = new BigInteger(253, random).mod(L);
                return new Case(kind, s.pk(), s, DOMAIN, message, signature(Ed25519Comb.multiplyBase(sc), sc),
                        false, false);
            }
            case IDENTITY_R_CRAFTED: {
                // R = O, S = k * a: [S]B - [k]A = O under an honest key, so both equations hold: the holder's
                // choice, valid in RFC 8032 and in Bouncy Castle, and the table must agree.
                byte[] id = SMALL_ORDER.get(0);
                BigInteger kk = challenge(id, s.pk(), m);
                boolean strict = kk.mod(BigInteger.valueOf(s.torsion())).signum() == 0;
                return new Case(kind, s.pk(), s, DOMAIN, message, signature(id, BigInteger.ZERO, kk, s.a()), true, strict);
            }
            case SMALL_ORDER_R: {
                byte[] t = SMALL_ORDER.get(random.nextInt(SMALL_ORDER.size()));
                BigInteger sc = random.nextBoolean() ? BigInteger.ZERO : new BigInteger(252, random);
                return new Case(kind, s.pk(), s, DOMAIN, message, signature(t, sc), null, null);
            }
            case SMALL_ORDER_R_CRAFTED: {
                // R = T of order 2, 4 or 8, S = k * a: [S]B - [k]A = O (plus the key's torsion) is not T, so the
                // strict equation fails; the cofactored one forgives T.
                byte[] t = SMALL_ORDER.get(1 + random.nextInt(SMALL_ORDER.size() - 1));
                BigInteger kk = challenge(t, s.pk(), m);
                return new Case(kind, s.pk(), s, DOMAIN, message, signature(t, BigInteger.ZERO, kk, s.a()), true,
                        s.torsion() == 1 ? Boolean.FALSE : null);
            }
            case NON_CANONICAL_R: {
                byte[] t = NON_CANONICAL_SMALL_ORDER.get(random.nextInt(NON_CANONICAL_SMALL_ORDER.size()));
                BigInteger kk = challenge(t, s.pk(), m);
                return new Case(kind, s.pk(), s, DOMAIN, message, signature(t, BigInteger.ZERO, kk, s.a()), null, false);
            }
            case MIXED_ORDER_R_CRAFTED: {
                // R = [r]B + T with T of order 8, S = r + k * a: only the cofactored equation holds (when the key
                // is honest; under a mixed-order key the torsions may cancel).
                BigInteger r = new BigInteger(252, random);
                byte[] rEnc = TextbookEd25519.add(Ed25519Comb.multiplyBase(r), TextbookEd25519.T8);
                BigInteger kk = challenge(rEnc, s.pk(), m);
                return new Case(kind, s.pk(), s, DOMAIN, message, signature(rEnc, r, kk, s.a()), true,
                        s.torsion() == 1 ? Boolean.FALSE : null);
            }
            case RANDOM_SIGNATURE: {
                byte[] g = new byte[64];
                random.nextBytes(g);
                return new Case(kind, s.pk(), s, DOMAIN, message, g, false, false);
            }
            case SMALL_ORDER_KEY: {
                List<byte[]> keys = new ArrayList<>(SMALL_ORDER);
                keys.addAll(NON_CANONICAL_SMALL_ORDER);
                byte[] pk = keys.get(random.nextInt(keys.size()));
                byte[] r = SMALL_ORDER.get(random.nextInt(SMALL_ORDER.size()));
                return new Case(kind, pk, null, DOMAIN, message, signature(r, BigInteger.ZERO), false, null);
            }
            case MUTATED_KEY: {
                byte[] pk = s.pk().clone();
                int bit = random.nextInt(256);
                pk[bit / 8] ^= (byte) (1 << (bit % 8));
                return new Case(kind, pk, null, DOMAIN, message, sig, false, false);
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /** What {@link VerifyingKey} signs over: the domain, a NUL, the message (docs/objects.md). */
    private static byte[] tagged(String domain, byte[] message) {
        byte[] d = domain.getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[d.length + 1 + message.length];
        System.arraycopy(d, 0, m, 0, d.length);
        System.arraycopy(message, 0, m, d.length + 1, message.length);
        return m;
    }

    @Test
    void textbookHelpers_smallOrderPointsHaveSmallOrder() {
        // The crafted cases are only as good as these constants.
        for (byte[] t : SMALL_ORDER) {
            BigInteger[] p = TextbookEd25519.decode(t);
            BigInteger[] acc = p;
            for (int i = 1; i < 8; i++) {
                acc = TextbookEd25519.add(acc, p);
            }
            assertEquals(BigInteger.ZERO, acc[0], HexFormat.of().formatHex(t));
            assertEquals(BigInteger.ONE, acc[1], HexFormat.of().formatHex(t));
            assertNull(Ed25519.validatePublicKeyPartialExport(t, 0), "Bouncy Castle refuses a small-order key");
        }
        assertEquals(6, NON_CANONICAL_SMALL_ORDER.size());
    }
}
