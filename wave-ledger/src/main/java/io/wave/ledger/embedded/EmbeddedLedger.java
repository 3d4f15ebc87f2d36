package io.wave.ledger.embedded;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.SigningKey;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.LedgerObject;
import io.wave.ledger.LedgerObjects;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Proofs;
import io.wave.ledger.Receipt;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.VerifiableLedger;
import io.wave.ledger.merkle.Merkle;
import io.wave.policy.Grant;
import io.wave.policy.GrantCache;
import io.wave.policy.RevocationView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The embedded ledger: a Merkle log (RFC 9162) in RocksDB on disk, with its indexes and signed tree head
 * written in the same atomic, synced batch as the entries, so a process killed at any instant reopens
 * with every acknowledged object present and nothing half-written.
 *
 * <p>Publishing verifies objects in the caller's thread (signatures are the expensive part, and callers
 * run in parallel), then hands them to one writer thread that commits everything queued at that moment
 * in a single synced write (group commit). Receipts, with their inclusion proofs, are built back in the
 * caller's thread.
 */
public final class EmbeddedLedger implements VerifiableLedger {
    /** Objects committed in one synced write at most: bounds the batch a burst of publishers builds. */
    public static final int MAX_GROUP = 8192;
    /** A publish waits this long for its write before answering UNAVAILABLE. */
    static final long WRITE_TIMEOUT_SECONDS = 30;

    private static final byte[] META_HEAD = {'h'};
    private static final String KEY_FILE = "tree-head.key";

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final Clock clock;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle log;
    private final ColumnFamilyHandle nodes;
    private final ColumnFamilyHandle ids;
    private final ColumnFamilyHandle to;
    private final ColumnFamilyHandle from;
    private final ColumnFamilyHandle commits;
    private final ColumnFamilyHandle revoked;
    private final ColumnFamilyHandle names;
    private final ColumnFamilyHandle meta;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions syncWrite;
    private final SigningKey headKey;
    private final GrantCache grants = new GrantCache(100_000);
    /** Entities by id: immutable, so caching is safe; it spares publishers a read, a decode and a hash. */
    private final BoundedCache<EntityId, Entity> entities = new BoundedCache<>(100_000);
    /** Merkle nodes (immutable once written): receipts' inclusion proofs read the recent ones again at once. */
    private final BoundedCache<Long, byte[]> nodeCache = new BoundedCache<>(262_144);
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile SignedTreeHead head;
    /** No new publishes once set; queued ones still commit. */
    private volatile boolean closed;
    /** The database is released: nothing reads or writes any more. */
    private volatile boolean released;
    /** Every use of the native handles holds this shared; releasing them takes it exclusively, so no
     * reader or writer can touch a closed database (which would crash the JVM, not throw). */
    private final java.util.concurrent.locks.ReentrantReadWriteLock store = new java.util.concurrent.locks.ReentrantReadWriteLock();

    /** Objects checked by their publisher, waiting for the writer. */
    private record Pending(List<LedgerObject> objects, CompletableFuture<long[]> done) {}

