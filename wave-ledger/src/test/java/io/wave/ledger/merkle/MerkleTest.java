package io.wave.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The RFC 6962/9162 Merkle tree against the reference roots of the Certificate Transparency test
 * suite, and every inclusion and consistency proof of small trees against the verifiers, including
 * tampered proofs.
 */
class MerkleTest {
    private static final HexFormat HEX = HexFormat.of();
    /** The eight leaves of the CT reference tree. */
    private static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f"};
    /** Roots of the first 1..8 of those leaves. */
    private static final String[] ROOTS = {
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    /** An in-memory node store filled the way the ledger fills its own. */
    static final class Tree implements Merkle.NodeSource {
        final Map<String, byte[]> nodes = new HashMap<>();
        final List<byte[]> leafHashes = new ArrayList<>();

        void append(byte[] data) {
            byte[] lh = Merkle.leafHash(data);
            for (Merkle.Node n : Merkle.nodesCompletedBy(leafHashes.size(), lh, this)) {
                nodes.put(n.level() + "/" + n.index(), n.hash());
            }
            leafHashes.add(lh);
        }

        @Override
        public byte[] node(int level, long index) {
            byte[] h = nodes.get(level + "/" + index);
            if (h == null) {
                throw new AssertionError("missing node " + level + "/" + index);
            }
            return h;
        }

        byte[] root(long size) {
            return Merkle.root(this, size);
        }
    }

    @Test
    void roots_matchTheCertificateTransparencyReferenceTree() {
        Tree t = new Tree();
        for (int i = 0; i < LEAVES.length; i++) {
            t.append(HEX.parseHex(LEAVES[i]));
            assertEquals(ROOTS[i], HEX.formatHex(t.root(i + 1)), "root of " + (i + 1));
        }
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", HEX.formatHex(Merkle.emptyRoot()));
    }

    private static Tree tree(int n) {
        Tree t = new Tree();
        for (int i = 0; i < n; i++) {
            t.append(("leaf " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return t;
    }

    @Test
    void everyInclusionProof_verifies_andFailsWhenTampered() {
        Tree t = tree(70);
        for (int size = 1; size <= 70; size++) {
            byte[] root = t.root(size);
            for (int i = 0; i < size; i++) {
                List<byte[]> proof = Merkle.inclusionProof(t, i, size);
                byte[] leaf = t.leafHashes.get(i);
                assertTrue(Merkle.verifyInclusion(leaf, i, size, proof, root), i + " in " + size);
                assertFalse(Merkle.verifyInclusion(t.leafHashes.get((i + 1) % size), i, size, proof, root) && size > 1,
                        "another leaf at " + i + " in " + size);
                if (!proof.isEmpty()) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    byte[] h = bad.get(0).clone();
                    h[0] ^= 1;
                    bad.set(0, h);
                    assertFalse(Merkle.verifyInclusion(leaf, i, size, bad, root));
                    assertFalse(Merkle.verifyInclusion(leaf, i, size, proof.subList(0, proof.size() - 1), root));
                }
                // The (size, root) pair is what a signed tree head binds: another size's root must not pass.
                byte[] otherRoot = t.root(size == 70 ? 69 : size + 1);
                assertFalse(Merkle.verifyInclusion(leaf, i, size, proof, otherRoot));
            }
        }
    }

    @Test
    void everyConsistencyProof_verifies_andFailsForAForkedHistory() {
        Tree t = tree(40);
        Tree fork = tree(40);
        fork.leafHashes.clear();
        fork.nodes.clear();
        for (int i = 0; i < 40; i++) {
            fork.append(("leaf " + (i == 5 ? "rewritten" : i)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (int m = 0; m <= 40; m++) {
            for (int n = m; n <= 40; n++) {
                List<byte[]> proof = Merkle.consistencyProof(t, m, n);
                assertTrue(Merkle.verifyConsistency(m, n, t.root(m), t.root(n), proof), m + " -> " + n);
                if (m > 5 && n > m) {
                    // A client that kept the honest head of size m must not accept the forked head of size n.
                    List<byte[]> forked = Merkle.consistencyProof(fork, m, n);
                    assertFalse(Merkle.verifyConsistency(m, n, t.root(m), fork.root(n), forked), "fork " + m + " -> " + n);
                }
                if (!proof.isEmpty()) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    byte[] h = bad.get(bad.size() - 1).clone();
                    h[31] ^= 1;
                    bad.set(bad.size() - 1, h);
                    assertFalse(Merkle.verifyConsistency(m, n, t.root(m), t.root(n), bad), "tampered " + m + " -> " + n);
                }
            }
        }
    }

    @Test
    void verifiers_refuseMalformedProofs() {
        Tree t = tree(8);
        assertFalse(Merkle.verifyInclusion(t.leafHashes.get(0), 0, 8, List.of(new byte[31], new byte[32], new byte[32]),
                t.root(8)));
        assertFalse(Merkle.verifyInclusion(t.leafHashes.get(0), 8, 8, List.of(), t.root(8)));
        assertFalse(Merkle.verifyConsistency(4, 2, t.root(4), t.root(2), List.of()));
        assertFalse(Merkle.verifyConsistency(3, 3, t.root(3), t.root(4), List.of()));
        assertArrayEquals(t.root(5), Merkle.root(t, 5));
    }
}
