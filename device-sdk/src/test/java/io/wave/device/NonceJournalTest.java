package io.wave.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device's nonces on disk: what a restart reads back, and what it does with a damaged or shared file. */
class NonceJournalTest {
    private static final EntityId DEVICE = new EntityId(Hash.sha3("test", new byte[] {7}));
    private static final EntityId ALICE = new EntityId(Hash.sha3("test", new byte[] {1}));
    private static final long WINDOW = 30_000;
    private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

    @TempDir
    Path dir;

    private static byte[] nonce(int i) {
        byte[] n = new byte[16];
        n[0] = (byte) i;
        n[1] = (byte) (i >> 8);
        n[2] = (byte) (i >> 16);
        return n;
    }

    /** What an agent does at start: open, restore (which rewrites), and keep it. */
    private ReplayGuard start(Instant at) {
        return ReplayGuard.restore(WINDOW, 100_000, NonceJournal.open(dir, DEVICE, at.toEpochMilli()), at);
    }

    private Path journal() {
        return NonceJournal.file(dir, DEVICE);
    }

    @Test
    void aNonceSeenBeforeARestart_isAReplayAfterIt() {
        ReplayGuard first = start(T0);
        for (int i = 0; i < 3; i++) {
            assertTrue(first.firstSight(ALICE, nonce(i), T0.toEpochMilli() + WINDOW + i, T0.plusMillis(WINDOW)));
        }
        first.close();
        Instant later = T0.plusMillis(WINDOW + 5_000);
        ReplayGuard second = start(later);
        assertEquals(3, second.size());
        assertEquals(T0.toEpochMilli() + WINDOW, second.restartFloor(), "the first start's floor is kept");
        assertFalse(second.firstSight(ALICE, nonce(1), T0.toEpochMilli() + WINDOW + 1, later));
        assertTrue(second.firstSight(ALICE, nonce(9), later.toEpochMilli(), later));
        second.close();
    }

    @Test
    void aMissingJournal_isLost_andTheRestartFloorIsStartPlusTheWindow_evenAcrossASecondRestart() {
        ReplayGuard first = start(T0);
        assertEquals(T0.toEpochMilli() + WINDOW, first.restartFloor());
        first.close();
        assertTrue(Files.exists(journal()));
        // Restarted again within the window: the journal is whole now, but what ran before the first start
        // is still unknown, so the floor stays.
        ReplayGuard second = start(T0.plusSeconds(5));
        assertEquals(T0.toEpochMilli() + WINDOW, second.restartFloor());
        second.close();
    }

    @Test
    void aProvisionedJournal_hasNoFloor_andCannotBeProvisionedTwice() {
        NonceJournal.create(dir, DEVICE);
        ReplayGuard g = start(T0);
        assertEquals(Long.MIN_VALUE, g.restartFloor(), "a device that never served takes commands at once");
        assertTrue(g.firstSight(ALICE, nonce(1), T0.toEpochMilli(), T0));
        g.close();
        WaveException again = assertThrows(WaveException.class, () -> NonceJournal.create(dir, DEVICE));
        assertEquals(ErrorCode.BAD_ARGUMENT, again.code());
        ReplayGuard after = start(T0);
        assertFalse(after.firstSight(ALICE, nonce(1), T0.toEpochMilli(), T0), "the refused provisioning erased nothing");
        after.close();
    }

    @Test
    void recordsWhoseCommandsCanNoLongerBeFresh_areDroppedAtStart() {
        NonceJournal.create(dir, DEVICE);
        ReplayGuard g = start(T0);
        assertTrue(g.firstSight(ALICE, nonce(1), T0.toEpochMilli(), T0));
        assertTrue(g.firstSight(ALICE, nonce(2), T0.toEpochMilli() + 10_000, T0));
        g.close();
        long sizeWithTwo = size();
        NonceJournal j = NonceJournal.open(dir, DEVICE, T0.toEpochMilli() + WINDOW + 1);
        assertEquals(1, j.loaded().entries().size());
        j.close();
        ReplayGuard later = start(T0.plusMillis(WINDOW + 1));
        later.close();
        assertTrue(size() < sizeWithTwo, "the expired record is gone from the file too");
    }