    private EmbeddedLedger(Path dir, Clock clock) throws RocksDBException {
        this.dir = dir;
        this.clock = clock;
        this.headKey = loadOrCreateKey(dir.resolve(KEY_FILE));
        this.cfOptions = new ColumnFamilyOptions();
        this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        List<ColumnFamilyDescriptor> cfs = new ArrayList<>();
        for (String name : new String[] {"default", "log", "nodes", "ids", "to", "from", "commits", "revoked", "names",
                "meta"}) {
            cfs.add(new ColumnFamilyDescriptor(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII), cfOptions));
        }
        this.handles = new ArrayList<>();
        try {
            this.db = RocksDB.open(dbOptions, dir.resolve("db").toString(), cfs, handles);
        } catch (RocksDBException e) {
            cfOptions.close();
            dbOptions.close();
            throw e;
        }
        this.log = handles.get(1);
        this.nodes = handles.get(2);
        this.ids = handles.get(3);
        this.to = handles.get(4);
        this.from = handles.get(5);
        this.commits = handles.get(6);
        this.revoked = handles.get(7);
        this.names = handles.get(8);
        this.meta = handles.get(9);
        this.syncWrite = new WriteOptions().setSync(true);
        try {
            this.head = readHead();
        } catch (RocksDBException | RuntimeException e) {
            // A head that cannot be read or does not verify (TAMPERED): release the store, or its lock
            // stays held and every later open in this process reads "in use".
            releaseStore();
            throw e;
        }
        this.writer = new Thread(this::writeLoop, "wave-ledger-writer " + dir);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Opens (creating when absent) the ledger under {@code dir}.
     *
     * @throws WaveException UNAVAILABLE when another process holds it, IO_ERROR when the files cannot be
     *     read or written, TAMPERED when the stored head is not signed by the key beside it
     */
    public static EmbeddedLedger open(Path dir, Clock clock) {
        try {
            Files.createDirectories(dir);
            return new EmbeddedLedger(dir, clock);
        } catch (RocksDBException e) {
            String msg = String.valueOf(e.getMessage());
            // RocksDB's two "lock is held" errors (another process; this process). Not any message with
            // "lock" in it: a damaged store says "block checksum mismatch", and retrying cannot fix that.
            if (msg.contains("While lock file") || msg.contains("lock hold by current process")) {
                throw new WaveException(ErrorCode.UNAVAILABLE, "the ledger at " + dir + " is in use by another process"
                        + " (an agent or a ledger server holds it: go through it with --agent URL or --ledger http://HOST:PORT)");
            }
            throw new WaveException(ErrorCode.IO_ERROR, "cannot open the ledger at " + dir + ": " + msg);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot create " + dir + ": " + e.getMessage());
        }
    }

    private static SigningKey loadOrCreateKey(Path file) {
        try {
            if (Files.exists(file)) {
                return SigningKey.fromSeed(Files.readAllBytes(file));
            }
            SigningKey k = SigningKey.generate(new SecureRandom());
            Path tmp = Files.createTempFile(file.getParent(), ".key-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, k.seed(), StandardOpenOption.WRITE);
            try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file);
            // The rename is durable only once the directory is: a power loss must not lose the key.
            try (var dirChannel = java.nio.channels.FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dirChannel.force(true);
            }
            return k;
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot read or create the ledger key " + file + ": " + e.getMessage());
        }
    }

