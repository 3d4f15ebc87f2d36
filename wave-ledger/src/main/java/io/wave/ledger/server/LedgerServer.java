package io.wave.ledger.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.objects.Revocation;
import io.wave.ledger.Ledger.Publication;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.LedgerObjects;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Receipt;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.VerifiableLedger;
import io.wave.ledger.http.internal.Wire;
import io.wave.policy.Grant;
import io.wave.policy.RevocationView;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Serves a {@link VerifiableLedger} over HTTP, under {@code /v1}, as JSON with objects as base64 DER (see
 * {@link Wire} and docs/ledger.md for the routes). Every answer that carries objects carries the signed
 * tree head they are proven under and an inclusion proof for each, so a client checks what it is served
 * instead of trusting the server.
 *
 * <p>What enters is bounded: the body size, the objects per publish, the page of the log, the entries
 * per listing, the time a body may stall, and the publishes per client address (token buckets). Every failure
 * is one JSON body, {@code {"code": ..., "message": ...}}, with the HTTP status of its {@link ErrorCode}.
 *
 * <p><b>A revocation is never lost to rate limiting.</b> Every client on one machine shares one address, so
 * the limits are built so that no neighbour can spend a revocation's turn: a publish is read and decoded
 * before anything is charged (garbage is refused and costs no budget: it had to be read to be told apart
 * from a revocation, and refusing unread requests is what would lose one); publishes of revocations only
 * have their own bucket, which other publishes never touch; and a publish that revokes something not yet
 * revoked is taken even when that bucket is empty (each commitment can be revoked once, and only commitments
 * already on the ledger, which were charged when published: this admits no more writes than were admitted
 * before). A 429 says when to come back ({@code Retry-After}); the HTTP client queues the publish and does.
 *
 * <pre>
 * try (LedgerServer server = LedgerServer.create(ledger, c -> c.port = 7470).start()) { ... }
 * </pre>
 *
 * The server does not own the ledger: stopping it leaves the ledger open.
 */
public final class LedgerServer implements AutoCloseable {
    /** How long an answer waits for the ledger's head to cover an entry it has just read (a write in flight). */
    static final long HEAD_WAIT_MILLIS = 2_000;

    /** What a server is told before it starts. Defaults suit one machine: loopback, a free port. */
    public static final class Config {
        /** The address to listen on; loopback unless told otherwise. */
        public String host = "127.0.0.1";
        /** The port; 0 picks a free one ({@link LedgerServer#port()} tells which). */
        public int port = 0;
        public int maxBodyBytes = Wire.MAX_BODY_BYTES;
        public int maxObjectsPerPublish = Wire.MAX_PUBLISH_OBJECTS;
        /** Publishes a client address may make a second, once its burst is spent. */
        public double publishesPerSecond = 20;
        /** Publishes a client address may make at once. */
        public int publishBurst = 100;
        /**
         * Publishes of revocations only that a client address may make a second, once its burst is spent: a bucket
         * of their own. A revocation of something not yet revoked is taken even past it.
         */
        public double revocationsPerSecond = 20;
        /** Publishes of revocations only that a client address may make at once. */
        public int revocationBurst = 100;
        /** How long a connection may send nothing before it is timed out (a stalled body is answered 408). */
        public int idleTimeoutMillis = JsonHttp.IDLE_TIMEOUT_MILLIS;
        /** Times the rate limit. */
        public Clock clock = Clock.systemUTC();

        private Config() {}
    }

    private final VerifiableLedger ledger;
    private final Config config;
    private final RateLimiter publishes;
    private final RateLimiter revocations;
    private final ObjectMapper json = Wire.mapper(true);
    private final Javalin app;

