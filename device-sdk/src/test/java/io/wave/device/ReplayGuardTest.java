package io.wave.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
    private static final EntityId ALICE = new EntityId(Hash.sha3("test", new byte[] {1}));
    private static final EntityId BOB = new EntityId(Hash.sha3("test", new byte[] {2}));
    private static final Instant T0 = Instant.ofEpochMilli(1_000_000);

    private static byte[] nonce(int i) {
        byte[] n = new byte[16];
        n[0] = (byte) i;
        n[15] = (byte) (i >> 8);
        return n;
    }

    @Test
    void aNonceIsAcceptedOnce_perSender() {
        ReplayGuard g = new ReplayGuard(30_000, 100);
        assertTrue(g.firstSight(ALICE, nonce(1), T0.toEpochMilli(), T0));
        assertFalse(g.firstSight(ALICE, nonce(1), T0.toEpochMilli(), T0), "a replay");
        assertTrue(g.firstSight(BOB, nonce(1), T0.toEpochMilli(), T0), "another sender's nonce is its own");
        byte[] mutable = nonce(2);
        assertTrue(g.firstSight(ALICE, mutable, T0.toEpochMilli(), T0));
        mutable[3] = 9;
        assertFalse(g.firstSight(ALICE, nonce(2), T0.toEpochMilli(), T0), "the guard kept its own copy");
    }

    @Test
    void noncesAreForgottenOnceTheirCommandCouldNoLongerBeFresh() {
        ReplayGuard g = new ReplayGuard(30_000, 100);
        assertTrue(g.firstSight(ALICE, nonce(1), T0.toEpochMilli(), T0));
        assertFalse(g.firstSight(ALICE, nonce(1), T0.toEpochMilli(), T0.plusMillis(30_000)), "still within the window");
        assertTrue(g.firstSight(ALICE, nonce(3), T0.toEpochMilli() + 30_001, T0.plusMillis(30_001)));
        assertEquals(1, g.size(), "the first nonce expired");
    }

    @Test
    void whenFull_theOldestIsDropped_andCommandsNoNewerThanItAreRefused() {
        ReplayGuard g = new ReplayGuard(30_000, 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(g.firstSight(ALICE, nonce(i), T0.toEpochMilli() + i, T0));
        }
        assertTrue(g.firstSight(ALICE, nonce(10), T0.toEpochMilli() + 10, T0));
        assertEquals(3, g.size());
        assertFalse(g.firstSight(ALICE, nonce(0), T0.toEpochMilli(), T0), "the dropped nonce's replay is still refused");
        assertTrue(g.firstSight(ALICE, nonce(11), T0.toEpochMilli() + 11, T0));
    }
}
