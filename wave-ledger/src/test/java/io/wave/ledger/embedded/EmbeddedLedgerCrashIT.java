package io.wave.ledger.embedded;

import static io.wave.ledger.testing.LedgerFixtures.CLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.testing.LedgerFixtures;
import io.wave.policy.testing.GrantBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

/**
 * A process killed with SIGKILL while several threads publish: the ledger reopens cleanly, every object
 * the dead process acknowledged is there, the stored head verifies and its root is the root of what is
 * stored, whether computed from the stored Merkle nodes or from the entries alone.
 *
 * <p>The publisher is a real child JVM ({@link CrashingPublisher}), killed at a different point in each
 * of three rounds; each round reopens what the previous kill left.
 */
class EmbeddedLedgerCrashIT {
    private static final long START_SECONDS = 60;
    private static final long EXIT_SECONDS = 30;
    private static final Pattern ACK = Pattern.compile(Pattern.quote(CrashingPublisher.ACK) + "[A-Za-z0-9_-]{44}");

    @TempDir
    Path dir;

    @Test
    void kill9_whilePublishing_losesNoAcknowledgedObject_atThreeDifferentInstants() throws Exception {
        Path ledgerDir = dir.resolve("ledger");
        Set<Hash> acknowledged = new HashSet<>();
        int[] killAfter = {300, 550, 800};
        int[] threads = {4, 8, 3};
        for (int round = 0; round < killAfter.length; round++) {
            // Each round reopens what the previous kill left behind.
            try (Child child = Child.start(dir, ledgerDir, "round-" + round, threads[round])) {
                child.awaitAcks(killAfter[round]);
                child.kill();
                acknowledged.addAll(child.acks);
                assertTrue(child.acks.size() >= killAfter[round]);
            }
            assertRecovered(ledgerDir, acknowledged);
        }
    }

    @Test
    void open_whileAnotherProcessHoldsTheLedger_isUnavailable() throws Exception {
        Path ledgerDir = dir.resolve("ledger");
        try (Child child = Child.start(dir, ledgerDir, "held", 1)) {
            child.awaitReady();
            WaveException e = assertThrows(WaveException.class, () -> EmbeddedLedger.open(ledgerDir, CLOCK));
            assertEquals(ErrorCode.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("in use by another process") && e.getMessage().contains(ledgerDir.toString()),
                    e.getMessage());
            child.kill();
        }
        // The kernel drops the dead process's lock: the directory opens again.
        assertRecovered(ledgerDir, Set.of());
    }

    /** Reopens {@code ledgerDir} and checks it against everything that was acknowledged. */
    private static void assertRecovered(Path ledgerDir, Set<Hash> acknowledged) throws RocksDBException {
        SignedTreeHead head;
        try (EmbeddedLedger ledger = EmbeddedLedger.open(ledgerDir, CLOCK)) {
            head = ledger.head();
            head.verify(ledger.treeHeadKey());
            for (Hash id : acknowledged) {
                LedgerEntry e = ledger.find(id).orElseThrow(() -> new AssertionError("acknowledged " + id + " is lost"));
                assertTrue(e.index() < head.size(), "acknowledged " + id + " is under the head");
                assertTrue(ledger.inclusion(e.index(), head.size()).verify(e, head));
            }
            List<LedgerEntry> all = ledger.entries(0, Integer.MAX_VALUE);
            assertEquals(head.size(), all.size());
            assertTrue(head.size() >= acknowledged.size());
            assertTrue(ledger.entry(head.size()).isEmpty(), "nothing stored past the head");
            assertArrayEquals(head.root(), LedgerFixtures.rootOf(all), "root of the stored entries");
            // And it goes on working.
            ledger.publish(ObjectKind.ATTESTATION, GrantBuilder.grant("crash/after-recovery/" + head.size(),
                    CrashingPublisher.NS, CrashingPublisher.ALICE.id()).sign().encoded());
            head = ledger.head();
        }
        assertArrayEquals(head.root(), RawStore.storedRoot(ledgerDir, head.size()), "root of the stored Merkle nodes");
    }

    /** A {@link CrashingPublisher} process and the acknowledgements it printed. */
    private static final class Child implements AutoCloseable {
        private static final String EOF = "\u0000eof";
        private final Process process;
        private final Path stderr;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Set<Hash> acks = new HashSet<>();
        private boolean ready;
        private boolean ended;

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // The pipe breaks when the child dies; what was read is all there is.
                } finally {
                    lines.add(EOF);
                }
            }, "crash-child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path work, Path ledgerDir, String round, int threads) throws IOException {
            Path err = Files.createTempFile(work, "child-", ".stderr");
            // RocksDB unpacks its native library into java.io.tmpdir and deletes it at a clean exit; a killed
            // child never exits cleanly, so give it the test's own directory, which JUnit removes.
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.io.tmpdir=" + work, "-cp", System.getProperty("java.class.path"), CrashingPublisher.class.getName(),
                    ledgerDir.toString(), round, Integer.toString(threads));
            pb.redirectError(err.toFile());
            return new Child(pb.start(), err);
        }

        void awaitReady() throws Exception {
            while (!ready) {
                next();
            }
        }

        /** Reads until at least {@code n} acknowledgements have been printed. */
        void awaitAcks(int n) throws Exception {
            while (acks.size() < n) {
                next();
            }
        }

        private void next() throws Exception {
            String line = lines.poll(START_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the child printed nothing for " + START_SECONDS + " s\n" + stderrText());
            }
            if (line.equals(EOF)) {
                ended = true;
                throw new AssertionError("the child ended early (" + process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS) + ", "
                        + (process.isAlive() ? "alive" : "exit " + process.exitValue()) + ")\n" + stderrText());
            }
            take(line);
        }

        private void take(String line) {
            if (line.equals(CrashingPublisher.READY)) {
                ready = true;
            } else if (ACK.matcher(line).matches()) {
                acks.add(Hash.parse(line.substring(CrashingPublisher.ACK.length())));
            }
            // A line cut short by the kill is no acknowledgement anyone could have relied on.
        }

        /** SIGKILL, then every line the child managed to print before it died. */
        void kill() throws Exception {
            process.destroyForcibly();
            assertTrue(process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS), "the child died");
            assertEquals(137, process.exitValue(), "killed by SIGKILL, not ended by itself\n" + stderrText());
            while (!ended) {
                String line = lines.poll(EXIT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(line, "the dead child's output ends");
                if (line.equals(EOF)) {
                    ended = true;
                } else {
                    take(line);
                }
            }
        }

        private String stderrText() {
            try {
                return "child stderr:\n" + Files.readString(stderr);
            } catch (IOException e) {
                return "child stderr unreadable: " + e;
            }
        }

        /** Never leaves a child behind, whatever the test did. */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
