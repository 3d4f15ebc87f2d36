package io.wave.ledger.embedded;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.HotKeys;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.PermissionSetRef;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Proofs;
import io.wave.ledger.Receipt;
import io.wave.ledger.SignedTreeHead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Durable appends to the embedded ledger, for {@code wave bench ledger --json}. A benchmark, not a test:
 * it reports what this machine and disk do.
 *
 * <p>Every object is a fresh attestation, signed before the clock starts: signing is the publisher's cost,
 * not the ledger's. Publishing is timed in full, from bytes in to an acknowledged, synced write and a
 * receipt with its inclusion proof: strict decoding, the signature check the ledger does before it accepts
 * anything, the group commit and the receipt. Figures:
 * <ul>
 *   <li>{@code single}: one object per {@code publish}, from 1, 8 and 64 threads at once (group commit
 *       is what lets many publishers share one synced write);</li>
 *   <li>{@code batched}: {@code publishAll} with 100 and 1,000 objects per call from one thread, and with
 *       100 per call from 8 threads (a caller verifies its own batch, on one CPU);</li>
 *   <li>{@code inclusion_verify_us_median}: checking one receipt's inclusion proof, as a client does;</li>
 *   <li>{@code limits}: what bounds the figures on this machine, measured alone: Ed25519 verifications per
 *       second (the ledger does one per attestation), as for a key seen for the first time and through a hot
 *       key's comb table, on one thread and on every CPU at once, and one synced RocksDB write (the group
 *       commit does one per group).</li>
 * </ul>
 */
public final class LedgerBench {
    /** The target for durable appends per second, embedded. */
    public static final int TARGET_APPENDS_PER_SECOND = 20_000;
    private static final int[] THREADS = {1, 8, 64};
    /** Objects per publishAll, and publisher threads: one caller verifies its batch alone, so the last row adds callers. */
    private static final int[][] BATCHES = {{100, 1}, {1000, 1}, {100, 8}};
    private static final long RUN_TIMEOUT_SECONDS = 600;
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private LedgerBench() {}

