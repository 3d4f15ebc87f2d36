package io.wave.device;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A device's remembered nonces on disk, so that a command that was checked before a restart is refused
 * after it. One append-only file per device entity, {@code DIR/ENTITY.nonces}: a header, then one record
 * per (sender, nonce) the gate accepted for checking, written before the command can run.
 *
 * <p>Each record is one {@code write()} without {@code fsync}: it survives the process stopping or
 * crashing (the bytes are in the OS's page cache), not an OS crash or power loss, which may lose the
 * last records. The file is read back at start (records whose commands can no longer be fresh are
 * dropped; a torn or corrupt tail, from a crash mid-write, ends the reading and what came before is
 * kept), then rewritten, and rewritten again (atomically, by rename) whenever it has grown by
 * {@link #COMPACT_AFTER_RECORDS} records and more than the live ones. A journal that cannot be read at
 * all counts as lost, like a missing one: the caller then applies the restart rule instead of starting
 * with an empty memory.
 *
 * <p>{@code DIR/ENTITY.lock} is held with an OS file lock for as long as the journal is open, so two
 * agents with one identity cannot share (and corrupt) a journal. Not thread-safe: the {@link ReplayGuard}
 * that owns it serialises access.
 */
final class NonceJournal implements AutoCloseable {
    static final String SUFFIX = ".nonces";
    /**
     * Records appended since the last rewrite beyond which the file is rewritten with only the live ones
     * (also never before the live ones are outnumbered, so rewriting stays amortised O(1) per record).
     * 65,536 records are about 4 MiB: a device's whole window of nonces at its busiest, a few times over.
     */
    static final int COMPACT_AFTER_RECORDS = 65_536;
    /**
     * A journal larger than this is not read: compaction keeps a real one far smaller (the nonce guard
     * holds at most {@link CommandGate#DEFAULT_NONCE_CAPACITY} live records, about 6 MiB).
     */
    static final long MAX_JOURNAL_BYTES = 256L << 20;

    private static final byte[] MAGIC = {'W', 'A', 'V', 'E', 'N', 'J', '1', '\n'};
    /** Magic, restart floor, forgotten-before, CRC-32C of the three. */
    private static final int HEADER_BYTES = MAGIC.length + 8 + 8 + 4;
    /** Commands carry 16-byte nonces; the record format leaves room for a longer one, not for an unbounded one. */
    private static final int MAX_NONCE_BYTES = 64;

    /** A remembered nonce: a command from {@code sender} with {@code nonce} counts as fresh until {@code expiresAt}. */
    record Entry(EntityId sender, byte[] nonce, long expiresAt) {
        Entry {
            Objects.requireNonNull(sender, "sender");
            if (nonce.length == 0 || nonce.length > MAX_NONCE_BYTES) {
                throw new IllegalArgumentException("a nonce is 1 to " + MAX_NONCE_BYTES + " bytes");
            }
            nonce = nonce.clone();
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }
    }

    /**
     * What the journal held at open: the live entries in the order they were written, the floors the guard
     * kept, and whether the journal was lost (missing or unreadable), in which case the entries are empty.
     */
    record Loaded(List<Entry> entries, long restartFloor, long forgottenBefore, boolean lost, boolean tornTail) {
        Loaded {
            entries = List.copyOf(entries);
        }
    }

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel out;
    private long appendedSinceRewrite;
    private Loaded loaded;

    private NonceJournal(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** The journal's file for {@code device} in {@code dir}. */
    static Path file(Path dir, EntityId device) {
        return dir.resolve(device + SUFFIX);
    }

    /**
     * Locks and reads the journal of {@code device} in {@code dir} (see {@link #loaded()}); the caller then
     * {@link #rewrite}s it with what it keeps, which also makes it writable.
     *
     * @throws WaveException UNAVAILABLE when another agent holds the journal; IO_ERROR when the directory
     *     cannot be used
     */
    static NonceJournal open(Path dir, EntityId device, long nowMillis) {
        NonceJournal j = lock(dir, device);
        try {
            j.loaded = j.read(nowMillis);
        } catch (RuntimeException e) {
            j.close();
            throw e;
        }
        return j;
    }

    /**
     * Creates the empty journal of a device that has never served, so that its first start does not
     * apply the restart rule.
     *
     * @throws WaveException BAD_ARGUMENT when the device already has a journal there (it has served: its
     *     nonces must not be forgotten); UNAVAILABLE when an agent holds it; IO_ERROR when it cannot be written
     */
    static void create(Path dir, EntityId device) {
        try (NonceJournal j = lock(dir, device)) {
            if (Files.exists(j.file)) {
                throw WaveException.badArgument("device " + device + " already has a nonce journal (" + j.file
                        + "): it has served before, and what it remembers must not be replaced");
            }
            j.rewrite(List.of(), Long.MIN_VALUE, Long.MIN_VALUE);
        }
    }

    private static NonceJournal lock(Path dir, EntityId device) {
        Objects.requireNonNull(dir, "dir");
        Path lockFile = dir.resolve(device + ".lock");
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                l = null;
            }
            if (l == null) {
                throw new WaveException(ErrorCode.UNAVAILABLE, "another device agent with entity " + device
                        + " holds its state in " + dir + " (" + lockFile + " is locked): one identity, one running agent");
            }
            return new NonceJournal(file(dir, device), ch, l);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new WaveException(ErrorCode.IO_ERROR, "cannot use state directory " + dir + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private Loaded read(long nowMillis) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_JOURNAL_BYTES) {
                return lost();
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            // Missing (NoSuchFileException) or unreadable: either way what ran before is unknown.
            return lost();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < HEADER_BYTES || !ByteBuffer.wrap(bytes, 0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))
                || crc(bytes, 0, HEADER_BYTES - 4) != in.getInt(HEADER_BYTES - 4)) {
            return lost();
        }
        in.position(MAGIC.length);
        long restartFloor = in.getLong();
        long forgottenBefore = in.getLong();
        in.position(HEADER_BYTES);
        List<Entry> entries = new ArrayList<>();
        boolean torn = false;
        while (in.hasRemaining()) {
            Entry e = next(in, bytes);
            if (e == null) {
                torn = true;
                break;
            }
            if (e.expiresAt() >= nowMillis) {
                entries.add(e);
            }
        }
        return new Loaded(entries, restartFloor, forgottenBefore, false, torn);
    }

    private static Loaded lost() {
        return new Loaded(List.of(), Long.MIN_VALUE, Long.MIN_VALUE, true, false);
    }

    /** The next whole record, or null (the position then undefined) when what is left is not one. */
    private static Entry next(ByteBuffer in, byte[] bytes) {
        int start = in.position();
        if (in.remaining() < 1) {
            return null;
        }
        int senderLen = in.get() & 0xff;
        if (senderLen != Hash.TAGGED_LENGTH || in.remaining() < senderLen + 1) {
            return null;
        }
        byte[] sender = new byte[senderLen];
        in.get(sender);
        int nonceLen = in.get() & 0xff;
        if (nonceLen == 0 || nonceLen > MAX_NONCE_BYTES || in.remaining() < nonceLen + 8 + 4) {
            return null;
        }
        byte[] nonce = new byte[nonceLen];
        in.get(nonce);
        long expiresAt = in.getLong();
        int end = in.position();
        if (crc(bytes, start, end - start) != in.getInt()) {
            return null;
        }
        try {
            return new Entry(new EntityId(Hash.fromTagged(sender)), nonce, expiresAt);
        } catch (WaveException badHash) {
            return null;
        }
    }

    /**
     * Appends one record. Returns once the bytes are with the OS.
     *
     * @throws WaveException IO_ERROR when they could not be written: the caller must not run the command
     */
    void append(Entry e) {
        ByteBuffer b = encode(e);
        try {
            while (b.hasRemaining()) {
                out.write(b);
            }
        } catch (IOException | RuntimeException x) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot write to nonce journal " + file + ": " + x, x);
        }
        appendedSinceRewrite++;
    }

    /** What the journal held when it was opened. */
    Loaded loaded() {
        return loaded;
    }

    /** Whether the file has grown enough past {@code live} records to be worth {@link #rewrite rewriting}. */
    boolean wantsRewrite(int live) {
        return appendedSinceRewrite > Math.max(COMPACT_AFTER_RECORDS, live);
    }

    /**
     * Replaces the journal with {@code live} and the two floors, atomically: a crash leaves the old file or
     * the new one, whole. The new file is synced before the rename (once per rewrite, not per record), so
     * the rename cannot outlive its content. On failure the old file stays in use.
     *
     * @throws WaveException IO_ERROR when the new file could not be put in place
     */
    void rewrite(Collection<Entry> live, long restartFloor, long forgottenBefore) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        FileChannel next = null;
        try {
            next = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            header.put(MAGIC).putLong(restartFloor).putLong(forgottenBefore);
            header.putInt(crc(header.array(), 0, HEADER_BYTES - 4)).flip();
            writeFully(next, header);
            for (Entry e : live) {
                writeFully(next, encode(e));
            }
            next.force(true);
            // The channel stays open across the rename: it then writes to the journal itself.
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot replace " + file + " atomically", e);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(next);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // A stale temporary file is truncated by the next rewrite.
            }
            throw new WaveException(ErrorCode.IO_ERROR, "cannot rewrite nonce journal " + file + ": " + e, e);
        }
        closeQuietly(out);
        out = next;
        appendedSinceRewrite = 0;
    }

    /** Moves an unreadable journal aside (for whoever looks into why) before a new one replaces it. */
    void keepUnreadable() {
        if (Files.exists(file)) {
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + ".unreadable"),
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // The rewrite replaces it; nothing in it was going to be used.
            }
        }
    }

    Path path() {
        return file;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static ByteBuffer encode(Entry e) {
        byte[] sender = e.sender().hash().tagged();
        byte[] nonce = e.nonce;
        ByteBuffer b = ByteBuffer.allocate(1 + sender.length + 1 + nonce.length + 8 + 4);
        b.put((byte) sender.length).put(sender).put((byte) nonce.length).put(nonce).putLong(e.expiresAt());
        b.putInt(crc(b.array(), 0, b.position()));
        return b.flip();
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** Closes the journal and releases the lock. */
    @Override
    public void close() {
        closeQuietly(out);
        out = null;
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel releases it too.
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // Nothing more to release.
        }
    }
}
