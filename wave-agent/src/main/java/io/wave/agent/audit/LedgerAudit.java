package io.wave.agent.audit;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.ledger.Ledger;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.VerifiableLedger;
import io.wave.ledger.http.HttpLedger;
import io.wave.ledger.merkle.Merkle;
import java.security.MessageDigest;
import java.util.List;

/**
 * What {@code wave ledger status} and {@code wave ledger audit} check of a ledger, one way for the CLI (on the
 * ledger it opens) and the agent (on the ledger it follows), so both give the same answers.
 */
public final class LedgerAudit {
    /** Entries read per request while recomputing the root: a ledger server serves at most 1000 a page anyway. */
    static final int PAGE = 4096;

    private LedgerAudit() {}

    /**
     * The ledger as one that keeps a Merkle log.
     *
     * @throws WaveException BAD_ARGUMENT when it keeps none (Ethereum in direct mode)
     */
    public static VerifiableLedger verifiable(Ledger l) {
        if (!(l instanceof VerifiableLedger v)) {
            throw WaveException.badArgument("this ledger keeps no Merkle log to check");
        }
        return v;
    }

    /**
     * Sends what a ledger server's client has queued (so that the head shown includes it) and says how many
     * publishes still wait for the server; null for any other ledger.
     */
    public static Integer flushQueued(Ledger l) {
        if (l instanceof HttpLedger h) {
            h.flush();
            return h.queued();
        }
        return null;
    }

    /**
     * Recomputes the Merkle root from every entry {@code head} covers.
     *
     * @throws WaveException TAMPERED when the ledger serves fewer entries than its head claims, skips one, or
     *                       its entries hash to another root
     */
    public static void recompute(VerifiableLedger v, SignedTreeHead head) {
        Merkle.RootAccumulator acc = new Merkle.RootAccumulator();
        while (acc.count() < head.size()) {
            List<LedgerEntry> page = v.entries(acc.count(), (int) Math.min(PAGE, head.size() - acc.count()));
            if (page.isEmpty()) {
                throw new WaveException(ErrorCode.TAMPERED, "the ledger claims " + head.size()
                        + " entries but serves only " + acc.count());
            }
            for (LedgerEntry e : page) {
                if (e.index() != acc.count()) {
                    throw new WaveException(ErrorCode.TAMPERED, "entry " + acc.count() + " is missing");
                }
                acc.add(Merkle.leafHash(e.leafData()));
            }
        }
        if (!MessageDigest.isEqual(acc.root(), head.root())) {
            throw new WaveException(ErrorCode.TAMPERED, "the entries hash to a root other than the signed head's");
        }
    }
}