    /**
     * Runs every measurement in fresh ledgers in a directory it creates under {@code workDir} (on the disk
     * being measured) and deletes afterwards. {@code quick} runs fewer objects, for smoke tests.
     *
     * @throws WaveException IO_ERROR when the scratch directory cannot be made or a write fails
     */
    public static Map<String, Object> run(Path workDir, boolean quick) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory(workDir, "ledger-bench-");
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot create a scratch directory in " + workDir + ": " + e.getMessage());
        }
        try {
            return measure(scratch, quick);
        } finally {
            deleteTree(scratch);
        }
    }

    private static Map<String, Object> measure(Path workDir, boolean quick) {
        int perRun = quick ? 1_000 : 20_000;
        int proofs = quick ? 201 : 2_001;
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Validity validity = Validity.startingAt(NOW.minusSeconds(3600), 86_400L * 365);
        EntitySecret ns = EntitySecret.create(random, validity);
        EntitySecret subject = EntitySecret.create(random, validity);
        List<Publication> entities = List.of(new Publication(ObjectKind.ENTITY, ns.entity().encoded()),
                new Publication(ObjectKind.ENTITY, subject.entity().encoded()));
        int runs = THREADS.length + BATCHES.length + 2; // +1: warm-up, +1: batches without hot-key tables
        Publication[] pool = attestations(ns, subject.id(), validity, random, perRun * runs);
        int next = 0;

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("objects_per_run", perRun);
        out.put("attestation_bytes", pool[0].der().length);
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("target_appends_per_second", TARGET_APPENDS_PER_SECOND);
        // Warm-up: the JIT compiles the whole path once before anything is timed.
        publish(workDir.resolve("warm-up"), clock, entities, slice(pool, next, perRun), 1, 8);
        next += perRun;

        Map<String, Object> single = new LinkedHashMap<>();
        for (int t : THREADS) {
            single.put("threads_" + t, publish(workDir.resolve("threads-" + t), clock, entities,
                    slice(pool, next, perRun), 1, t));
            next += perRun;
        }
        out.put("single", single);

        Map<String, Object> batched = new LinkedHashMap<>();
        for (int[] b : BATCHES) {
            batched.put(batchName(b), publish(workDir.resolve(batchName(b)), clock, entities,
                    slice(pool, next, perRun), b[0], b[1]));
            next += perRun;
        }
        // The same largest batch with the comb tables off: every attestation here has one attester, whose key
        // is hot after a few objects; a ledger whose attesters each publish rarely checks them as this row does.
        HotKeys.enabled(false);
        try {
            batched.put(batchName(BATCHES[1]) + "_no_hot_key_tables", publish(workDir.resolve("no-hot-keys"), clock,
                    entities, slice(pool, next, perRun), BATCHES[1][0], BATCHES[1][1]));
        } finally {
            HotKeys.enabled(true);
        }
        next += perRun;
        out.put("batched", batched);
        out.put("hot_key_tables", HotKeys.enabled());

        try (EmbeddedLedger ledger = EmbeddedLedger.open(workDir.resolve(batchName(BATCHES[0])), clock)) {
            out.put("inclusion_verify_us_median", round2(inclusionVerifyMicros(ledger, proofs)));
            out.put("inclusion_tree_size", ledger.size());
        }

        Map<String, Object> limits = new LinkedHashMap<>();
        double[] rates = ed25519VerificationRates(random, pool[0].der().length, quick ? 1_000 : 5_000);
        limits.put("ed25519_verify_us", round2(1e6 / rates[0]));
        limits.put("verifications_per_second_all_cpus", Math.round(rates[1]));
        limits.put("ed25519_hot_key_verify_us", round2(1e6 / rates[2]));
        limits.put("hot_key_verifications_per_second_all_cpus", Math.round(rates[3]));
        // What every CPU at once gives over one: 2.0 on two real cores.
        limits.put("all_cpus_over_one", round2(rates[1] / rates[0]));
        double syncUs = syncedWriteMicros(workDir.resolve("sync"), quick ? 100 : 500);
        limits.put("synced_write_us", round2(syncUs));
        limits.put("synced_writes_per_second", Math.round(1e6 / syncUs));
        out.put("limits", limits);
        return out;
    }

    private static String batchName(int[] batchAndThreads) {
        return "batch_" + batchAndThreads[0] + (batchAndThreads[1] == 1 ? "" : "_threads_" + batchAndThreads[1]);
    }

    /** {@code n} fresh attestations, signed on every CPU. */
    private static Publication[] attestations(EntitySecret ns, EntityId subject, Validity validity, SecureRandom random,
            int n) {
        byte[][] nonces = new byte[n][];
        for (int i = 0; i < n; i++) {
            nonces[i] = Attestation.newNonce(random);
        }
        return IntStream.range(0, n).parallel().mapToObj(i -> {
            AttestationBody body = new AttestationBody(ns.id(), subject, ns.id(), new PermissionSetRef.Builtin("device"),
                    List.of("actuate", "read"), "building1/floor" + (i % 50) + "/*", 0, validity, List.of(),
                    ns.attestationRevocationSecret(nonces[i]).commitment(), nonces[i], List.of());
            return new Publication(ObjectKind.ATTESTATION, Attestation.sign(body, ns).encoded());
        }).toArray(Publication[]::new);
    }

    private static Publication[] slice(Publication[] pool, int from, int n) {
        return Arrays.copyOfRange(pool, from, from + n);
    }

    /**
     * {@code threads} publishers taking the next {@code batch} objects until none is left: one {@code publish}
     * each when the batch is 1, one {@code publishAll} otherwise. Latency is per call.
     */
    private static Map<String, Object> publish(Path dir, Clock clock, List<Publication> entities, Publication[] objects,
            int batch, int threads) {
        List<Publication> all = Arrays.asList(objects);
        long[] latencies = new long[(objects.length + batch - 1) / batch];
        Set<Long> heads = ConcurrentHashMap.newKeySet();
        long nanos;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, clock)) {
            ledger.publishAll(entities);
            AtomicInteger cursor = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    for (int i; (i = cursor.getAndAdd(batch)) < objects.length; ) {
                        long t0 = System.nanoTime();
                        Receipt first = batch == 1 ? ledger.publish(objects[i].kind(), objects[i].der())
                                : ledger.publishAll(all.subList(i, Math.min(objects.length, i + batch))).get(0);
                        latencies[i / batch] = System.nanoTime() - t0;
                        heads.add(first.head().size());
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            await(fs);
            nanos = System.nanoTime() - t0;
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("appends_per_second", Math.round(objects.length / (nanos / 1e9)));
        row.put("seconds", round2(nanos / 1e9));
        // A receipt carries the head current when its publisher woke, which may be a later write's: the
        // distinct heads count the synced writes from below (exactly, with one publisher).
        row.put("synced_writes_at_least", heads.size());
        row.put("objects_per_write_at_most", round2((double) objects.length / heads.size()));
        Arrays.sort(latencies);
        row.put("call_latency_ms_median", round2(latencies[latencies.length / 2] / 1e6));
        row.put("call_latency_ms_p99", round2(latencies[(int) (latencies.length * 0.99)] / 1e6));
        return row;
    }

    /** The median time to check one inclusion proof against a signed head, as a client holding a receipt does. */
    private static double inclusionVerifyMicros(EmbeddedLedger ledger, int n) {
        SignedTreeHead head = ledger.head();
        SecureRandom pick = new SecureRandom();
        List<LedgerEntry> entries = new ArrayList<>(n);
        List<Proofs.Inclusion> proofs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long index = (long) (pick.nextDouble() * head.size());
            entries.add(ledger.entry(index).orElseThrow());
            proofs.add(ledger.inclusion(index, head.size()));
        }
        long[] t = new long[n];
        for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                boolean ok = proofs.get(i).verify(entries.get(i), head);
                t[i] = System.nanoTime() - t0;
                if (!ok) {
                    throw new IllegalStateException("inclusion proof of entry " + entries.get(i).index() + " fails");
                }
            }
        }
        Arrays.sort(t);
        return t[n / 2] / 1e3;
    }

    /**
     * Ed25519 verifications per second: Bouncy Castle's, as for a key seen for the first time (the tables
     * off), and through a hot key's comb table; each on one thread and on every CPU at once (measured, not
     * multiplied: on a virtual machine the second CPU may add far less than a core). Rounds interleave the
     * four cases. Returns {@code [first 1 thread, first all, hot 1 thread, hot all]}.
     */
    private static double[] ed25519VerificationRates(SecureRandom random, int messageBytes, int n) {
        io.wave.crypto.SigningKey key = io.wave.crypto.SigningKey.generate(random);
        byte[] msg = new byte[messageBytes];
        random.nextBytes(msg);
        byte[] sig = key.sign("wave.bench", msg);
        int cpus = Runtime.getRuntime().availableProcessors();
        double[] best = new double[4];
        try {
            for (int round = 0; round < 12; round++) {
                int c = round % 4;
                HotKeys.enabled(c >= 2);
                int threads = (c & 1) == 0 ? 1 : cpus;
                Thread[] ts = new Thread[threads];
                RuntimeException[] failed = new RuntimeException[1];
                long t0 = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    io.wave.crypto.VerifyingKey vk = io.wave.crypto.VerifyingKey.of(key.verifyingKey().encoded());
                    ts[t] = new Thread(() -> {
                        for (int i = 0; i < n; i++) {
                            if (!vk.isValid("wave.bench", msg, sig)) {
                                failed[0] = new IllegalStateException("Ed25519 self-check failed");
                                return;
                            }
                        }
                    });
                    ts[t].start();
                }
                for (Thread t : ts) {
                    t.join();
                }
                if (failed[0] != null) {
                    throw failed[0];
                }
                best[c] = Math.max(best[c], (double) threads * n / ((System.nanoTime() - t0) / 1e9));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } finally {
            HotKeys.enabled(true);
        }
        return best;
    }

    /** One synced RocksDB write of a small batch, with the options the ledger uses: the floor of a group commit. */
    private static double syncedWriteMicros(Path dir, int n) {
        try (Options o = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(o, dir.toString());
                WriteOptions sync = new WriteOptions().setSync(true)) {
            byte[] value = new byte[300];
            long t0 = 0;
            for (int i = -n / 10; i < n; i++) { // the first tenth is warm-up
                if (i == 0) {
                    t0 = System.nanoTime();
                }
                try (WriteBatch b = new WriteBatch()) {
                    b.put(Long.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII), value);
                    db.write(sync, b);
                }
            }
            return (System.nanoTime() - t0) / 1e3 / n;
        } catch (RocksDBException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "benchmark write failed: " + e.getMessage(), e);
        }
    }

    private static void await(List<Future<?>> fs) {
        try {
            for (Future<?> f : fs) {
                f.get(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("a benchmark run took over " + RUN_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
