package io.wave.ledger.ethereum;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.PermissionSetRef;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Receipt;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.ethereum.internal.Chain;
import io.wave.ledger.ethereum.internal.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.web3j.crypto.Credentials;

/**
 * Gas per attestation on a real chain, for {@code wave bench ledger --json}. A benchmark, not a test: every
 * figure is summed from the receipts of the transactions it sends, to a registry it deploys for the run.
 * <ul>
 *   <li>{@code direct.single}: one attestation per transaction ({@code publish});</li>
 *   <li>{@code direct.batched}: {@value #DIRECT_BATCH} attestations per {@code publishAll}, as many per
 *       transaction as fit;</li>
 *   <li>{@code anchored.batch_100}, {@code anchored.batch_1000}: that many attestations appended to an
 *       embedded log, then its one tree head anchored; the head's gas is the batch's.</li>
 * </ul>
 */
public final class GasBench {
    /** The target for anchored mode at a batch of 1,000. */
    public static final int TARGET_ANCHORED_GAS_PER_ATTESTATION = 1_000;
    /** What one storage slot per grant would cost, for comparison (the figure): a transaction's
     * 21,000 plus 22,100 for writing a fresh slot. */
    public static final int ONE_SLOT_PER_GRANT_GAS = 43_000;
    private static final int SINGLES = 10;
    private static final int DIRECT_BATCH = 100;
    private static final int[] ANCHOR_BATCHES = {100, 1_000};

    private GasBench() {}

    /**
     * Deploys a registry on the node at {@code rpcUrl}, paid by {@code credentials}, and measures. Anchored
     * mode keeps its embedded log under {@code workDir}, deleted afterwards.
     *
     * @throws WaveException UNAVAILABLE when the node does not answer
     */
    public static Map<String, Object> run(String rpcUrl, Credentials credentials, Path workDir) {
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        Validity validity = Validity.startingAt(clock.instant().minusSeconds(3600), 86_400L * 365);
        EntitySecret ns = EntitySecret.create(random, validity);
        EntitySecret subject = EntitySecret.create(random, validity);
        Publication nsEntity = new Publication(ObjectKind.ENTITY, ns.entity().encoded());
        int total = SINGLES + DIRECT_BATCH + ANCHOR_BATCHES[0] + ANCHOR_BATCHES[1];
        List<Publication> pool = attestations(ns, subject, validity, random, total);

        String contract = EthereumRegistry.deploy(rpcUrl, credentials);
        EthereumConfig config = EthereumConfig.of(rpcUrl).withContract(contract).withKey(KeySource.of(credentials))
                .withBatchSize(EthereumConfig.MAX_BATCH_SIZE);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("contract", contract);
        out.put("attestation_bytes", pool.get(0).der().length);
        out.put("target_anchored_gas_per_attestation", TARGET_ANCHORED_GAS_PER_ATTESTATION);
        out.put("one_storage_slot_per_grant_gas", ONE_SLOT_PER_GRANT_GAS);
        int next = 0;
        try (EthereumLedger ledger = EthereumLedger.open(config); Chain chain = Chain.connect(config.rpc(),
                config.timeout(), config.pollInterval())) {
            ledger.publish(nsEntity.kind(), nsEntity.der());
            List<Receipt> singles = new ArrayList<>();
            for (int i = 0; i < SINGLES; i++) {
                Publication p = pool.get(next++);
                singles.add(ledger.publish(p.kind(), p.der()));
            }
            Map<String, Object> direct = new LinkedHashMap<>();
            direct.put("single", figures(chain, singles.size(), transactions(singles)));
            List<Receipt> batch = ledger.publishAll(pool.subList(next, next + DIRECT_BATCH));
            next += DIRECT_BATCH;
            direct.put("batched", figures(chain, batch.size(), transactions(batch)));
            out.put("direct", direct);

            Map<String, Object> anchored = new LinkedHashMap<>();
            Path dir = workDir.resolve("gas-bench-log");
            try (EmbeddedLedger log = EmbeddedLedger.open(dir, clock);
                    TreeHeadAnchor anchor = TreeHeadAnchor.open(config)) {
                log.publish(nsEntity.kind(), nsEntity.der());
                for (int b : ANCHOR_BATCHES) {
                    log.publishAll(pool.subList(next, next + b));
                    next += b;
                    AnchoredHead head = anchor.anchor(log);
                    Map<String, Object> f = figures(chain, b, Set.of(head.transaction()));
                    f.put("tree_size", head.head().size());
                    anchored.put("batch_" + b, f);
                }
                anchor.audit(log);
            } finally {
                delete(dir);
            }
            out.put("anchored", anchored);
        }
        return out;
    }

    private static Map<String, Object> figures(Chain chain, int attestations, Set<String> transactions) {
        long gas = 0;
        for (String tx : transactions) {
            gas += chain.receipt(tx).getGasUsed().longValueExact();
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("attestations", attestations);
        f.put("transactions", transactions.size());
        f.put("gas_used", gas);
        f.put("gas_per_attestation", Math.round((double) gas / attestations));
        return f;
    }

    private static Set<String> transactions(List<Receipt> receipts) {
        Set<String> txs = new LinkedHashSet<>();
        for (Receipt r : receipts) {
            txs.add(Registry.transactionOf(r.anchor()));
        }
        return txs;
    }

    private static List<Publication> attestations(EntitySecret ns, EntitySecret subject, Validity validity,
            SecureRandom random, int n) {
        List<Publication> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] nonce = Attestation.newNonce(random);
            AttestationBody body = new AttestationBody(ns.id(), subject.id(), ns.id(), new PermissionSetRef.Builtin("device"),
                    List.of("actuate", "read"), "building1/floor" + (i % 50) + "/*", 0, validity, List.of(),
                    ns.attestationRevocationSecret(nonce).commitment(), nonce, List.of());
            out.add(new Publication(ObjectKind.ATTESTATION, Attestation.sign(body, ns).encoded()));
        }
        return out;
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
