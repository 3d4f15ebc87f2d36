package io.wave.ledger.embedded;

import static io.wave.ledger.testing.LedgerFixtures.CLOCK;
import static io.wave.ledger.testing.LedgerFixtures.attestation;
import static io.wave.ledger.testing.LedgerFixtures.entity;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.Receipt;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.testing.LedgerFixtures;
import io.wave.policy.testing.GrantBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that kept an old tree head can check that the log only grew since, and catches a history
 * that was rewritten or forked even when every head carries a valid signature. Followers read the log
 * from a cursor and miss nothing.
 */
class EmbeddedLedgerConsistencyTest {
    private static final EntitySecret NS = TestEntities.create("consistency/namespace");
    private static final EntitySecret ALICE = TestEntities.create("consistency/alice");

    @TempDir
    Path dir;

    @Test
    void consistency_fromEveryKeptHead_provesTheLogOnlyGrew() {
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, CLOCK)) {
            List<SignedTreeHead> kept = new ArrayList<>();
            ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity())));
            kept.add(ledger.head());
            // Growth of uneven steps, so the kept sizes are powers of two and not.
            for (int step : new int[] {1, 2, 3, 1, 8, 5}) {
                ledger.publishAll(grants("grow-" + kept.size(), step));
                kept.add(ledger.head());
            }

            for (SignedTreeHead older : kept) {
                for (SignedTreeHead newer : kept) {
                    if (older.size() > newer.size()) {
                        continue;
                    }
                    assertTrue(ledger.consistency(older.size(), newer.size()).verify(older, newer),
                            "consistency " + older.size() + " -> " + newer.size());
                }
                // Every entry is provably in every head that covers it, not just the newest.
                for (LedgerEntry e : ledger.entries(0, (int) older.size())) {
                    assertTrue(ledger.inclusion(e.index(), older.size()).verify(e, older), e.index() + " in " + older.size());
                }
            }

            SignedTreeHead old = kept.get(2);
            SignedTreeHead now = ledger.head();
            assertFalse(ledger.consistency(old.size(), now.size()).verify(now, old), "the proof has a direction");
            assertFalse(ledger.consistency(old.size(), now.size()).verify(kept.get(3), now), "and is for one older size");
            assertEquals(ErrorCode.BAD_ARGUMENT,
                    assertThrows(WaveException.class, () -> ledger.consistency(1, now.size() + 1)).code());
            assertEquals(ErrorCode.BAD_ARGUMENT,
                    assertThrows(WaveException.class, () -> ledger.inclusion(now.size(), now.size())).code());
        }
    }

    @Test
    void consistency_detectsAForkedHistory_signedWithTheSameKey() throws Exception {
        // The operator of ledger A keeps its key, starts a second log from the same first k entries and
        // continues it differently: every head it signs verifies, the history does not.
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        List<Publication> common = new ArrayList<>(List.of(entity(NS.entity()), entity(ALICE.entity())));
        common.addAll(grants("common", 3));
        int k = common.size();

        SignedTreeHead aAtK;
        SignedTreeHead aLater;
        try (EmbeddedLedger ledgerA = EmbeddedLedger.open(a, CLOCK)) {
            ledgerA.publishAll(common);
            aAtK = ledgerA.head();
            ledgerA.publishAll(grants("only-on-a", 3));
            aLater = ledgerA.head();
        }
        Files.createDirectories(b);
        Files.copy(a.resolve("tree-head.key"), b.resolve("tree-head.key"));

        try (EmbeddedLedger ledgerB = EmbeddedLedger.open(b, CLOCK)) {
            ledgerB.publishAll(common);
            assertArrayEquals(aAtK.root(), ledgerB.head().root(), "same first k entries, same root");
            ledgerB.publishAll(grants("only-on-b", 5));
            SignedTreeHead forked = ledgerB.head();
            forked.verify(ledgerB.treeHeadKey());
            aLater.verify(ledgerB.treeHeadKey());

            assertTrue(ledgerB.consistency(k, forked.size()).verify(aAtK, forked),
                    "up to the fork the histories agree");
            assertFalse(ledgerB.consistency(aLater.size(), forked.size()).verify(aLater, forked),
                    "the client that kept A's later head sees the fork");
            assertFalse(ledgerB.consistency(aLater.size(), aLater.size()).verify(aLater, ledgerB.head()));
        }

        // A ledger with its own key cannot pass its heads off as A's at all.
        try (EmbeddedLedger stranger = EmbeddedLedger.open(dir.resolve("c"), CLOCK)) {
            stranger.publishAll(common);
            assertEquals(ErrorCode.TAMPERED, assertThrows(WaveException.class,
                    () -> stranger.head().verify(ledgerKey(a))).code());
        }
    }

    @Test
    void entries_followTheLogFromACursor_missingNothing() {
        try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, CLOCK)) {
            List<Receipt> published = new ArrayList<>(ledger.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()))));
            published.addAll(ledger.publishAll(grants("follow", 21)));

            Follower follower = new Follower(ledger);
            assertEquals(published.stream().map(Receipt::id).toList(), follower.catchUp(5));

            List<Receipt> more = ledger.publishAll(grants("follow-more", 4));
            assertEquals(more.stream().map(Receipt::id).toList(), follower.catchUp(3), "only what is new");
            assertEquals(List.of(), follower.catchUp(3));

            assertEquals(3, ledger.entries(24, 100).size());
            assertEquals(List.of(), ledger.entries(ledger.size(), 5));
            assertEquals(List.of(), ledger.entries(0, 0));
            List<LedgerEntry> all = ledger.entries(0, Integer.MAX_VALUE);
            assertArrayEquals(ledger.head().root(), LedgerFixtures.rootOf(all));
            assertEquals(ErrorCode.BAD_ARGUMENT, assertThrows(WaveException.class, () -> ledger.entries(-1, 5)).code());
            assertEquals(ErrorCode.BAD_ARGUMENT, assertThrows(WaveException.class, () -> ledger.entries(0, -1)).code());
        }
    }

    /** What a device agent does: read from its cursor in pages until nothing is new. */
    private static final class Follower {
        private final EmbeddedLedger ledger;
        private long cursor;

        Follower(EmbeddedLedger ledger) {
            this.ledger = ledger;
        }

        List<Hash> catchUp(int page) {
            List<Hash> seen = new ArrayList<>();
            for (List<LedgerEntry> got; !(got = ledger.entries(cursor, page)).isEmpty(); ) {
                assertTrue(got.size() <= page);
                for (LedgerEntry e : got) {
                    assertEquals(cursor, e.index(), "no gap, no repeat");
                    seen.add(e.id());
                    cursor++;
                }
            }
            return seen;
        }
    }

    private static List<Publication> grants(String label, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> attestation(GrantBuilder.grant("consistency/" + label + "/" + i, NS, ALICE.id()).sign()))
                .toList();
    }

    private static io.wave.crypto.VerifyingKey ledgerKey(Path dir) {
        try (EmbeddedLedger l = EmbeddedLedger.open(dir, CLOCK)) {
            return l.treeHeadKey();
        }
    }
}
