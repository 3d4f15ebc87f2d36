package io.wave.ledger.embedded;

import static io.wave.ledger.testing.LedgerFixtures.CLOCK;
import static io.wave.ledger.testing.LedgerFixtures.assertReceiptHolds;
import static io.wave.ledger.testing.LedgerFixtures.attestation;
import static io.wave.ledger.testing.LedgerFixtures.entity;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.Hash;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Receipt;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.testing.LedgerFixtures;
import io.wave.policy.testing.GrantBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many publishers at once, committed by one writer in groups: every acknowledged object gets a position of
 * its own and a receipt that proves it, readers meanwhile only ever see a log that grows consistently, and
 * all of it is there after reopening.
 */
class EmbeddedLedgerConcurrencyTest {
    private static final EntitySecret NS = TestEntities.create("concurrency/namespace");
    private static final EntitySecret ALICE = TestEntities.create("concurrency/alice");
    private static final int THREADS = 8;
    private static final int PER_THREAD = 250;
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS), "threads stopped");
    }

    @Test
    void publish_fromEightThreads_givesEveryObjectItsOwnProvablePosition() throws Exception {
        List<List<Publication>> work = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            work.add(IntStream.range(0, PER_THREAD).mapToObj(i -> attestation(
                    GrantBuilder.grant("concurrency/" + thread + "/" + i, NS, ALICE.id()).sign())).toList());
        }
        List<Receipt> receipts = Collections.synchronizedList(new ArrayList<>());
        SignedTreeHead finalHead;
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, CLOCK)) {
            ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity())));
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean publishing = new AtomicBoolean(true);
            List<Future<?>> publishers = new ArrayList<>();
            for (List<Publication> mine : work) {
                publishers.add(pool.submit(() -> {
                    start.await();
                    for (Publication p : mine) {
                        receipts.add(ledger.publish(p.kind(), p.der()));
                    }
                    return null;
                }));
            }
            Future<Integer> audit = pool.submit(auditor(ledger, publishing));
            start.countDown();
            for (Future<?> f : publishers) {
                f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            publishing.set(false);
            assertTrue(audit.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) > 0, "the auditor saw the log while it grew");

            int total = THREADS * PER_THREAD;
            assertEquals(total, receipts.size());
            Set<Long> positions = new HashSet<>();
            for (Receipt r : receipts) {
                assertTrue(positions.add(r.index()), "position " + r.index() + " given twice");
                assertTrue(r.index() < r.head().size());
                assertReceiptHolds(ledger, r);
            }
            assertEquals(total + 2L, ledger.size());
            assertEquals(2L, Collections.min(positions));
            assertEquals(total + 1L, (long) Collections.max(positions));
            finalHead = ledger.head();
        }

        try (EmbeddedLedger reopened = EmbeddedLedger.open(dir, CLOCK)) {
            assertEquals(finalHead, reopened.head());
            for (Receipt r : receipts) {
                LedgerEntry e = reopened.find(r.id()).orElseThrow(() -> new AssertionError(r.id() + " lost on reopen"));
                assertEquals(r.index(), e.index());
            }
            assertEquals(THREADS * PER_THREAD, reopened.grantsTo(ALICE.id()).size());
            assertArrayEquals(finalHead.root(), LedgerFixtures.rootOf(reopened.entries(0, Integer.MAX_VALUE)));
        }
    }

    @Test
    void publish_sameObjectsFromManyThreadsAtOnce_appendsEachOnce() throws Exception {
        List<Publication> shared = IntStream.range(0, 100).mapToObj(i -> attestation(
                GrantBuilder.grant("concurrency/shared/" + i, NS, ALICE.id()).sign())).toList();
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, CLOCK)) {
            ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity())));
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<Hash, Long>>> racers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<Publication> order = new ArrayList<>(shared);
                Collections.shuffle(order, new Random(t));
                boolean batched = t % 2 == 0;
                racers.add(pool.submit(() -> {
                    start.await();
                    Map<Hash, Long> got = new HashMap<>();
                    if (batched) {
                        for (int i = 0; i < order.size(); i += 10) {
                            ledger.publishAll(order.subList(i, i + 10)).forEach(r -> got.put(r.id(), r.index()));
                        }
                    } else {
                        for (Publication p : order) {
                            Receipt r = ledger.publish(p.kind(), p.der());
                            got.put(r.id(), r.index());
                        }
                    }
                    return got;
                }));
            }
            start.countDown();
            Map<Hash, Long> first = racers.get(0).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (Future<Map<Hash, Long>> f : racers) {
                assertEquals(first, f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), "every publisher got the same positions");
            }
            assertEquals(102, ledger.size());
            assertEquals(100, new HashSet<>(first.values()).size());
            for (LedgerEntry e : ledger.entries(2, 200)) {
                assertEquals(ObjectKind.ATTESTATION, e.kind());
                assertEquals(e.index(), (long) first.get(e.id()));
            }
        }
    }

    /**
     * Reads the head over and over while publishers run: each head is signed, its newest entry is provably
     * under it, and it is consistent with the head read before. Returns how many distinct heads it saw.
     */
    private static Callable<Integer> auditor(EmbeddedLedger ledger, AtomicBoolean publishing) {
        return () -> {
            AtomicInteger heads = new AtomicInteger();
            SignedTreeHead previous = ledger.head();
            while (publishing.get()) {
                SignedTreeHead h = ledger.head();
                if (h.size() == previous.size()) {
                    Thread.yield(); // polling, not synchronising: the publishers' futures are what the test waits on
                    continue;
                }
                h.verify(ledger.treeHeadKey());
                assertTrue(h.size() > previous.size(), "the log never shrinks");
                LedgerEntry newest = ledger.entry(h.size() - 1).orElseThrow();
                assertTrue(ledger.inclusion(newest.index(), h.size()).verify(newest, h));
                assertTrue(ledger.consistency(previous.size(), h.size()).verify(previous, h),
                        previous.size() + " -> " + h.size());
                previous = h;
                heads.incrementAndGet();
            }
            return heads.get();
        };
    }
}
