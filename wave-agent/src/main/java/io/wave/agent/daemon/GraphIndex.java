package io.wave.agent.daemon;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.Revocation;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.ledger.Ledger;
import io.wave.ledger.LedgerEntry;
import io.wave.policy.GrantGraph;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The grant graph the agent has seen, kept current by following the ledger's log from a cursor, and kept
 * in RocksDB under the agent's home so a restart resumes where it stopped instead of reading the whole log.
 * Entities, attestations and revoked commitments are held in memory for proof search and revocation checks.
 *
 * <p>Everything here comes from the ledger, which verified it; signatures are checked again on the way in
 * all the same, so a damaged index cannot put an unsigned grant into a proof. The index needs no synced
 * writes: each page is one atomic batch with its cursor, and a batch lost to a crash is read again.
 */
public final class GraphIndex implements AutoCloseable {
    /** Entries read from the ledger per request: one page of a ledger server's log. */
    static final int PAGE = 1000;

    private static final byte[] CURSOR = {'p'};
    private static final byte ENTITY = 'e';
    private static final byte ATTESTATION = 'a';
    private static final byte REVOKED = 'r';

    static {
        RocksDB.loadLibrary();
    }

    /** Null for an index kept in memory only. */
    private final RocksDB db;
    private final Options options;
    private final WriteOptions writeOptions = new WriteOptions();
    private final GrantGraph graph = new GrantGraph();
    private final Set<RevocationCommitment> revoked = ConcurrentHashMap.newKeySet();
    private final Consumer<RevocationCommitment> onRevoked;
    private volatile long position;
    private volatile long ledgerSize;
    private volatile long lastFollowMillis;
    private boolean closed;

    private GraphIndex(RocksDB db, Options options, Consumer<RevocationCommitment> onRevoked) {
        this.db = db;
        this.options = options;
        this.onRevoked = onRevoked;
    }

