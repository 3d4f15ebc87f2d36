package io.wave.ledger.ethereum;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.WaveException;
import io.wave.ledger.Proofs;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.VerifiableLedger;
import io.wave.ledger.ethereum.internal.Chain;
import io.wave.ledger.ethereum.internal.Registry;
import io.wave.ledger.ethereum.internal.WaveRegistry;
import io.wave.ledger.merkle.Merkle;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Anchored mode: the objects live in a Merkle log (embedded or server) and only its signed tree heads go
 * on chain, one per batch of objects, as {@code Anchored} events of the registry indexed by the log's
 * Ed25519 key. A head costs the same whatever the batch, so a batch of 1,000 objects costs each a few gas.
 *
 * <p>What it buys: once a head is on chain the log cannot rewrite, fork or roll back what the head covers
 * without every client noticing. {@link #audit} checks a log against every head it anchored: each must be
 * a prefix of the log's current tree, by a consistency proof. Anyone may anchor anything, so heads whose
 * signature does not verify under the log's key are skipped and counted; a validly signed head that the
 * log cannot extend is proof of a fork, reported as {@link ErrorCode#TAMPERED}.
 */
public final class TreeHeadAnchor implements AutoCloseable {
    /** Heads read for one log: a log anchoring every second for ten years stays far below. */
    public static final int MAX_HEADS = 1_000_000;

    private final EthereumConfig config;
    private final Chain chain;
    private final Registry registry;
    private long skipped;

    /** An audit that passed: the log's current head and the anchored heads it extends. */
    public record Audit(SignedTreeHead current, List<AnchoredHead> anchored) {
        public Audit {
            anchored = List.copyOf(anchored);
        }

        public Optional<AnchoredHead> latest() {
            return anchored.isEmpty() ? Optional.empty() : Optional.of(anchored.get(anchored.size() - 1));
        }
    }

    private TreeHeadAnchor(EthereumConfig config, Chain chain, Registry registry) {
        this.config = config;
        this.chain = chain;
        this.registry = registry;
    }

    /**
     * Connects to the registry {@code config} names.
     *
     * @throws WaveException BAD_ARGUMENT without a contract address, NOT_FOUND when no registry is there,
     *     UNAVAILABLE when the node does not answer
     */
    public static TreeHeadAnchor open(EthereumConfig config) {
        String address = config.requireContract();
        Chain chain = Chain.connect(config.rpc(), config.timeout(), config.pollInterval());
        try {
            return new TreeHeadAnchor(config, chain, Registry.at(chain, address));
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
    }

    /** Anchors {@code ledger}'s current head. */
    public AnchoredHead anchor(VerifiableLedger ledger) {
        return anchor(ledger.head(), ledger.treeHeadKey());
    }

    /**
     * Anchors {@code head} of the log whose key is {@code logKey}, once its signature is checked, and returns
     * when the transaction is mined and confirmed.
     *
     * @throws WaveException TAMPERED when {@code head} is not signed by {@code logKey}; BAD_ARGUMENT without an
     *     account key; UNAVAILABLE when the node does not answer or the transaction fails
     */
    public AnchoredHead anchor(SignedTreeHead head, VerifyingKey logKey) {
        head.verify(logKey);
        Credentials from = config.key().load();
        String data = registry.anchorCall(logKey.encoded(), head.size(), head.timestamp(), head.root(), head.signature());
        String tx = chain.send(from, chain.chainId(), chain.pendingNonce(from.getAddress()), registry.address(), data);
        TransactionReceipt r = chain.receipt(tx);
        long block = r.getBlockNumber().longValueExact();
        chain.awaitBlock(block + config.confirmations());
        return new AnchoredHead(head, block, tx.toLowerCase(Locale.ROOT));
    }

    /**
     * The heads of the log whose key is {@code logKey} anchored in blocks at least
     * {@link EthereumConfig#confirmations()} deep, in chain order, each signature checked; others are
     * skipped and counted ({@link #skippedHeads()}).
     *
     * @throws WaveException UNAVAILABLE when the node does not answer; TOO_LARGE past {@link #MAX_HEADS}
     */
    public List<AnchoredHead> anchoredHeads(VerifyingKey logKey) {
        long target = chain.blockNumber() - config.confirmations();
        String keyTopic = Registry.topic(logKey.encoded());
        List<AnchoredHead> out = new ArrayList<>();
        for (long from = registry.deployedAt(); from <= target; from += EthereumLedger.MAX_BLOCKS_PER_QUERY) {
            long to = Math.min(target, from + EthereumLedger.MAX_BLOCKS_PER_QUERY - 1);
            for (Log log : chain.logs(registry.address(), Registry.ANCHORED_TOPIC, keyTopic, from, to)) {
                if (log.isRemoved()) {
                    continue;
                }
                Optional<AnchoredHead> h = decode(log, keyTopic, logKey);
                if (h.isPresent()) {
                    if (out.size() == MAX_HEADS) {
                        throw WaveException.tooLarge("more than " + MAX_HEADS + " anchored heads for one log");
                    }
                    out.add(h.get());
                } else {
                    synchronized (this) {
                        skipped++;
                    }
                }
            }
        }
        return out;
    }

    private Optional<AnchoredHead> decode(Log log, String keyTopic, VerifyingKey logKey) {
        try {
            WaveRegistry.AnchoredEventResponse e = registry.anchored(log);
            if (!keyTopic.equalsIgnoreCase(log.getTopics().get(1))) {
                return Optional.empty();
            }
            SignedTreeHead head = new SignedTreeHead(uint64(e.size), uint64(e.timestamp), e.root, e.signature)
                    .verify(logKey);
            return Optional.of(new AnchoredHead(head, log.getBlockNumber().longValueExact(),
                    log.getTransactionHash().toLowerCase(Locale.ROOT)));
        } catch (RuntimeException e) {
            // Anyone may anchor anything under any key: what does not decode and verify is not the log's.
            return Optional.empty();
        }
    }

    private static long uint64(BigInteger v) {
        return v.longValueExact();
    }

    /** Anchored heads skipped so far because they did not decode or verify. */
    public synchronized long skippedHeads() {
        return skipped;
    }

    /**
     * Checks {@code ledger} against every head it anchored: each must be a prefix of its current tree.
     *
     * @throws WaveException TAMPERED when the ledger's own head does not verify, when it holds fewer entries
     *     than a head it anchored (rolled back), or when it is not an extension of one (forked); UNAVAILABLE
     *     when the node does not answer
     */
    public Audit audit(VerifiableLedger ledger) {
        VerifyingKey key = ledger.treeHeadKey();
        List<AnchoredHead> anchored = anchoredHeads(key);
        SignedTreeHead current = ledger.head().verify(key);
        for (AnchoredHead a : anchored) {
            SignedTreeHead h = a.head();
            if (h.size() > current.size()) {
                throw new WaveException(ErrorCode.TAMPERED, "the ledger holds " + current.size() + " entries but anchored "
                        + "a head of " + h.size() + " at " + a.anchor() + ": its history was rolled back");
            }
            if (h.size() == 0 && !MessageDigest.isEqual(h.root(), Merkle.emptyRoot())) {
                throw new WaveException(ErrorCode.TAMPERED, "the ledger signed an empty tree with a root that is not the "
                        + "empty root, anchored at " + a.anchor());
            }
            Proofs.Consistency proof = ledger.consistency(h.size(), current.size());
            if (!proof.verify(h, current)) {
                throw new WaveException(ErrorCode.TAMPERED, "the ledger's tree of " + current.size() + " entries (root "
                        + current.rootHex() + ") does not extend its head of " + h.size() + " entries (root "
                        + h.rootHex() + ") anchored at " + a.anchor() + ": its history was forked or rewritten");
            }
        }
        return new Audit(current, anchored);
    }

    @Override
    public void close() {
        chain.close();
    }
}
