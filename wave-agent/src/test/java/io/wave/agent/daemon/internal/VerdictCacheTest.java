package io.wave.agent.daemon.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wave.crypto.RevocationCommitment;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerdictCacheTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private static RevocationCommitment commitment(int b) {
        byte[] v = new byte[RevocationCommitment.LENGTH];
        Arrays.fill(v, (byte) b);
        return RevocationCommitment.of(v);
    }

    private static VerdictCache.Entry entry(Instant expires, RevocationCommitment... deps) {
        return new VerdictCache.Entry(new byte[] {'{', '}'}, expires, List.of(deps));
    }

    @Test
    void get_servesAnAnswerUntilItsExpiry_andNotAtIt() {
        VerdictCache cache = new VerdictCache();
        cache.put("k", entry(NOW.plusSeconds(10), commitment(1)));
        assertNotNull(cache.get("k", NOW.plusSeconds(9), NOW, c -> false));
        assertNull(cache.get("k", NOW.plusSeconds(10), NOW, c -> false));
        assertNull(cache.get("k", NOW, NOW, c -> false), "an expired answer is dropped, not kept for later");
        assertEquals(1, cache.hits());
        assertEquals(2, cache.misses());
    }

    @Test
    void revoke_dropsEveryAnswerThatConsultedTheCommitment_andOnlyThose() {
        VerdictCache cache = new VerdictCache();
        cache.put("a", entry(NOW.plusSeconds(60), commitment(1), commitment(2)));
        cache.put("b", entry(NOW.plusSeconds(60), commitment(2)));
        cache.put("c", entry(NOW.plusSeconds(60), commitment(3)));
        cache.revoke(commitment(2));
        assertNull(cache.get("a", NOW, NOW, c -> false));
        assertNull(cache.get("b", NOW, NOW, c -> false));
        assertNotNull(cache.get("c", NOW, NOW, c -> false));
    }

    @Test
    void get_refusesAnAnswerWhoseCommitmentIsRevoked_evenBeforeRevokeIsCalled() {
        VerdictCache cache = new VerdictCache();
        cache.put("a", entry(NOW.plusSeconds(60), commitment(1)));
        assertNull(cache.get("a", NOW, NOW, Set.of(commitment(1))::contains));
    }

    @Test
    void get_servesOnlyWhileTheLedgerWasReadWithinTheDevicesStalenessBound() {
        VerdictCache cache = new VerdictCache();
        cache.put("a", entry(NOW.plusSeconds(3600), commitment(1)));
        Instant read = NOW.minus(VerdictCache.LEDGER_STALENESS);
        assertNotNull(cache.get("a", NOW, read, c -> false), "exactly at the bound, as a device's follower");
        assertNull(cache.get("a", NOW, read.minusMillis(1), c -> false), "past it, as uncached");
        assertNull(cache.get("a", NOW, null, c -> false), "before the ledger was ever read");
        assertNotNull(cache.get("a", NOW, NOW, c -> false), "kept: a new read of the ledger would have dropped it if revoked");
        assertEquals(java.time.Duration.ofSeconds(10), VerdictCache.LEDGER_STALENESS);
    }

    @Test
    void put_keepsAtMostMaxEntries_droppingTheLeastRecentlyUsed() {
        VerdictCache cache = new VerdictCache();
        cache.put("first", entry(NOW.plusSeconds(60)));
        for (int i = 0; i < VerdictCache.MAX_ENTRIES; i++) {
            cache.put("k" + i, entry(NOW.plusSeconds(60)));
        }
        assertEquals(VerdictCache.MAX_ENTRIES, cache.size());
        assertNull(cache.get("first", NOW, NOW, c -> false));
        assertNotNull(cache.get("k" + (VerdictCache.MAX_ENTRIES - 1), NOW, NOW, c -> false));
    }
}
