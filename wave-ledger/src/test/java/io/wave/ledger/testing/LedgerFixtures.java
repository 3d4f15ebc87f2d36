package io.wave.ledger.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.RevocationSecret;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.objects.Revocation;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Receipt;
import io.wave.ledger.VerifiableLedger;
import io.wave.ledger.merkle.Merkle;
import io.wave.policy.testing.GrantBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Publications, a fixed clock and Merkle checks shared by the ledger tests. */
public final class LedgerFixtures {
    /** Tests and golden grants treat {@link GrantBuilder#NOW} as now; so does every ledger a test opens. */
    public static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(GrantBuilder.NOW), ZoneOffset.UTC);

    private LedgerFixtures() {}

    public static Publication entity(Entity e) {
        return new Publication(ObjectKind.ENTITY, e.encoded());
    }

    public static Publication attestation(Attestation a) {
        return new Publication(ObjectKind.ATTESTATION, a.encoded());
    }

    public static Publication name(NameDeclaration n) {
        return new Publication(ObjectKind.NAME, n.encoded());
    }

    public static Publication revocation(RevocationSecret s) {
        return new Publication(ObjectKind.REVOCATION, new Revocation(s).encode());
    }

    /**
     * The RFC 9162 root of {@code entries}' leaf data, computed from scratch by the recursive definition
     * (MTH) rather than the incremental node store the ledger keeps, so the two are independent witnesses.
     */
    public static byte[] rootOf(List<LedgerEntry> entries) {
        List<byte[]> leaves = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(i, entries.get(i).index(), "entries are consecutive from 0");
            leaves.add(Merkle.leafHash(entries.get(i).leafData()));
        }
        return leaves.isEmpty() ? Merkle.emptyRoot() : mth(leaves, 0, leaves.size());
    }

    private static byte[] mth(List<byte[]> leaves, int a, int b) {
        if (b - a == 1) {
            return leaves.get(a);
        }
        int k = Integer.highestOneBit(b - a - 1);
        return Merkle.nodeHash(mth(leaves, a, a + k), mth(leaves, a + k, b));
    }

    /**
     * The receipt is what a publisher can check without trusting the ledger: its head is signed by the
     * ledger's key and its inclusion proof puts the stored entry under that head.
     */
    public static void assertReceiptHolds(VerifiableLedger ledger, Receipt r) {
        r.head().verify(ledger.treeHeadKey());
        LedgerEntry stored = ledger.find(r.id()).orElseThrow(() -> new AssertionError(r.id() + " is not on the ledger"));
        assertEquals(r.index(), stored.index(), "the receipt's position is where the object is stored");
        assertTrue(r.inclusion().verify(stored, r.head()), "inclusion proof of " + r.id() + " at " + r.index()
                + " under head of size " + r.head().size());
    }
}