    private LedgerServer(VerifiableLedger ledger, Config config) {
        this.ledger = ledger;
        this.config = config;
        this.publishes = new RateLimiter(config.publishesPerSecond, config.publishBurst, config.clock);
        this.revocations = new RateLimiter(config.revocationsPerSecond, config.revocationBurst, config.clock);
        this.app = Javalin.create(c -> {
            JsonHttp.configure(c, config.host, config.port, config.maxBodyBytes, config.idleTimeoutMillis);
            c.router.mount(r -> r
                    .post("/v1/objects", this::publish)
                    .get("/v1/objects/{id}", this::object)
                    .get("/v1/head", this::head)
                    .get("/v1/key", this::key)
                    .get("/v1/entries", this::entries)
                    .get("/v1/grants/to/{id}", this::grantsTo)
                    .get("/v1/grants/from/{id}", this::grantsFrom)
                    .get("/v1/revocations/{commitment}", this::revocation)
                    .get("/v1/names/{name}", this::names)
                    .get("/v1/proofs/inclusion", this::inclusion)
                    .get("/v1/proofs/consistency", this::consistency)
                    // Javalin answers its own HttpResponseExceptions unless that class is named: one mapper for both.
                    .exception(HttpResponseException.class, this::fail)
                    .exception(Exception.class, this::fail));
        });
    }

    /**
     * A server for {@code ledger}, configured by {@code configure}; not yet listening.
     *
     * @throws WaveException BAD_ARGUMENT for a configuration out of range
     */
    public static LedgerServer create(VerifiableLedger ledger, Consumer<Config> configure) {
        Objects.requireNonNull(ledger, "ledger");
        Config c = new Config();
        configure.accept(c);
        JsonHttp.checkListen(c.host, c.port);
        if (c.maxBodyBytes < 1024 || c.maxObjectsPerPublish < 1 || c.clock == null || c.idleTimeoutMillis < 1) {
            throw WaveException.badArgument("body limit of at least 1 KiB, at least one object per publish, a clock and "
                    + "an idle timeout");
        }
        return new LedgerServer(ledger, c);
    }

    /**
     * Starts listening.
     *
     * @throws WaveException UNAVAILABLE when the address cannot be bound (in use, not local)
     */
    public LedgerServer start() {
        JsonHttp.start(app, config.host, config.port);
        return this;
    }

    /** The port listened on: the one configured, or the one picked for port 0. */
    public int port() {
        return app.port();
    }

    /** The base URI clients are given ({@code --ledger http://HOST:PORT}). */
    public URI uri() {
        return JsonHttp.uri(config.host, port());
    }

    /** Stops listening; the ledger stays open. */
    public void stop() {
        app.stop();
    }

    @Override
    public void close() {
        stop();
    }

    // ------------------------------------------------------------------ handlers

    private void publish(Context ctx) throws IOException {
        // Read and decode before charging anything: see the class comment.
        List<Publication> pubs = publications(read(ctx, Wire.PublishRequest.class));
        charge(ctx, pubs);
        List<Receipt> receipts = ledger.publishAll(pubs);
        // One head for the answer: the newest any receipt names. Receipts under an older head are proven again.
        SignedTreeHead head = null;
        for (Receipt r : receipts) {
            if (r.head() != null && (head == null || r.head().size() > head.size())) {
                head = r.head();
            }
        }
        if (head == null) {
            head = ledger.head();
        }
        List<Wire.Written> written = new ArrayList<>(receipts.size());
        for (Receipt r : receipts) {
            List<byte[]> path = head.equals(r.head()) && r.inclusion() != null ? r.inclusion().hashes()
                    : ledger.inclusion(r.index(), head.size()).hashes();
            written.add(new Wire.Written(r.id().toString(), Wire.kind(r.kind()), r.index(), Wire.hashes(path)));
        }
        answer(ctx, new Wire.PublishAnswer(Wire.head(head), written));
    }

    /**
     * A publish body's objects, checked for what the ledger does not check itself (count, nulls, kind, base64) and
     * decoded, so that nothing is charged to a rate budget before it is known to be an object.
     */
    List<Publication> publications(Wire.PublishRequest req) {
        if (req.objects().isEmpty()) {
            throw WaveException.badArgument("nothing to publish");
        }
        if (req.objects().size() > config.maxObjectsPerPublish) {
            throw WaveException.tooLarge("at most " + config.maxObjectsPerPublish + " objects per publish, not "
                    + req.objects().size());
        }
        List<Publication> pubs = new ArrayList<>(req.objects().size());
        for (Wire.Item item : req.objects()) {
            if (item == null) {
                throw WaveException.badArgument("an object to publish is null");
            }
            Publication p = new Publication(Wire.kind(item.kind()), Wire.bytes(item.der(), "der"));
            LedgerObjects.idOf(p.kind(), p.der());
            pubs.add(p);
        }
        return pubs;
    }