    private SignedTreeHead readHead() throws RocksDBException {
        byte[] h = db.get(meta, META_HEAD);
        if (h == null) {
            return SignedTreeHead.sign(0, clock.millis(), Merkle.emptyRoot(), headKey);
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        long size = b.getLong();
        long ts = b.getLong();
        byte[] root = new byte[32];
        b.get(root);
        byte[] sig = new byte[64];
        b.get(sig);
        return new SignedTreeHead(size, ts, root, sig).verify(headKey.verifyingKey());
    }

    private static byte[] encodeHead(SignedTreeHead h) {
        return ByteBuffer.allocate(16 + 32 + 64).putLong(h.size()).putLong(h.timestamp()).put(h.root())
                .put(h.signature()).array();
    }

    // ---------------------------------------------------------------- publishing

    @Override
    public Receipt publish(ObjectKind kind, byte[] der) {
        return publishAll(List.of(new Publication(kind, der))).get(0);
    }

    @Override
    public List<Receipt> publishAll(List<Publication> objects) {
        if (closed) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "the ledger at " + dir + " is closed");
        }
        if (objects.isEmpty()) {
            return List.of();
        }
        if (objects.size() > MAX_GROUP) {
            throw WaveException.tooLarge("at most " + MAX_GROUP + " objects per publish");
        }
        List<LedgerObject> checked = check(objects);
        CompletableFuture<long[]> done = new CompletableFuture<>();
        Pending pending = new Pending(checked, done);
        queue.add(pending);
        if (closed && !writer.isAlive() && queue.remove(pending)) {
            // close() ran between our check and our enqueue, and its writer is gone: nobody will commit this.
            throw new WaveException(ErrorCode.UNAVAILABLE, "the ledger at " + dir + " is closed");
        }
        long[] indices;
        try {
            indices = done.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof WaveException we) {
                throw we;
            }
            throw new WaveException(ErrorCode.IO_ERROR, "ledger write failed: " + c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "the ledger did not commit within " + WRITE_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaveException(ErrorCode.UNAVAILABLE, "interrupted while publishing");
        }
        SignedTreeHead h = head;
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, checked.size());
        if (checked.size() >= PARALLEL_CHECK_THRESHOLD) {
            range = range.parallel();
        }
        return range.mapToObj(i -> {
            LedgerObject o = checked.get(i);
            return new Receipt(o.id(), o.kind(), indices[i], "embedded:" + dir + "#" + indices[i], h,
                    inclusion(indices[i], h.size()));
        }).toList();
    }

    /** Batches at least this large have their signatures checked on all cores. */
    static final int PARALLEL_CHECK_THRESHOLD = 16;

    /**
     * Verifies each object against the ledger plus the objects before it in the same call. A large batch
     * with no revocation in it is checked in parallel: its attestations may name entities published in
     * the same batch, which are bound by their id hash for the lookup, and whose own self-signatures are
     * checked in the same pass (a bad one refuses the whole batch, so nothing relies on it).
     */
    private List<LedgerObject> check(List<Publication> objects) {
        boolean parallel = objects.size() >= PARALLEL_CHECK_THRESHOLD
                && objects.stream().noneMatch(p -> p.kind() == ObjectKind.REVOCATION);
        if (parallel) {
            Map<EntityId, Entity> batchEntities = new HashMap<>();
            for (Publication p : objects) {
                if (p.kind() == ObjectKind.ENTITY) {
                    UnverifiedEntity ue = UnverifiedEntity.decode(p.der());
                    batchEntities.put(ue.id(), ue.bindTo(ue.id()));
                }
            }
            return objects.parallelStream()
                    .map(p -> LedgerObjects.check(p.kind(), p.der(),
                            id -> batchEntities.containsKey(id) ? Optional.of(batchEntities.get(id)) : entity(id),
                            this::hasCommitment))
                    .toList();
        }
        Map<EntityId, Entity> local = new HashMap<>();
        Set<RevocationCommitment> localCommitments = new HashSet<>();
        List<LedgerObject> out = new ArrayList<>(objects.size());
        for (Publication p : objects) {
            LedgerObject o = LedgerObjects.check(p.kind(), p.der(),
                    id -> local.containsKey(id) ? Optional.of(local.get(id)) : entity(id),
                    c -> localCommitments.contains(c) || hasCommitment(c));
            if (o instanceof LedgerObject.EntityObject eo) {
                local.put(eo.entity().id(), eo.entity());
            }
            if (o.commitment() != null) {
                localCommitments.add(o.commitment());
            }
            out.add(o);
        }
        return out;
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.clear();
                group.add(first);
                int count = first.objects().size();
                Pending next;
                while (count < MAX_GROUP && (next = queue.peek()) != null && count + next.objects().size() <= MAX_GROUP) {
                    group.add(queue.poll());
                    count += next.objects().size();
                }
                commit(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | RocksDBException e) {
                for (Pending p : group) {
                    p.done().completeExceptionally(e);
                }
            }
        }
    }

    /** One synced write for a whole group: entries, Merkle nodes, indexes, size and tree head. */
    private void commit(List<Pending> group) throws RocksDBException {
        long size = head.size();
        Map<Long, byte[]> newNodes = new HashMap<>();
        Map<Hash, Long> newIds = new HashMap<>();
        Merkle.NodeSource overlay = (level, index) -> {
            byte[] h = newNodes.get(nodeKey(level, index));
            return h != null ? h : node(level, index);
        };
        try (WriteBatch batch = new WriteBatch()) {
            List<long[]> results = new ArrayList<>(group.size());
            for (Pending p : group) {
                long[] indices = new long[p.objects().size()];
                for (int i = 0; i < indices.length; i++) {
                    LedgerObject o = p.objects().get(i);
                    Long existing = newIds.get(o.id());
                    if (existing == null) {
                        existing = indexOf(o.id());
                    }
                    if (existing != null) {
                        indices[i] = existing;
                        continue;
                    }
                    long idx = size++;
                    indices[i] = idx;
                    newIds.put(o.id(), idx);
                    byte[] leaf = leafData(o);
                    batch.put(log, Keys.index(idx), leaf);
                    for (Merkle.Node n : Merkle.nodesCompletedBy(idx, Merkle.leafHash(leaf), overlay)) {
                        newNodes.put(nodeKey(n.level(), n.index()), n.hash());
                        batch.put(nodes, Keys.node(n.level(), n.index()), n.hash());
                    }
                    batch.put(ids, Keys.id(o.id()), Keys.index(idx));
                    indexKeys(batch, o, idx);
                }
                results.add(indices);
            }
            SignedTreeHead newHead = head;
            if (size != head.size()) {
                newHead = SignedTreeHead.sign(size, clock.millis(), Merkle.root(overlay, size), headKey);
                batch.put(meta, META_HEAD, encodeHead(newHead));
                store.readLock().lock();
                try {
                    ensureOpen();
                    db.write(syncWrite, batch);
                } finally {
                    store.readLock().unlock();
                }
            }
            head = newHead;
            newNodes.forEach(nodeCache::put);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(results.get(i));
            }
        }
    }

    /** Levels stay below 64 and indices below 2^56 in any real log, so one long keys the overlay. */
    private static long nodeKey(int level, long index) {
        return ((long) level << 56) | index;
    }

    private static byte[] leafData(LedgerObject o) {
        byte[] der = o.der();
        byte[] out = new byte[der.length + 1];
        out[0] = (byte) o.kind().code();
        System.arraycopy(der, 0, out, 1, der.length);
        return out;
    }

    private void indexKeys(WriteBatch batch, LedgerObject o, long idx) throws RocksDBException {
        byte[] empty = new byte[0];
        if (o.commitment() != null) {
            byte[] key = Keys.commitment(o.commitment());
            batch.put(commits, key, Keys.index(idx));
        }
        if (o instanceof LedgerObject.AttestationObject ao) {
            batch.put(to, Keys.posting(ao.grant().subject(), idx), empty);
            batch.put(from, Keys.posting(ao.grant().attester(), idx), empty);
            grants.put(ao.grant());
        } else if (o instanceof LedgerObject.NameObject no) {
            batch.put(names, Keys.name(no.name().body().name(), idx), empty);
        } else if (o instanceof LedgerObject.RevocationObject ro) {
            batch.put(revoked, Keys.commitment(ro.revocation().commitment()), Keys.index(idx));
        }
    }

    // ---------------------------------------------------------------- reading

    private byte[] get(ColumnFamilyHandle cf, byte[] key) {
        store.readLock().lock();
        try {
            ensureOpen();
            return db.get(cf, key);
        } catch (RocksDBException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "ledger read failed: " + e.getMessage());
        } finally {
            store.readLock().unlock();
        }
    }

    private byte[] node(int level, long index) {
        long key = nodeKey(level, index);
        byte[] h = nodeCache.get(key);
        if (h == null) {
            h = get(nodes, Keys.node(level, index));
            if (h == null) {
                throw new WaveException(ErrorCode.TAMPERED, "the ledger's Merkle node " + level + "/" + index + " is missing");
            }
            nodeCache.put(key, h);
        }
        // Proofs hand these arrays to callers: never let one alias the cache.
        return h.clone();
    }

    private Long indexOf(Hash id) {
        byte[] v = get(ids, Keys.id(id));
        return v == null ? null : Keys.index(v, 0);
    }

    private boolean hasCommitment(RevocationCommitment c) {
        return get(commits, Keys.commitment(c)) != null;
    }

    /** The entry at {@code index}. */
    public Optional<LedgerEntry> entry(long index) {
        byte[] leaf = get(log, Keys.index(index));
        return leaf == null ? Optional.empty() : Optional.of(LedgerEntry.fromLeafData(index, leaf));
    }

    @Override
    public Optional<LedgerEntry> find(Hash id) {
        Long idx = indexOf(id);
        return idx == null ? Optional.empty() : entry(idx);
    }

    @Override
    public Optional<Entity> entity(EntityId id) {
        Entity cached = entities.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Long idx = indexOf(id.hash());
        if (idx == null) {
            return Optional.empty();
        }
        byte[] leaf = get(log, Keys.index(idx));
        if (leaf == null || leaf[0] != ObjectKind.ENTITY.code()) {
            return Optional.empty();
        }
        Entity e = UnverifiedEntity.decode(Arrays.copyOfRange(leaf, 1, leaf.length)).bindTo(id);
        entities.put(id, e);
        return Optional.of(e);
    }

    @Override
    public List<Grant> grantsTo(EntityId subject) {
        return grantsAt(to, subject);
    }

    @Override
    public List<Grant> grantsFrom(EntityId attester) {
        return grantsAt(from, attester);
    }

    private List<Grant> grantsAt(ColumnFamilyHandle cf, EntityId who) {
        ensureOpen();
        byte[] prefix = Keys.prefix(who);
        List<Grant> out = new ArrayList<>();
        store.readLock().lock();
        try (RocksIterator it = openIterator(cf)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                long idx = Keys.index(it.key(), prefix.length);
                out.add(grantAt(idx));
            }
        } finally {
            store.readLock().unlock();
        }
        return out;
    }

    /** The grant at {@code idx}: from the cache, or re-verified from disk (the disk is not trusted blindly). */
    private Grant grantAt(long idx) {
        byte[] leaf = get(log, Keys.index(idx));
        UnverifiedAttestation ua = UnverifiedAttestation.decode(Arrays.copyOfRange(leaf, 1, leaf.length));
        Grant g = grants.get(ua.id());
        if (g == null) {
            Entity attester = entity(ua.attester()).orElseThrow(() -> new WaveException(ErrorCode.TAMPERED,
                    "attestation " + ua.id() + " is stored without its attester"));
            g = Grant.of(ua.verify(attester));
            grants.put(g);
        }
        return g;
    }

    /** An iterator over {@code cf}; the caller holds the read lock. */
    private RocksIterator openIterator(ColumnFamilyHandle cf) {
        ensureOpen();
        return db.newIterator(cf);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public RevocationView.Status revocationStatus(RevocationCommitment commitment) {
        return get(revoked, Keys.commitment(commitment)) != null ? RevocationView.Status.REVOKED
                : RevocationView.Status.NOT_REVOKED;
    }

    @Override
    public List<NameDeclaration> resolve(String name) {
        ensureOpen();
        byte[] prefix = Keys.namePrefix(name);
        List<NameDeclaration> out = new ArrayList<>();
        store.readLock().lock();
        try (RocksIterator it = openIterator(names)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                long idx = Keys.index(it.key(), prefix.length);
                byte[] leaf = get(log, Keys.index(idx));
                NameDeclaration n = NameDeclaration.decode(Arrays.copyOfRange(leaf, 1, leaf.length));
                Entity attester = entity(n.attester()).orElseThrow(() -> new WaveException(ErrorCode.TAMPERED,
                        "name declaration " + n.id() + " is stored without its attester"));
                NameDeclaration v = n.verify(attester);
                if (revocationStatus(v.body().revocation()) == RevocationView.Status.NOT_REVOKED) {
                    out.add(0, v);
                }
            }
        } finally {
            store.readLock().unlock();
        }
        return out;
    }

    @Override
    public List<LedgerEntry> entries(long fromIndex, int max) {
        if (fromIndex < 0 || max < 0) {
            throw WaveException.badArgument("negative position or count");
        }
        long end = Math.min(size(), fromIndex + max);
        List<LedgerEntry> out = new ArrayList<>();
        for (long i = fromIndex; i < end; i++) {
            entry(i).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public long size() {
        return head.size();
    }

    @Override
    public SignedTreeHead head() {
        return head;
    }

    @Override
    public VerifyingKey treeHeadKey() {
        return headKey.verifyingKey();
    }

    @Override
    public Proofs.Inclusion inclusion(long index, long treeSize) {
        checkTreeSize(treeSize);
        return new Proofs.Inclusion(index, treeSize, Merkle.inclusionProof(this::node, index, treeSize));
    }

    @Override
    public Proofs.Consistency consistency(long first, long second) {
        checkTreeSize(second);
        return new Proofs.Consistency(first, second, Merkle.consistencyProof(this::node, first, second));
    }

    private void checkTreeSize(long treeSize) {
        if (treeSize > size()) {
            throw WaveException.badArgument("the ledger has " + size() + " entries, not " + treeSize);
        }
    }

    private void ensureOpen() {
        if (released) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "the ledger at " + dir + " is closed");
        }
    }

    /** Finishes queued writes, then releases the database. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(WRITE_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        WaveException gone = new WaveException(ErrorCode.UNAVAILABLE, "the ledger at " + dir + " closed before this was written");
        for (Pending p; (p = queue.poll()) != null;) {
            p.done().completeExceptionally(gone);
        }
        store.writeLock().lock();
        try {
            released = true;
            releaseStore();
        } finally {
            store.writeLock().unlock();
        }
    }

    private void releaseStore() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        syncWrite.close();
        dbOptions.close();
        cfOptions.close();
    }
}
