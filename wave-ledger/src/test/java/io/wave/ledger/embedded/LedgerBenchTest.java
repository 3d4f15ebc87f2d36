package io.wave.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape of what {@code wave bench ledger --json} prints, from a quick run. The figures themselves are
 * not checked: they describe the machine, and a benchmark is not a timed test.
 */
class LedgerBenchTest {
    @TempDir
    Path dir;

    @Test
    void quickRun_reportsEveryFigure_andLeavesNothingBehind() throws Exception {
        Map<String, Object> out = LedgerBench.run(dir, true);

        assertEquals(List.of("objects_per_run", "attestation_bytes", "cpus", "target_appends_per_second", "single",
                "batched", "hot_key_tables", "inclusion_verify_us_median", "inclusion_tree_size", "limits"), List.copyOf(out.keySet()));
        assertEquals(LedgerBench.TARGET_APPENDS_PER_SECOND, out.get("target_appends_per_second"));
        Map<?, ?> single = assertInstanceOf(Map.class, out.get("single"));
        assertEquals(List.of("threads_1", "threads_8", "threads_64"), List.copyOf(single.keySet()));
        Map<?, ?> batched = assertInstanceOf(Map.class, out.get("batched"));
        assertEquals(List.of("batch_100", "batch_1000", "batch_100_threads_8", "batch_1000_no_hot_key_tables"), List.copyOf(batched.keySet()));
        for (Object row : Stream.concat(single.values().stream(), batched.values().stream()).toList()) {
            Map<?, ?> r = assertInstanceOf(Map.class, row);
            assertTrue(((Number) r.get("appends_per_second")).longValue() > 0, r.toString());
            assertTrue(((Number) r.get("synced_writes_at_least")).longValue() > 0, r.toString());
        }
        Map<?, ?> oneThread = (Map<?, ?>) single.get("threads_1");
        assertEquals(out.get("objects_per_run"), oneThread.get("synced_writes_at_least"),
                "one publisher alone gets one synced write per object");
        assertEquals((Integer) out.get("objects_per_run") + 2L, out.get("inclusion_tree_size"));
        assertTrue(((Number) out.get("inclusion_verify_us_median")).doubleValue() > 0);
        Map<?, ?> limits = assertInstanceOf(Map.class, out.get("limits"));
        assertEquals(List.of("ed25519_verify_us", "verifications_per_second_all_cpus", "ed25519_hot_key_verify_us",
                "hot_key_verifications_per_second_all_cpus", "all_cpus_over_one", "synced_write_us",
                "synced_writes_per_second"),
                List.copyOf(limits.keySet()));
        assertEquals(true, out.get("hot_key_tables"), "the bench leaves the tables as it found them");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "the scratch ledgers are deleted");
        }
    }
}
