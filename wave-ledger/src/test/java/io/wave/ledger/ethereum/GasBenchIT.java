package io.wave.ledger.ethereum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gas figures {@code wave bench ledger --json} reports come from real receipts, in the shape it prints,
 * and anchored mode meets the target of at most 1,000 gas per attestation at a batch of 1,000.
 */
@ExtendWith(Ganache.Shared.class)
class GasBenchIT {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void run_measuresEveryModeFromReceipts_andAnchoredModeMeetsTheTarget(Ganache node) {
        Map<String, Object> out = GasBench.run(node.url(), Ganache.account(2), dir);
        System.out.println("gas bench on ganache: " + out);

        Map<String, Object> direct = (Map<String, Object>) out.get("direct");
        Map<String, Object> anchored = (Map<String, Object>) out.get("anchored");
        long single = perAttestation(direct.get("single"));
        long batched = perAttestation(direct.get("batched"));
        long anchored100 = perAttestation(anchored.get("batch_100"));
        long anchored1000 = perAttestation(anchored.get("batch_1000"));

        assertEquals(10, ((Map<String, Object>) direct.get("single")).get("transactions"));
        assertEquals(1, ((Map<String, Object>) direct.get("batched")).get("transactions"));
        assertTrue(batched < single, "batching shares the transaction's 21,000: " + batched + " < " + single);
        assertTrue(anchored100 < batched, "a head costs less than the objects themselves");
        assertTrue(anchored1000 <= GasBench.TARGET_ANCHORED_GAS_PER_ATTESTATION, anchored1000 + " gas per attestation");
        assertTrue(anchored1000 * 5 < anchored100, "a head costs the same whatever the batch");
    }

    private static long perAttestation(Object figures) {
        return ((Number) ((Map<?, ?>) figures).get("gas_per_attestation")).longValue();
    }
}
