package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static io.wave.crypto.objects.Fixtures.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.testing.DeterministicRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Mutated encodings, in deterministic bulk: a decoder either refuses with a {@link WaveException} or
 * accepts a different object (a different id), and nothing accepted that way ever verifies.
 */
class DecodeFuzzTest {
    private static final Attestation GRANT = grant().sign();
    private static final int RANDOM_MUTATIONS = 3000;

    @Test
    void attestation_survivesEveryByteFlip() {
        byte[] valid = GRANT.encoded();
        Outcomes o = new Outcomes();
        for (int i = 0; i < valid.length; i++) {
            byte[] m = valid.clone();
            m[i] ^= (byte) 0xff;
            checkAttestation(m, "byte " + i + " inverted", o);
        }
        assertTrue(o.refused > 0 && o.acceptedAndRejectedOnVerify > 0, o.toString());
    }

    @Test
    void attestation_survivesEverySingleBitFlip() {
        byte[] valid = GRANT.encoded();
        Outcomes o = new Outcomes();
        for (int bit = 0; bit < valid.length * 8; bit++) {
            byte[] m = valid.clone();
            m[bit / 8] ^= (byte) (1 << (bit % 8));
            checkAttestation(m, "bit " + bit + " flipped", o);
        }
        // Flips inside the signature, nonce and ids still decode; each must then fail verification.
        assertTrue(o.acceptedAndRejectedOnVerify >= 64 * 8, o.toString());
    }

    @Test
    void attestation_survivesRandomMutations() {
        byte[] valid = GRANT.encoded();
        DeterministicRandom random = new DeterministicRandom("fuzz/attestation");
        Outcomes o = new Outcomes();
        for (int i = 0; i < RANDOM_MUTATIONS; i++) {
            Mutation m = Mutation.random(valid, random);
            checkAttestation(m.bytes, "mutation " + i + " (" + m.description + ")", o);
        }
        assertEquals(RANDOM_MUTATIONS, o.refused + o.acceptedAndRejectedOnVerify);
    }

    @Test
    void entity_survivesEverySingleBitFlip() {
        Entity alice = ALICE.entity();
        byte[] valid = alice.encoded();
        for (int bit = 0; bit < valid.length * 8; bit++) {
            byte[] m = valid.clone();
            m[bit / 8] ^= (byte) (1 << (bit % 8));
            UnverifiedEntity u = decodeOrNull(UnverifiedEntity::decode, m, "entity bit " + bit);
            if (u != null) {
                assertNotEquals(alice.id(), u.id());
                expectRefusal(u::verify, "entity bit " + bit, ErrorCode.BAD_SIGNATURE);
                expectRefusal(() -> u.bindTo(alice.id()), "entity bit " + bit, ErrorCode.MALFORMED);
            }
        }
    }

    @Test
    void proof_survivesRandomMutations() {
        UnverifiedProof proof = UnverifiedProof.assemble(List.of(ALICE.entity(), Fixtures.BOB.entity()),
                List.of(GRANT), List.of(List.of(0)));
        byte[] valid = proof.encoded();
        DeterministicRandom random = new DeterministicRandom("fuzz/proof");
        for (int i = 0; i < 1000; i++) {
            Mutation m = Mutation.random(valid, random);
            UnverifiedProof p = decodeOrNull(UnverifiedProof::decode, m.bytes, "proof mutation " + m.description);
            if (p != null) {
                assertNotEquals(proof.id(), p.id());
            }
        }
    }

    @Test
    void sealedSecretAndPlainSecret_surviveRandomMutations() {
        byte[] plain = ALICE.encodePlain();
        DeterministicRandom random = new DeterministicRandom("fuzz/secret");
        for (int i = 0; i < 1000; i++) {
            Mutation m = Mutation.random(plain, random);
            decodeOrNull(EntitySecret::decodePlain, m.bytes, "secret mutation " + m.description);
        }
    }

    // ---- machinery ----

    private static final class Outcomes {
        int refused;
        int acceptedAndRejectedOnVerify;

        @Override
        public String toString() {
            return refused + " refused at decode, " + acceptedAndRejectedOnVerify + " decoded but refused at verify";
        }
    }

    private static void checkAttestation(byte[] mutated, String what, Outcomes outcomes) {
        UnverifiedAttestation u = decodeOrNull(UnverifiedAttestation::decode, mutated, what);
        if (u == null) {
            outcomes.refused++;
            return;
        }
        assertNotEquals(GRANT.id(), u.id(), what);
        expectRefusal(() -> u.verify(ALICE.entity()), what, ErrorCode.BAD_SIGNATURE, ErrorCode.MALFORMED);
        outcomes.acceptedAndRejectedOnVerify++;
    }

    /** The decoded object, or null when decoding refused with a WaveException; anything else fails. */
    private static <T> T decodeOrNull(Function<byte[], T> decoder, byte[] input, String what) {
        try {
            return decoder.apply(input);
        } catch (WaveException e) {
            return null;
        } catch (Throwable t) {
            fail(what + ": decoding threw " + t + " instead of WaveException; input "
                    + HexFormat.of().formatHex(input), t);
            return null;
        }
    }

    private static void expectRefusal(Runnable call, String what, ErrorCode... allowed) {
        try {
            call.run();
        } catch (WaveException e) {
            assertTrue(Arrays.asList(allowed).contains(e.code()), what + ": refused with " + e.code());
            return;
        } catch (Throwable t) {
            fail(what + ": threw " + t + " instead of WaveException", t);
        }
        fail(what + ": a mutated object verified");
    }

    /** One to four random edits: change a byte, insert, delete, duplicate a run, or truncate. */
    private record Mutation(byte[] bytes, String description) {
        /** A random mutation that really changes the input (edits that cancel out are drawn again). */
        static Mutation random(byte[] valid, DeterministicRandom random) {
            Mutation m;
            do {
                m = draw(valid, random);
            } while (Arrays.equals(m.bytes, valid));
            return m;
        }

        private static Mutation draw(byte[] valid, DeterministicRandom random) {
            byte[] b = valid.clone();
            StringBuilder d = new StringBuilder();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && b.length > 0; e++) {
                int at = random.nextInt(b.length);
                switch (random.nextInt(5)) {
                    case 0 -> {
                        b[at] ^= (byte) (1 + random.nextInt(255));
                        d.append("set@").append(at).append(' ');
                    }
                    case 1 -> {
                        byte[] n = new byte[b.length + 1];
                        System.arraycopy(b, 0, n, 0, at);
                        n[at] = (byte) random.nextInt(256);
                        System.arraycopy(b, at, n, at + 1, b.length - at);
                        b = n;
                        d.append("insert@").append(at).append(' ');
                    }
                    case 2 -> {
                        byte[] n = new byte[b.length - 1];
                        System.arraycopy(b, 0, n, 0, at);
                        System.arraycopy(b, at + 1, n, at, b.length - at - 1);
                        b = n;
                        d.append("delete@").append(at).append(' ');
                    }
                    case 3 -> {
                        int len = Math.min(1 + random.nextInt(16), b.length - at);
                        byte[] n = new byte[b.length + len];
                        System.arraycopy(b, 0, n, 0, at + len);
                        System.arraycopy(b, at, n, at + len, b.length - at);
                        b = n;
                        d.append("dup@").append(at).append('+').append(len).append(' ');
                    }
                    default -> {
                        b = Arrays.copyOf(b, at);
                        d.append("truncate@").append(at).append(' ');
                    }
                }
            }
            return new Mutation(b, d.toString().strip());
        }
    }
}
