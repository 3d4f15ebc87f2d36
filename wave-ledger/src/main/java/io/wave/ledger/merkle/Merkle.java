package io.wave.ledger.merkle;

import io.wave.crypto.WaveException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0), section 2.1, with SHA-256: leaf hashes
 * {@code H(0x00 || data)}, interior nodes {@code H(0x01 || left || right)}, the empty tree
 * {@code H("")}; inclusion and consistency proofs built (section 2.1.3.1, 2.1.4.1) over a
 * {@link NodeSource} of perfect-subtree hashes, and verified (section 2.1.3.2, 2.1.4.2) by clients that
 * hold nothing but a tree head. Pure: no I/O.
 */
public final class Merkle {
    public static final int HASH_LENGTH = 32;
    /** A proof for a tree of 2^63 leaves has 63 hashes; more is garbage. */
    public static final int MAX_PROOF_HASHES = 64;

    private Merkle() {}

    /** Hashes of complete (perfect, aligned) subtrees: {@code node(level, index)} covers leaves
     * {@code [index << level, (index + 1) << level)}. */
    @FunctionalInterface
    public interface NodeSource {
        byte[] node(int level, long index);
    }

    public static byte[] leafHash(byte[] data) {
        MessageDigest d = sha256();
        d.update((byte) 0x00);
        d.update(data);
        return d.digest();
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update((byte) 0x01);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /** The root of the first {@code size} leaves. */
    public static byte[] root(NodeSource nodes, long size) {
        return size == 0 ? emptyRoot() : hash(nodes, 0, size);
    }

    /** MTH of leaves [a, b), a &lt; b, built from aligned perfect subtrees. */
    static byte[] hash(NodeSource nodes, long a, long b) {
        long n = b - a;
        if (Long.bitCount(n) == 1 && a % n == 0) {
            return nodes.node(Long.numberOfTrailingZeros(n), a / n);
        }
        long k = largestPowerOfTwoBelow(n);
        return nodeHash(hash(nodes, a, a + k), hash(nodes, a + k, b));
    }

    /** PATH(m, D[n]): the audit path of leaf {@code index} in the tree of {@code size} leaves. */
    public static List<byte[]> inclusionProof(NodeSource nodes, long index, long size) {
        if (index < 0 || index >= size) {
            throw WaveException.badArgument("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> out = new ArrayList<>();
        path(nodes, index, 0, size, out);
        return out;
    }

    private static void path(NodeSource nodes, long m, long a, long b, List<byte[]> out) {
        long n = b - a;
        if (n == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(nodes, m, a, a + k, out);
            out.add(hash(nodes, a + k, b));
        } else {
            path(nodes, m - k, a + k, b, out);
            out.add(hash(nodes, a, a + k));
        }
    }

    /** PROOF(m, D[n]): that the tree of {@code first} leaves is a prefix of the tree of {@code second}. */
    public static List<byte[]> consistencyProof(NodeSource nodes, long first, long second) {
        if (first < 0 || first > second) {
            throw WaveException.badArgument("no consistency proof from " + first + " to " + second);
        }
        List<byte[]> out = new ArrayList<>();
        if (first == 0 || first == second) {
            return out;
        }
        subproof(nodes, first, 0, second, true, out);
        return out;
    }

    private static void subproof(NodeSource nodes, long m, long a, long b, boolean whole, List<byte[]> out) {
        long n = b - a;
        if (m == n) {
            if (!whole) {
                out.add(hash(nodes, a, b));
            }
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(nodes, m, a, a + k, whole, out);
            out.add(hash(nodes, a + k, b));
        } else {
            subproof(nodes, m - k, a + k, b, false, out);
            out.add(hash(nodes, a, a + k));
        }
    }

    /** RFC 9162 2.1.3.2: does {@code proof} show {@code leafHash} at {@code index} under {@code root}? */
    public static boolean verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size || proof.size() > MAX_PROOF_HASHES || !wellFormed(proof)) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /** RFC 9162 2.1.4.2: does {@code proof} show the tree ({@code first}, {@code firstRoot}) is a prefix of
     * ({@code second}, {@code secondRoot})? */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
            List<byte[]> proof) {
        if (first < 0 || first > second || proof.size() > MAX_PROOF_HASHES || !wellFormed(proof)) {
            return false;
        }
        if (first == 0) {
            return proof.isEmpty();
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstRoot);
        }
        if (path.isEmpty()) {
            return false;
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    private static boolean wellFormed(List<byte[]> proof) {
        for (byte[] p : proof) {
            if (p == null || p.length != HASH_LENGTH) {
                return false;
            }
        }
        return true;
    }

    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    /**
     * Computes the root of a log from its leaf hashes in one pass, keeping only the roots of the perfect
     * subtrees on the right edge (at most 64): for auditing a whole log without its stored nodes.
     */
    public static final class RootAccumulator {
        private final byte[][] stack = new byte[64][];
        private final int[] levels = new int[64];
        private int depth;
        private long count;

        public void add(byte[] leafHash) {
            byte[] h = leafHash;
            int level = 0;
            while (depth > 0 && levels[depth - 1] == level) {
                h = nodeHash(stack[--depth], h);
                level++;
            }
            stack[depth] = h;
            levels[depth++] = level;
            count++;
        }

        public long count() {
            return count;
        }

        public byte[] root() {
            if (depth == 0) {
                return emptyRoot();
            }
            byte[] h = stack[depth - 1];
            for (int i = depth - 2; i >= 0; i--) {
                h = nodeHash(stack[i], h);
            }
            return h;
        }
    }

    /** A stored perfect-subtree hash. */
    public record Node(int level, long index, byte[] hash) {}

    /**
     * The perfect-subtree nodes completed by appending leaf {@code index} with hash {@code leafHash}:
     * {@code (0, index)}, then each parent whose right child that completes, lowest first. Siblings are
     * read from {@code stored}.
     */
    public static List<Node> nodesCompletedBy(long index, byte[] leafHash, NodeSource stored) {
        List<Node> out = new ArrayList<>();
        out.add(new Node(0, index, leafHash));
        byte[] h = leafHash;
        long i = index;
        int level = 0;
        while ((i & 1) == 1) {
            h = nodeHash(stored.node(level, i - 1), h);
            level++;
            i >>= 1;
            out.add(new Node(level, i, h));
        }
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