    @Test
    void aTornTail_keepsWhatCameBefore_andIsCutAtTheNextStart() throws IOException {
        NonceJournal.create(dir, DEVICE);
        ReplayGuard g = start(T0);
        for (int i = 0; i < 3; i++) {
            assertTrue(g.firstSight(ALICE, nonce(i), T0.toEpochMilli(), T0));
        }
        g.close();
        long whole = size();
        try (FileChannel ch = FileChannel.open(journal(), StandardOpenOption.WRITE)) {
            ch.truncate(whole - 5);   // a crash in the middle of the third record's write()
        }
        NonceJournal j = NonceJournal.open(dir, DEVICE, T0.toEpochMilli());
        assertFalse(j.loaded().lost());
        assertTrue(j.loaded().tornTail());
        assertEquals(2, j.loaded().entries().size());
        j.close();
        ReplayGuard after = start(T0);
        assertFalse(after.firstSight(ALICE, nonce(0), T0.toEpochMilli(), T0));
        assertFalse(after.firstSight(ALICE, nonce(1), T0.toEpochMilli(), T0));
        after.close();
        // Rewritten without the torn bytes, so the records appended after it read back.
        NonceJournal reread = NonceJournal.open(dir, DEVICE, T0.toEpochMilli());
        assertFalse(reread.loaded().tornTail());
        assertEquals(2, reread.loaded().entries().size());
        reread.close();
    }

    @Test
    void aCorruptRecord_endsTheReading_neverTakesGarbageAsANonce() throws IOException {
        NonceJournal.create(dir, DEVICE);
        ReplayGuard g = start(T0);
        assertTrue(g.firstSight(ALICE, nonce(1), T0.toEpochMilli(), T0));
        assertTrue(g.firstSight(ALICE, nonce(2), T0.toEpochMilli(), T0));
        g.close();
        byte[] bytes = Files.readAllBytes(journal());
        bytes[bytes.length - 10] ^= 0x40;  // inside the last record's expiry: its checksum no longer holds
        Files.write(journal(), bytes);
        NonceJournal j = NonceJournal.open(dir, DEVICE, T0.toEpochMilli());
        assertTrue(j.loaded().tornTail());
        assertEquals(1, j.loaded().entries().size());
        j.close();
    }

    @Test
    void anUnreadableJournal_isLost_isKeptAside_andTheRestartFloorApplies() throws IOException {
        Files.write(journal(), "not a journal at all, just some bytes of text".getBytes());
        ReplayGuard g = start(T0);
        assertEquals(T0.toEpochMilli() + WINDOW, g.restartFloor(), "never an empty memory without a floor");
        g.close();
        assertTrue(Files.exists(journal().resolveSibling(journal().getFileName() + ".unreadable")));
        NonceJournal j = NonceJournal.open(dir, DEVICE, T0.toEpochMilli());
        assertFalse(j.loaded().lost(), "a new, readable journal replaced it");
        assertEquals(T0.toEpochMilli() + WINDOW, j.loaded().restartFloor());
        j.close();
    }

    @Test
    void growingPastTheBound_rewritesTheFileWithOnlyTheLiveNonces() {
        NonceJournal.create(dir, DEVICE);
        ReplayGuard g = start(T0);
        // One nonce a millisecond over a window of 30 s: about 30,000 live at any time.
        int n = NonceJournal.COMPACT_AFTER_RECORDS + 40_000;
        long peak = 0;
        for (int i = 0; i < n; i++) {
            Instant now = T0.plusMillis(i);
            assertTrue(g.firstSight(ALICE, nonce(i), now.toEpochMilli(), now));
            peak = Math.max(peak, size());
        }
        int live = g.size();
        g.close();
        long record = (size() - 28) / live;
        assertTrue(peak < (long) (NonceJournal.COMPACT_AFTER_RECORDS + live + 2) * record + 28,
                "the file never held much more than the bound plus the live records: " + peak);
        Instant end = T0.plusMillis(n - 1);
        NonceJournal j = NonceJournal.open(dir, DEVICE, end.toEpochMilli());
        assertTrue(j.loaded().entries().size() <= live + 1);
        j.close();
        ReplayGuard after = start(end);
        assertFalse(after.firstSight(ALICE, nonce(n - 1), end.toEpochMilli(), end), "the newest nonce survived");
        after.close();
    }

    @Test
    void twoAgentsWithOneIdentity_cannotShareAJournal() {
        ReplayGuard first = start(T0);
        WaveException taken = assertThrows(WaveException.class,
                () -> NonceJournal.open(dir, DEVICE, T0.toEpochMilli()));
        assertEquals(ErrorCode.UNAVAILABLE, taken.code());
        assertTrue(taken.getMessage().contains("one identity, one running agent"), taken.getMessage());
        first.close();
        NonceJournal.open(dir, DEVICE, T0.toEpochMilli()).close();
    }

    private long size() {
        try {
            return Files.size(journal());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
