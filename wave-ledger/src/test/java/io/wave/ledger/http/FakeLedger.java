package io.wave.ledger.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wave.crypto.SigningKey;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.WaveException;
import io.wave.crypto.testing.DeterministicRandom;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.http.internal.Wire;
import io.wave.ledger.merkle.Merkle;
import io.wave.policy.testing.GrantBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A ledger server that lies on cue, for testing the client: the API's JSON served over the JDK's own HTTP
 * server from an in-memory log it never checks (garbage goes in as readily as objects), signed with whatever
 * key it is told. Left alone it answers honestly about what it holds (key, head, proofs, objects, entries);
 * a test replaces any route's answer with {@link #on}.
 */
final class FakeLedger implements AutoCloseable {
    /** Tree heads carry this time: {@link GrantBuilder#NOW}. */
    static final long TIMESTAMP = GrantBuilder.NOW * 1000;

    /** An answer as bytes on the wire. */
    record Reply(int status, String contentType, byte[] body) {
        static Reply text(int status, String text) {
            return new Reply(status, "text/html", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final ObjectMapper json = Wire.mapper(true);
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Function<String, Object>> overrides = new ConcurrentHashMap<>();
    /** Released on close: handlers told to hang wait on it. */
    private final CountDownLatch closing = new CountDownLatch(1);
    /** Leaf data: kind code then DER (or whatever garbage a test puts there). */
    private final List<byte[]> leaves = new ArrayList<>();
    private volatile SigningKey key;

    FakeLedger(String keyLabel) {
        signWith(keyLabel);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on, heads are signed (and {@code /v1/key} answered) with the key named {@code label}. */
    void signWith(String label) {
        key = SigningKey.generate(new DeterministicRandom("wave.test.fake-ledger/" + label));
    }

    VerifyingKey key() {
        return key.verifyingKey();
    }

    synchronized void append(ObjectKind kind, byte[] der) {
        byte[] leaf = new byte[der.length + 1];
        leaf[0] = (byte) kind.code();
        System.arraycopy(der, 0, leaf, 1, der.length);
        leaves.add(leaf);
    }

    /** Forgets the whole log: what a server rewriting its history does before appending another. */
    synchronized void clear() {
        leaves.clear();
    }

    synchronized int size() {
        return leaves.size();
    }

    /** The head of the first {@code size} entries, signed with the current key. */
    synchronized SignedTreeHead head(int size) {
        return SignedTreeHead.sign(size, TIMESTAMP, Merkle.root(this::node, size), key);
    }

    Wire.Head wireHead() {
        return Wire.head(head(size()));
    }

    /** Entry {@code index} as served, with its true inclusion proof under the head of {@code treeSize}. */
    synchronized Wire.Entry entry(int index, int treeSize) {
        byte[] leaf = leaves.get(index);
        byte[] der = java.util.Arrays.copyOfRange(leaf, 1, leaf.length);
        String id;
        try {
            id = LedgerEntry.fromLeafData(index, leaf).id().toString();
        } catch (WaveException garbage) {
            id = "garbage";
        }
        return new Wire.Entry(index, Wire.kind(ObjectKind.of(leaf[0])), id, Wire.base64(der),
                Wire.hashes(Merkle.inclusionProof(this::node, index, treeSize)));
    }

    Wire.Entry entry(int index) {
        return entry(index, size());
    }

    /**
     * Answers requests whose path and query start with {@code prefix} with what {@code answer} returns for
     * them: a {@link Reply}, or a value sent as JSON with status 200.
     */
    void on(String prefix, Function<String, Object> answer) {
        overrides.put(prefix, answer);
    }

    /** An answer that never comes (until the fake closes): a server that accepted the connection and went silent. */
    Object hang() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Reply.text(503, "closing");
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ serving

    private void handle(HttpExchange ex) throws IOException {
        try {
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            String uri = ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            Object answer = answer(uri);
            Reply reply = answer instanceof Reply r ? r : new Reply(200, Wire.JSON, json.writeValueAsBytes(answer));
            ex.getResponseHeaders().set("Content-Type", reply.contentType());
            ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(reply.body());
            }
        } finally {
            ex.close();
        }
    }

    private Object answer(String uri) throws IOException {
        String longest = null;
        for (String prefix : overrides.keySet()) {
            if (uri.startsWith(prefix) && (longest == null || prefix.length() > longest.length())) {
                longest = prefix;
            }
        }
        if (longest != null) {
            return overrides.get(longest).apply(uri);
        }
        return honest(uri);
    }

    private synchronized Object honest(String uri) throws IOException {
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        if (path.equals("/v1/key")) {
            return new Wire.Key("Ed25519", Wire.base64(key.verifyingKey().encoded()));
        }
        if (path.equals("/v1/head")) {
            return wireHead();
        }
        if (path.equals("/v1/proofs/consistency")) {
            int first = query(uri, "first");
            int second = query(uri, "second");
            if (second > leaves.size()) {
                return error(400, "BAD_ARGUMENT", "no such size");
            }
            return new Wire.ConsistencyAnswer(first, second, Wire.hashes(Merkle.consistencyProof(this::node, first, second)));
        }
        if (path.startsWith("/v1/objects/")) {
            String id = path.substring("/v1/objects/".length());
            for (int i = 0; i < leaves.size(); i++) {
                if (entry(i).id().equals(id)) {
                    return new Wire.EntryAnswer(wireHead(), entry(i));
                }
            }
            return error(404, "NOT_FOUND", "no object " + id);
        }
        if (path.equals("/v1/entries")) {
            int from = query(uri, "from");
            int max = query(uri, "max");
            List<Wire.Entry> out = new ArrayList<>();
            for (int i = from; i < Math.min(leaves.size(), from + max); i++) {
                out.add(entry(i));
            }
            return new Wire.EntriesAnswer(wireHead(), out);
        }
        return error(404, "NOT_FOUND", "the fake does not serve " + path);
    }

    private Reply error(int status, String code, String message) throws IOException {
        return new Reply(status, Wire.JSON, json.writeValueAsBytes(new Wire.Error(code, message)));
    }

    private static int query(String uri, String name) {
        for (String kv : uri.substring(uri.indexOf('?') + 1).split("&")) {
            if (kv.startsWith(name + "=")) {
                return Integer.parseInt(kv.substring(name.length() + 1));
            }
        }
        throw new IllegalArgumentException("no " + name + " in " + uri);
    }

    /** The hash of the perfect subtree {@code index} at {@code level}, from the leaves (no stored nodes). */
    private byte[] node(int level, long index) {
        long from = index << level;
        return mth(from, from + (1L << level));
    }

    private byte[] mth(long a, long b) {
        if (b - a == 1) {
            return Merkle.leafHash(leaves.get((int) a));
        }
        long k = Long.highestOneBit(b - a - 1);
        return Merkle.nodeHash(mth(a, a + k), mth(a + k, b));
    }
}
