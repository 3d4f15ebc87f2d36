package io.wave.ledger.embedded;

import static io.wave.ledger.testing.LedgerFixtures.CLOCK;
import static io.wave.ledger.testing.LedgerFixtures.attestation;
import static io.wave.ledger.testing.LedgerFixtures.entity;

import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.Receipt;
import io.wave.policy.testing.GrantBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link EmbeddedLedgerCrashIT} kills: opens the ledger in {@code args[0]}, prints
 * {@code ready}, then publishes fresh attestations from {@code args[2]} threads until it is killed, some
 * one at a time and some in batches. Each object's id is printed as {@code ack ID} only after the publish
 * that wrote it has returned, so every printed id is one the ledger acknowledged as durable.
 *
 * <p>Usage: {@code CrashingPublisher DIR ROUND THREADS}; the round names this run's grants, so every run
 * publishes objects of its own.
 */
public final class CrashingPublisher {
    static final String READY = "ready";
    static final String ACK = "ack ";
    /** Odd-numbered threads publish batches of this many. */
    static final int BATCH = 5;
    /** Every grant is from the namespace to alice; both entities are published first. */
    static final EntitySecret NS = TestEntities.create("crash/namespace");
    static final EntitySecret ALICE = TestEntities.create("crash/alice");

    private CrashingPublisher() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String round = args[1];
        int threads = Integer.parseInt(args[2]);

        // Never closed: the process ends by SIGKILL.
        EmbeddedLedger ledger = EmbeddedLedger.open(dir, CLOCK);
        for (Receipt r : ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity())))) {
            ack(r);
        }
        say(READY);
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                int batch = thread % 2 == 1 ? BATCH : 1;
                try {
                    for (long i = 0; ; i += batch) {
                        List<Publication> ps = new ArrayList<>(batch);
                        for (int j = 0; j < batch; j++) {
                            ps.add(attestation(GrantBuilder.grant("crash/" + round + "/" + thread + "/" + (i + j), NS,
                                    ALICE.id()).sign()));
                        }
                        for (Receipt r : ledger.publishAll(ps)) {
                            ack(r);
                        }
                    }
                } catch (RuntimeException e) {
                    e.printStackTrace();
                    System.exit(2);
                }
            }, "publisher-" + t);
            publishers.add(th);
            th.start();
        }
        for (Thread th : publishers) {
            th.join();
        }
    }

    private static void ack(Receipt r) {
        say(ACK + r.id());
    }

    /** One whole line per write, flushed: the parent reads it the moment it is printed. */
    private static void say(String line) {
        synchronized (System.out) {
            System.out.print(line + "\n");
            System.out.flush();
        }
    }
}
