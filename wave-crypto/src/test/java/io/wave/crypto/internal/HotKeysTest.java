package io.wave.crypto.internal;

import io.wave.crypto.SigningKey;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.WaveException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A key that verifies often gets a comb table; with or without it, verify answers the same. */
class HotKeysTest {
    private final SecureRandom random = new SecureRandom();

    @BeforeEach
    @AfterEach
    void forget() {
        HotKeys.clear();
    }

    @Test
    void aKeyGetsATable_afterThresholdVerifications_andStillRefusesForgeries() {
        SigningKey key = SigningKey.generate(random);
        byte[] m = "set 21".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] sig = key.sign("wave.test", m);
        for (int i = 0; i < HotKeys.THRESHOLD - 1; i++) {
            // A fresh instance each time, as a decoded entity would give: the count is by key, not object.
            assertTrue(VerifyingKey.of(key.verifyingKey().encoded()).isValid("wave.test", m, sig));
        }
        assertEquals(0, HotKeys.size());
        assertTrue(key.verifyingKey().isValid("wave.test", m, sig));
        assertEquals(1, HotKeys.size(), "hot after " + HotKeys.THRESHOLD + " verifications");
        VerifyingKey hot = key.verifyingKey();
        for (int i = 0; i < 20; i++) {
            byte[] mi = ("set " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] si = key.sign("wave.test", mi);
            assertTrue(hot.isValid("wave.test", mi, si));
            assertFalse(hot.isValid("wave.other", mi, si), "the domain is signed");
            byte[] forged = si.clone();
            forged[i] ^= 4;
            assertFalse(hot.isValid("wave.test", mi, forged));
            assertThrows(WaveException.class, () -> hot.verify("wave.test", mi, forged));
        }
        // Another key's signature is still refused under the hot key.
        SigningKey other = SigningKey.generate(random);
        assertFalse(hot.isValid("wave.test", m, other.sign("wave.test", m)));
    }

    @Test
    void switchedOff_noTableIsBuilt_andVerifyStillAnswers() {
        HotKeys.enabled(false);
        try {
            SigningKey key = SigningKey.generate(random);
            byte[] sig = key.sign("wave.test", new byte[] {7});
            for (int i = 0; i < 2 * HotKeys.THRESHOLD; i++) {
                assertTrue(key.verifyingKey().isValid("wave.test", new byte[] {7}, sig));
            }
            assertEquals(0, HotKeys.size());
            assertFalse(HotKeys.enabled());
        } finally {
            HotKeys.enabled(true);
        }
    }

    @Test
    void manyThreads_moreKeysThanTables_everyAnswerStaysRight() throws Exception {
        // Tables are built, used and evicted while four threads verify: answers must never change.
        int keys = HotKeys.CAPACITY + 4;
        SigningKey[] signers = new SigningKey[keys];
        byte[][] good = new byte[keys][];
        byte[][] bad = new byte[keys][];
        byte[] m = "open the valve".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int k = 0; k < keys; k++) {
            signers[k] = SigningKey.generate(random);
            good[k] = signers[k].sign("wave.test", m);
            bad[k] = good[k].clone();
            bad[k][40] ^= 1;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> wrong = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                wrong.add(pool.submit(() -> {
                    java.util.Random r = new java.util.Random(seed);
                    int errors = 0;
                    for (int i = 0; i < 600; i++) {
                        int k = r.nextInt(keys);
                        VerifyingKey vk = VerifyingKey.of(signers[k].verifyingKey().encoded());
                        errors += vk.isValid("wave.test", m, good[k]) ? 0 : 1;
                        errors += vk.isValid("wave.test", m, bad[k]) ? 1 : 0;
                        errors += vk.isValid("wave.test", m, good[(k + 1) % keys]) ? 1 : 0;
                    }
                    return errors;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : wrong) {
                assertEquals(0, f.get(120, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(HotKeys.size() > 0 && HotKeys.size() <= HotKeys.CAPACITY + 4,
                "tables were built and stayed near the bound: " + HotKeys.size());
    }

    @Test
    void tablesAreBounded_theLeastRecentlyUsedGoesFirst() {
        byte[] m = {42};
        for (int k = 0; k < HotKeys.CAPACITY + 3; k++) {
            SigningKey key = SigningKey.generate(random);
            byte[] sig = key.sign("wave.test", m);
            for (int i = 0; i < HotKeys.THRESHOLD; i++) {
                assertTrue(key.verifyingKey().isValid("wave.test", m, sig));
            }
        }
        assertEquals(HotKeys.CAPACITY, HotKeys.size());
    }
}
