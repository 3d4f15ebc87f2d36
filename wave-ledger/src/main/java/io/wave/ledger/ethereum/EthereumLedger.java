package io.wave.ledger.ethereum;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.ledger.Ledger;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.LedgerObject;
import io.wave.ledger.LedgerObjects;
import io.wave.ledger.MemoryIndex;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Receipt;
import io.wave.ledger.ethereum.internal.Chain;
import io.wave.ledger.ethereum.internal.Registry;
import io.wave.policy.Grant;
import io.wave.policy.RevocationView;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The ledger kept on an Ethereum chain in direct mode: every object's leaf data goes on chain as a
 * {@code Published} event of the registry contract, several per transaction, and the index is rebuilt
 * from those events alone, so any agent that knows the node's URL and the registry's address sees the
 * same ledger.
 *
 * <p>Trust: the registry accepts anything from anyone. A reader therefore puts every event through
 * {@link LedgerObjects#check} (by way of {@link MemoryIndex}) in chain order and skips, and counts, what
 * fails: garbage, forged signatures, attestations whose attester is not on the ledger, revocations that
 * open nothing. A publisher checks the same before it pays for a transaction.
 *
 * <p>Chain reorganisations: the reader takes blocks only once {@code confirmations} more are mined on top,
 * and remembers the hash of the last block it read and of every block that added objects. When the last
 * one's hash changes (a block's hash commits to all its ancestors, so any change at or below it shows
 * there), it walks back to the newest remembered block still on the chain, truncates the index to what it
 * held after that block, and reads forward again.
 *
 * <p>Positions ({@link LedgerEntry#index()}) count verified objects in chain order; receipts name the
 * block and transaction ({@code eth:block=N,tx=0x...}) and carry no tree head. Thread-safe; every failure
 * to reach the node is {@link ErrorCode#UNAVAILABLE}.
 */
public final class EthereumLedger implements Ledger {
    /** Many public nodes refuse eth_getLogs over wider block ranges. */
    static final int MAX_BLOCKS_PER_QUERY = 2_000;
    /** Reads in a row that the chain changed under before giving up: a node flapping between forks. */
    static final int MAX_SYNC_ATTEMPTS = 5;
    /** Blocks remembered for finding where a reorganisation forked; one deeper than all of them rebuilds the
     * index from the registry's first block, which is slow but right. */
    static final int MAX_CHECKPOINTS = 100_000;
    /** Objects in one {@link #publishAll}: its checks run under the ledger's lock. */
    public static final int MAX_PUBLICATIONS = 10_000;

    private final EthereumConfig config;
    private final Chain chain;
    private final Registry registry;
    private final MemoryIndex index = new MemoryIndex();
    /** Per index position: where on chain the object is, and the commitment it carries. */
    private final List<Placed> placed = new ArrayList<>();
    /** Every commitment an object on the ledger carries: a revocation must open one of them. */
    private final Set<RevocationCommitment> carried = new HashSet<>();
    private final ArrayDeque<Checkpoint> checkpoints = new ArrayDeque<>();
    /** The last block read, and its hash (null before the registry's first block). */
    private long tip;
    private String tipHash;
    private long lastSync;
    private boolean synced;
    private long skipped;
    private long reorganisations;
    private Credentials credentials;
    private long chainId = -1;

    private record Placed(long block, String transaction, RevocationCommitment commitment) {
        String anchor() {
            return Registry.anchor(block, transaction);
        }
    }

    private record Checkpoint(long block, String hash, long size) {}

    /** What a reader has seen: objects indexed, the last block read, events skipped, rollbacks. */
    public record Status(long size, long block, long skippedEvents, long reorganisations) {}

    private EthereumLedger(EthereumConfig config, Chain chain, Registry registry) {
        this.config = config;
        this.chain = chain;
        this.registry = registry;
        this.tip = registry.deployedAt() - 1;
    }

    /**
     * Connects to the registry {@code config} names. Reads nothing yet: the first read or publish does.
     *
     * @throws WaveException BAD_ARGUMENT without a contract address, NOT_FOUND when no registry is there,
     *     UNAVAILABLE when the node does not answer
     */
    public static EthereumLedger open(EthereumConfig config) {
        String address = config.requireContract();
        Chain chain = Chain.connect(config.rpc(), config.timeout(), config.pollInterval());
        try {
            return new EthereumLedger(config, chain, Registry.at(chain, address));
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
    }

    public String contract() {
        return registry.address();
    }

    // ---------------------------------------------------------------- publishing

    @Override
    public Receipt publish(ObjectKind kind, byte[] der) {
        return publishAll(List.of(new Publication(kind, der))).get(0);
    }

    /**
     * Checks every object against the chain's ledger and the objects before it in the list, then sends
     * those not yet on chain, {@link EthereumConfig#batchSize()} per transaction, and returns once every
     * transaction is mined and {@link EthereumConfig#confirmations()} blocks deep. Reads go on meanwhile:
     * the ledger's lock is not held while waiting for the chain.
     *
     * <p>Nothing is sent if any object fails its check. Each transaction is atomic, the list as a whole is
     * not: if the node fails after some transactions, those may land; publishing the same list again sends
     * only what is missing.
     *
     * @throws WaveException as {@link LedgerObjects#check}; TOO_LARGE for an object that cannot fit a
     *     transaction; BAD_ARGUMENT without an account key; UNAVAILABLE when the node does not answer, a
     *     transaction fails, or a reorganisation drops an object before it is confirmed (publish again)
     */
    @Override
    public List<Receipt> publishAll(List<Publication> objects) {
        Objects.requireNonNull(objects, "objects");
        if (objects.isEmpty()) {
            return List.of();
        }
        if (objects.size() > MAX_PUBLICATIONS) {
            throw WaveException.tooLarge(objects.size() + " objects in one publish; at most " + MAX_PUBLICATIONS);
        }
        List<LedgerObject> checked = new ArrayList<>(objects.size());
        List<String> transactions = checkAndSend(objects, checked);
        long lastBlock = -1;
        for (String tx : transactions) {
            lastBlock = Math.max(lastBlock, chain.receipt(tx).getBlockNumber().longValueExact());
        }
        if (lastBlock >= 0) {
            chain.awaitBlock(lastBlock + config.confirmations());
        }
        return receipts(checked);
    }

    /** Verifies everything, against the chain's ledger and objects earlier in the call, then sends what is new. */
    private synchronized List<String> checkAndSend(List<Publication> objects, List<LedgerObject> checked) {
        Credentials from = credentials();
        syncNow();
        Map<EntityId, Entity> newEntities = new HashMap<>();
        Set<RevocationCommitment> newCommitments = new HashSet<>();
        Map<Hash, byte[]> toSend = new LinkedHashMap<>();
        for (Publication p : objects) {
            LedgerObject obj = LedgerObjects.check(p.kind(), p.der(),
                    id -> Optional.ofNullable(newEntities.get(id)).or(() -> index.entity(id)),
                    c -> newCommitments.contains(c) || carried.contains(c));
            checked.add(obj);
            if (obj instanceof LedgerObject.EntityObject eo) {
                newEntities.put(eo.entity().id(), eo.entity());
            }
            if (obj.commitment() != null) {
                newCommitments.add(obj.commitment());
            }
            if (index.find(obj.id()).isEmpty()) {
                toSend.putIfAbsent(obj.id(), new LedgerEntry(0, obj.kind(), obj.der(), obj.id()).leafData());
            }
        }
        return send(batches(new ArrayList<>(toSend.values())), from);
    }

    /** Once the transactions are confirmed: where each object now is. */
    private synchronized List<Receipt> receipts(List<LedgerObject> checked) {
        syncNow();
        List<Receipt> receipts = new ArrayList<>(checked.size());
        for (LedgerObject obj : checked) {
            LedgerEntry e = index.find(obj.id()).orElseThrow(() -> new WaveException(ErrorCode.UNAVAILABLE,
                    obj.kind() + " " + obj.id() + " was mined but is not on the chain " + chain.where()
                            + " now follows (a reorganisation dropped it); publish it again"));
            receipts.add(new Receipt(obj.id(), obj.kind(), e.index(), placed.get((int) e.index()).anchor(), null, null));
        }
        return receipts;
    }

    /** Groups leaves into transactions: at most batchSize each, and at most MAX_TRANSACTION_BYTES of them. */
    private List<List<byte[]>> batches(List<byte[]> leaves) {
        List<List<byte[]>> out = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        long bytes = 0;
        for (byte[] leaf : leaves) {
            if (leaf.length > EthereumConfig.MAX_TRANSACTION_BYTES) {
                throw WaveException.tooLarge("an object of " + leaf.length + " bytes does not fit one transaction ("
                        + EthereumConfig.MAX_TRANSACTION_BYTES + ")");
            }
            if (!current.isEmpty() && (current.size() == config.batchSize()
                    || bytes + leaf.length > EthereumConfig.MAX_TRANSACTION_BYTES)) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(leaf);
            bytes += leaf.length;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private List<String> send(List<List<byte[]>> batches, Credentials from) {
        List<String> hashes = new ArrayList<>(batches.size());
        if (batches.isEmpty()) {
            return hashes;
        }
        if (chainId < 0) {
            chainId = chain.chainId();
        }
        // One nonce lookup, then counted here: the node's pending count may lag our own back-to-back sends.
        BigInteger nonce = chain.pendingNonce(from.getAddress());
        for (List<byte[]> batch : batches) {
            hashes.add(chain.send(from, chainId, nonce, registry.address(), registry.publishCall(batch)));
            nonce = nonce.add(BigInteger.ONE);
        }
        return hashes;
    }

    private Credentials credentials() {
        if (credentials == null) {
            credentials = config.key().load();
        }
        return credentials;
    }

    // ---------------------------------------------------------------- reading

    /** Reads the chain now, whatever the staleness allowance, and says what this reader has seen. */
    public synchronized Status refresh() {
        syncNow();
        return status();
    }

    /** What this reader has seen so far, without asking the node. */
    public synchronized Status status() {
        return new Status(index.size(), tip, skipped, reorganisations);
    }

    private void fresh() {
        if (!synced || System.nanoTime() - lastSync >= config.maxStaleness().toNanos()) {
            syncNow();
        }
    }

    private void syncNow() {
        for (int attempt = 1; !trySync(); attempt++) {
            if (attempt == MAX_SYNC_ATTEMPTS) {
                throw new WaveException(ErrorCode.UNAVAILABLE, "the chain at " + chain.where() + " changed under each of "
                        + MAX_SYNC_ATTEMPTS + " reads in a row; try again");
            }
        }
        synced = true;
        lastSync = System.nanoTime();
    }

    /** Reads confirmed blocks past the tip; false when the chain changed while reading (nothing is applied). */
    private boolean trySync() {
        long latest = chain.blockNumber();
        if (tipHash != null && !chain.blockHash(tip).map(tipHash::equals).orElse(false)) {
            rollBack();
        }
        long target = latest - config.confirmations();
        while (tip < target) {
            long from = tip + 1;
            long to = Math.min(target, tip + MAX_BLOCKS_PER_QUERY);
            Optional<String> toHash = chain.blockHash(to);
            if (toHash.isEmpty()) {
                return false;
            }
            List<Log> logs = chain.logs(registry.address(), Registry.PUBLISHED_TOPIC, null, from, to);
            // Both ends unchanged after the query: the logs come from the chain we hold, extended.
            if (!chain.blockHash(to).equals(toHash)
                    || (tipHash != null && !chain.blockHash(tip).equals(Optional.of(tipHash)))) {
                return false;
            }
            if (!apply(logs, from, to, toHash.get())) {
                return false;
            }
            tip = to;
            tipHash = toHash.get();
        }
        return true;
    }

    /** Indexes the logs of blocks [from, to]; false (nothing applied) when they are not of one chain. */
    private boolean apply(List<Log> logs, long from, long to, String toHash) {
        List<Log> live = new ArrayList<>(logs.size());
        long lastBlock = from - 1;
        String lastHash = null;
        for (Log log : logs) {
            if (log.isRemoved()) {
                continue;
            }
            long block;
            String hash;
            try {
                block = log.getBlockNumber().longValueExact();
                hash = Objects.requireNonNull(log.getBlockHash()).toLowerCase(Locale.ROOT);
                Objects.requireNonNull(log.getTransactionHash());
            } catch (RuntimeException e) {
                throw new WaveException(ErrorCode.UNAVAILABLE, chain.where() + " answered eth_getLogs with a log "
                        + "that names no block or transaction");
            }
            if (block < from || block < lastBlock || block > to) {
                throw new WaveException(ErrorCode.UNAVAILABLE, chain.where() + " answered eth_getLogs " + from + ".." + to
                        + " with a log of block " + block + " out of order");
            }
            if ((block == lastBlock && !hash.equals(lastHash)) || (block == to && !hash.equals(toHash))) {
                return false;
            }
            lastBlock = block;
            lastHash = hash;
            live.add(log);
        }
        int i = 0;
        while (i < live.size()) {
            long block = live.get(i).getBlockNumber().longValueExact();
            String hash = live.get(i).getBlockHash().toLowerCase(Locale.ROOT);
            long before = index.size();
            for (; i < live.size() && live.get(i).getBlockNumber().longValueExact() == block; i++) {
                accept(live.get(i), block);
            }
            if (index.size() > before) {
                checkpoints.addLast(new Checkpoint(block, hash, index.size()));
                if (checkpoints.size() > MAX_CHECKPOINTS) {
                    checkpoints.removeFirst();
                }
            }
        }
        return true;
    }

    /** Indexes one Published event, or skips and counts it when it is not a verifiable object. */
    private void accept(Log log, long block) {
        long before = index.size();
        try {
            LedgerEntry parsed = LedgerEntry.fromLeafData(before, registry.publishedObject(log));
            LedgerEntry e = index.add(parsed.kind(), parsed.der());
            if (index.size() > before) {
                RevocationCommitment c = commitmentOf(e);
                placed.add(new Placed(block, log.getTransactionHash().toLowerCase(Locale.ROOT), c));
                if (c != null) {
                    carried.add(c);
                }
            }
        } catch (RuntimeException e) {
            // Anyone can write to the registry: whatever does not decode and verify is skipped, whatever the
            // exception a hostile encoding provokes. An object half-indexed is taken back out.
            if (index.size() > placed.size()) {
                index.truncate(placed.size());
            }
            skipped++;
        }
    }

    /**
     * The commitment an indexed object carries. {@link MemoryIndex} keeps its commitments to itself, so an
     * attestation's is read by verifying it again (its body is reachable only through verification).
     */
    private RevocationCommitment commitmentOf(LedgerEntry e) {
        byte[] der = e.der();
        return switch (e.kind()) {
            case ENTITY -> index.entity(UnverifiedEntity.decode(der).id()).orElseThrow().revocation();
            case ATTESTATION -> {
                UnverifiedAttestation ua = UnverifiedAttestation.decode(der);
                yield ua.verify(index.entity(ua.attester()).orElseThrow()).body().revocation();
            }
            case NAME -> NameDeclaration.decode(der).body().revocation();
            case REVOCATION -> null;
        };
    }

    private void rollBack() {
        reorganisations++;
        while (!checkpoints.isEmpty()) {
            Checkpoint c = checkpoints.peekLast();
            if (chain.blockHash(c.block()).equals(Optional.of(c.hash()))) {
                truncate(c.size());
                tip = c.block();
                tipHash = c.hash();
                return;
            }
            checkpoints.removeLast();
        }
        truncate(0);
        tip = registry.deployedAt() - 1;
        tipHash = null;
    }

    private void truncate(long size) {
        index.truncate(size);
        placed.subList((int) size, placed.size()).clear();
        carried.clear();
        for (Placed p : placed) {
            if (p.commitment() != null) {
                carried.add(p.commitment());
            }
        }
    }

    @Override
    public synchronized Optional<LedgerEntry> find(Hash id) {
        fresh();
        return index.find(id);
    }

    @Override
    public synchronized Optional<Entity> entity(EntityId id) {
        fresh();
        return index.entity(id);
    }

    @Override
    public synchronized List<Grant> grantsTo(EntityId subject) {
        fresh();
        return index.grantsTo(subject);
    }

    @Override
    public synchronized List<Grant> grantsFrom(EntityId attester) {
        fresh();
        return index.grantsFrom(attester);
    }

    @Override
    public synchronized RevocationView.Status revocationStatus(RevocationCommitment commitment) {
        fresh();
        return index.revocationStatus(commitment);
    }

    @Override
    public synchronized List<NameDeclaration> resolve(String name) {
        fresh();
        return index.resolve(name);
    }

    @Override
    public synchronized List<LedgerEntry> entries(long from, int max) {
        fresh();
        return index.entries(from, max);
    }

    @Override
    public synchronized long size() {
        fresh();
        return index.size();
    }

    /** Where entry {@code index} is on chain: {@code eth:block=N,tx=0x...}. */
    public synchronized Optional<String> anchorOf(long position) {
        fresh();
        return position >= 0 && position < placed.size() ? Optional.of(placed.get((int) position).anchor())
                : Optional.empty();
    }

    @Override
    public void close() {
        chain.close();
    }
}