    private void object(Context ctx) throws IOException {
        Hash id = Hash.parse(ctx.pathParam("id"));
        LedgerEntry e = ledger.find(id).orElseThrow(() -> new WaveException(ErrorCode.NOT_FOUND, "no object " + id));
        SignedTreeHead h = headCovering(e.index());
        answer(ctx, new Wire.EntryAnswer(Wire.head(h), entry(e, h)));
    }

    private void head(Context ctx) throws IOException {
        answer(ctx, Wire.head(ledger.head()));
    }

    private void key(Context ctx) throws IOException {
        answer(ctx, new Wire.Key("Ed25519", Wire.base64(ledger.treeHeadKey().encoded())));
    }

    /** A page of the log under the current head: exactly min(max, page, size - from) consecutive entries. */
    private void entries(Context ctx) throws IOException {
        long from = number(ctx, "from", null);
        long max = Math.min(number(ctx, "max", 100L), Wire.MAX_PAGE);
        SignedTreeHead h = ledger.head();
        int count = (int) Math.max(0, Math.min(max, h.size() - from));
        List<Wire.Entry> out = new ArrayList<>(count);
        for (LedgerEntry e : ledger.entries(from, count)) {
            out.add(entry(e, h));
        }
        answer(ctx, new Wire.EntriesAnswer(Wire.head(h), out));
    }

    private void grantsTo(Context ctx) throws IOException {
        listGrants(ctx, ledger.grantsTo(entityId(ctx)));
    }

    private void grantsFrom(Context ctx) throws IOException {
        listGrants(ctx, ledger.grantsFrom(entityId(ctx)));
    }

    private void listGrants(Context ctx, List<Grant> grants) throws IOException {
        checkListed(grants.size());
        List<Hash> ids = new ArrayList<>(grants.size());
        Map<EntityId, Boolean> attesters = new LinkedHashMap<>();
        for (Grant g : grants) {
            ids.add(g.id().hash());
            attesters.put(g.attester(), true);
        }
        listing(ctx, ids, attesters.keySet());
    }

    private void names(Context ctx) throws IOException {
        String name = ctx.pathParam("name");
        if (name.length() > io.wave.crypto.objects.Limits.MAX_NAME_CHARS || !NameDeclaration.NAME.matcher(name).matches()) {
            throw WaveException.badArgument("'" + Wire.shorten(name) + "' is not a name: dot-separated lowercase labels");
        }
        List<NameDeclaration> names = ledger.resolve(name);
        checkListed(names.size());
        List<Hash> ids = new ArrayList<>(names.size());
        Map<EntityId, Boolean> attesters = new LinkedHashMap<>();
        for (NameDeclaration n : names) {
            ids.add(n.id().hash());
            attesters.put(n.attester(), true);
        }
        listing(ctx, ids, attesters.keySet());
    }

    /** Objects and the entities that signed them, all with inclusion proofs under one head that covers them. */
    private void listing(Context ctx, List<Hash> ids, Iterable<EntityId> attesters) throws IOException {
        List<LedgerEntry> objects = new ArrayList<>(ids.size());
        List<LedgerEntry> signers = new ArrayList<>();
        long last = -1;
        for (Hash id : ids) {
            LedgerEntry e = stored(id);
            objects.add(e);
            last = Math.max(last, e.index());
        }
        for (EntityId a : attesters) {
            LedgerEntry e = stored(a.hash());
            signers.add(e);
            last = Math.max(last, e.index());
        }
        SignedTreeHead h = last < 0 ? ledger.head() : headCovering(last);
        List<Wire.Entry> o = new ArrayList<>(objects.size());
        for (LedgerEntry e : objects) {
            o.add(entry(e, h));
        }
        List<Wire.Entry> s = new ArrayList<>(signers.size());
        for (LedgerEntry e : signers) {
            s.add(entry(e, h));
        }
        answer(ctx, new Wire.Listing(Wire.head(h), o, s));
    }