    /**
     * Opens (creating) the index in {@code dir} and loads it into memory. {@code onRevoked} hears of every
     * revocation as it is read, so caches drop what depended on it at once.
     *
     * @throws WaveException UNAVAILABLE when another process holds the directory
     */
    public static GraphIndex open(Path dir, Consumer<RevocationCommitment> onRevoked) {
        Options options = new Options().setCreateIfMissing(true);
        RocksDB db;
        try {
            Files.createDirectories(dir);
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            options.close();
            throw new WaveException(ErrorCode.UNAVAILABLE, "cannot open the agent's index " + dir
                    + " (is another agent running on this home?): " + e.getMessage());
        } catch (java.io.IOException e) {
            options.close();
            throw new WaveException(ErrorCode.IO_ERROR, "cannot create " + dir + ": " + e.getMessage());
        }
        GraphIndex index = new GraphIndex(db, options, onRevoked);
        try {
            index.load();
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
        return index;
    }

    /** An index in memory only, for reading a ledger's graph once (wave graph without an agent). */
    public static GraphIndex inMemory() {
        return new GraphIndex(null, null, c -> { });
    }

    private void load() {
        List<byte[]> entities = new ArrayList<>();
        List<byte[]> attestations = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                switch (k[0]) {
                    case ENTITY -> entities.add(it.value());
                    case ATTESTATION -> attestations.add(it.value());
                    case REVOKED -> revoked.add(RevocationCommitment.of(java.util.Arrays.copyOfRange(k, 1, k.length)));
                    case 'p' -> position = ByteBuffer.wrap(it.value()).getLong();
                    default -> throw new WaveException(ErrorCode.IO_ERROR, "the agent's index holds an unknown key");
                }
            }
        }
        for (byte[] der : entities) {
            graph.add(UnverifiedEntity.decode(der).verify());
        }
        for (byte[] der : attestations) {
            UnverifiedAttestation ua = UnverifiedAttestation.decode(der);
            graph.entity(ua.attester()).ifPresent(a -> graph.add(ua.verify(a)));
        }
    }

    /**
     * Reads every entry the ledger has past the cursor, in pages, and applies them. Called by the follower
     * and, after the agent publishes, by the request that published, so its answer reflects its own write.
     *
     * @return entries read
     */
    public synchronized int follow(Ledger ledger) {
        int read = 0;
        while (!closed) {
            List<LedgerEntry> page = ledger.entries(position, PAGE);
            if (page.isEmpty()) {
                break;
            }
            try (WriteBatch batch = new WriteBatch()) {
                long next = position;
                for (LedgerEntry e : page) {
                    if (e.index() != next) {
                        throw new WaveException(ErrorCode.TAMPERED, "the ledger served entry " + e.index() + " for " + next);
                    }
                    apply(e, batch, ledger);
                    next++;
                }
                batch.put(CURSOR, ByteBuffer.allocate(8).putLong(next).array());
                if (db != null) {
                    db.write(writeOptions, batch);
                }
                position = next;
                read += page.size();
            } catch (RocksDBException e) {
                throw new WaveException(ErrorCode.IO_ERROR, "cannot write the agent's index: " + e.getMessage());
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        ledgerSize = Math.max(position, ledger.size());
        lastFollowMillis = System.currentTimeMillis();
        return read;
    }

    private void apply(LedgerEntry e, WriteBatch batch, Ledger ledger) throws RocksDBException {
        switch (e.kind()) {
            case ENTITY -> {
                Entity entity = UnverifiedEntity.decode(e.der()).verify();
                graph.add(entity);
                batch.put(key(ENTITY, entity.id().toString()), e.der());
            }
            case ATTESTATION -> {
                UnverifiedAttestation ua = UnverifiedAttestation.decode(e.der());
                Entity attester = graph.entity(ua.attester()).or(() -> ledger.entity(ua.attester()))
                        .orElseThrow(() -> new WaveException(ErrorCode.TAMPERED, "the ledger holds attestation " + ua.id()
                                + " but not its attester " + ua.attester()));
                graph.add(ua.verify(attester));
                batch.put(key(ATTESTATION, ua.id().toString()), e.der());
            }
            case REVOCATION -> {
                RevocationCommitment c = Revocation.decode(e.der()).commitment();
                byte[] k = new byte[1 + c.bytes().length];
                k[0] = REVOKED;
                System.arraycopy(c.bytes(), 0, k, 1, c.bytes().length);
                batch.put(k, new byte[0]);
                revoked.add(c);
                onRevoked.accept(c);
            }
            case NAME -> { }
        }
    }

    private static byte[] key(byte kind, String id) {
        byte[] text = id.getBytes(StandardCharsets.US_ASCII);
        byte[] k = new byte[1 + text.length];
        k[0] = kind;
        System.arraycopy(text, 0, k, 1, text.length);
        return k;
    }

    /**
     * Takes note of a revocation this process has just published, before the ledger's log is read back: an
     * answer must not outlive a revocation its own agent made, even if reading the log fails for a while.
     */
    public void revoked(RevocationCommitment c) {
        revoked.add(c);
        onRevoked.accept(c);
    }

    /** The graph as a proof builder's source; thread-safe, grows as the ledger does. */
    public GrantGraph graph() {
        return graph;
    }

    public Optional<Entity> entity(EntityId id) {
        return graph.entity(id);
    }

    /** Whether a revocation of {@code c} has been read from the ledger (or published by this agent). */
    public boolean isRevoked(RevocationCommitment c) {
        return revoked.contains(c);
    }

    /** Entries applied: the cursor into the ledger's log. */
    public long position() {
        return position;
    }

    /** The ledger's size when it was last asked. */
    public long ledgerSize() {
        return ledgerSize;
    }

    /** When the index last caught up with the ledger (epoch millis; 0 before the first time). */
    public long lastFollowMillis() {
        return lastFollowMillis;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (db != null) {
            db.close();
            options.close();
        }
        writeOptions.close();
    }
}
