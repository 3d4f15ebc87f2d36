package io.wave.crypto.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.wave.crypto.Validity;
import io.wave.crypto.objects.EntitySecret;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DeterministicRandomTest {

    private static byte[] bytes(DeterministicRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void sameLabel_givesSameStream() {
        assertArrayEquals(bytes(new DeterministicRandom("x"), 100), bytes(new DeterministicRandom("x"), 100));
    }

    @Test
    void differentLabels_giveUnrelatedStreams() {
        assertFalse(Arrays.equals(bytes(new DeterministicRandom("x"), 32), bytes(new DeterministicRandom("y"), 32)));
    }

    @Test
    void stream_doesNotDependOnHowItIsRead() {
        DeterministicRandom chunked = new DeterministicRandom("chunks");
        byte[] a = bytes(chunked, 7);
        byte[] b = bytes(chunked, 0);
        byte[] c = bytes(chunked, 200);
        byte[] joined = new byte[207];
        System.arraycopy(a, 0, joined, 0, 7);
        System.arraycopy(c, 0, joined, 7, 200);
        assertEquals(0, b.length);
        assertArrayEquals(bytes(new DeterministicRandom("chunks"), 207), joined);
    }

    @Test
    void stream_isPinned_becauseOtherModulesGoldenDataDependOnIt() {
        // SHAKE256("wave.test.random.v1" || 0x00 || "pinned"), first 16 bytes, as Python's hashlib
        // computes it. If this changes, every golden id in every module's tests changes with it.
        assertEquals("dc3627e81bb86c553968548a39d8e6de",
                HexFormat.of().formatHex(bytes(new DeterministicRandom("pinned"), 16)));
    }

    @Test
    void everySecureRandomMethod_drawsFromTheStream() {
        DeterministicRandom a = new DeterministicRandom("methods");
        DeterministicRandom b = new DeterministicRandom("methods");
        assertEquals(a.nextInt(1000), b.nextInt(1000));
        assertEquals(a.nextLong(), b.nextLong());
        assertArrayEquals(a.generateSeed(20), b.generateSeed(20));
        assertArrayEquals(a.ints(10).toArray(), b.ints(10).toArray());
    }

    @Test
    void setSeed_mixesInDeterministically() {
        DeterministicRandom a = new DeterministicRandom("seeded");
        DeterministicRandom b = new DeterministicRandom("seeded");
        DeterministicRandom unseeded = new DeterministicRandom("seeded");
        a.setSeed(new byte[] {1, 2, 3});
        b.setSeed(new byte[] {1, 2, 3});
        byte[] fromA = bytes(a, 32);
        assertArrayEquals(fromA, bytes(b, 32));
        assertFalse(Arrays.equals(fromA, bytes(unseeded, 32)));

        DeterministicRandom c = new DeterministicRandom("seeded");
        c.setSeed(42L);
        assertFalse(Arrays.equals(fromA, bytes(c, 32)));
    }

    @Test
    void toString_namesTheLabel() {
        assertEquals("DeterministicRandom[label-x]", new DeterministicRandom("label-x").toString());
    }

    @Test
    void testEntities_sameLabelGivesSameEntity_andDifferentLabelsDiffer() {
        EntitySecret a1 = TestEntities.create("alice");
        EntitySecret a2 = TestEntities.create("alice");
        EntitySecret b = TestEntities.create("bob");
        assertEquals(a1.id(), a2.id());
        assertEquals(a1.signingKey(), a2.signingKey());
        assertNotEquals(a1.id(), b.id());
        assertNotEquals(a1.signingKey().verifyingKey(), b.signingKey().verifyingKey());
    }

    @Test
    void testEntities_useTheValidityTheyAreGiven() {
        Validity v = Validity.ofSeconds(1_700_000_000L, 1_700_086_400L);
        EntitySecret s = TestEntities.create("short-lived", v);
        assertEquals(v, s.entity().validity());
        assertEquals(TestEntities.LONG_VALIDITY, TestEntities.create("short-lived").entity().validity());
        // Same keys, different validity: a different entity.
        assertNotEquals(s.id(), TestEntities.create("short-lived").id());
    }
}