    private void revocation(Context ctx) throws IOException {
        RevocationCommitment c = Wire.commitment(ctx.pathParam("commitment"));
        answer(ctx, new Wire.RevocationAnswer(Wire.commitment(c), ledger.revocationStatus(c).name()));
    }

    private void inclusion(Context ctx) throws IOException {
        var p = ledger.inclusion(number(ctx, "index", null), number(ctx, "size", null));
        answer(ctx, new Wire.InclusionAnswer(p.index(), p.treeSize(), Wire.hashes(p.hashes())));
    }

    private void consistency(Context ctx) throws IOException {
        var p = ledger.consistency(number(ctx, "first", null), number(ctx, "second", null));
        answer(ctx, new Wire.ConsistencyAnswer(p.first(), p.second(), Wire.hashes(p.hashes())));
    }

    private void fail(Exception e, Context ctx) {
        JsonHttp.fail(e, ctx, json);
    }

    /**
     * Charges a well-formed publish to its client address's bucket for its kind, or refuses it with 429 and a
     * {@code Retry-After}; a publish that revokes something not yet revoked is never refused.
     */
    private void charge(Context ctx, List<Publication> pubs) {
        boolean revoking = pubs.stream().allMatch(p -> p.kind() == ObjectKind.REVOCATION);
        RateLimiter bucket = revoking ? revocations : publishes;
        long wait = bucket.tryAcquire(ctx.ip());
        if (wait == 0 || revoking && revokesSomethingNew(pubs)) {
            return;
        }
        ctx.header("Retry-After", Long.toString(RateLimiter.retryAfterSeconds(wait)));
        throw bucket.limited(revoking ? "revocations" : "publishes", wait);
    }

    private boolean revokesSomethingNew(List<Publication> pubs) {
        for (Publication p : pubs) {
            if (ledger.revocationStatus(Revocation.decode(p.der()).commitment()) != RevocationView.Status.REVOKED) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ helpers

    private <T> T read(Context ctx, Class<T> type) throws IOException {
        return JsonHttp.read(ctx, config.maxBodyBytes, json, type);
    }

    private void answer(Context ctx, Object value) throws IOException {
        JsonHttp.answer(ctx, json, value);
    }

    private static EntityId entityId(Context ctx) {
        return EntityId.parse(ctx.pathParam("id"));
    }

    /** A non-negative decimal query parameter; {@code fallback} when absent, or required when that is null. */
    private static long number(Context ctx, String name, Long fallback) {
        String v = ctx.queryParam(name);
        if (v == null) {
            if (fallback == null) {
                throw WaveException.badArgument("query parameter '" + name + "' is required");
            }
            return fallback;
        }
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw WaveException.badArgument("query parameter '" + name + "' must be a non-negative integer, not '"
                    + Wire.shorten(v) + "'");
        }
        return Long.parseLong(v);
    }

    private static void checkListed(int n) {
        if (n > Wire.MAX_LISTED) {
            throw new WaveException(ErrorCode.LIMIT_EXCEEDED, n + " objects; an answer lists at most " + Wire.MAX_LISTED);
        }
    }

    private LedgerEntry stored(Hash id) {
        return ledger.find(id).orElseThrow(() -> new WaveException(ErrorCode.IO_ERROR,
                "the ledger's index names " + id + " but its log does not hold it"));
    }

    private Wire.Entry entry(LedgerEntry e, SignedTreeHead h) {
        return Wire.entry(e, ledger.inclusion(e.index(), h.size()).hashes());
    }

    /**
     * The current head, once it covers {@code index}. A ledger may make an entry readable a moment before
     * its head moves past it (the write is durable, the new head not yet published), so wait that moment.
     */
    private SignedTreeHead headCovering(long index) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEAD_WAIT_MILLIS);
        while (true) {
            SignedTreeHead h = ledger.head();
            if (index < h.size()) {
                return h;
            }
            if (System.nanoTime() > deadline) {
                throw new WaveException(ErrorCode.UNAVAILABLE, "the ledger's head does not yet cover entry " + index);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }
}
