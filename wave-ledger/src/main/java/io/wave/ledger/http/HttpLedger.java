package io.wave.ledger.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.LedgerObjects;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Proofs;
import io.wave.ledger.Receipt;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.VerifiableLedger;
import io.wave.ledger.http.internal.Wire;
import io.wave.policy.Grant;
import io.wave.policy.RevocationView;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A ledger server ({@code wave ledger serve}) as a {@link VerifiableLedger}, trusting nothing it is served:
 *
 * <ul>
 *   <li>the ledger's tree-head key is pinned (given, or taken on first use and kept in the state directory);
 *       every tree head must be signed by it, and must be consistent with the newest head verified before
 *       (kept in the same directory, so a rewritten or forked history is caught across runs too);</li>
 *   <li>every object comes with an inclusion proof under such a head, and is checked against it: the
 *       publisher's receipts, fetched objects, pages of the log, grants, names and their signers;</li>
 *   <li>every object is verified again here: an entity is bound to the id it was asked by, a grant or a name
 *       declaration is verified against its attester's entity (itself proven and bound by id), and each must
 *       be what was asked for (the subject, the attester, the name).</li>
 * </ul>
 *
 * A server caught failing any of that is {@code TAMPERED}, and nothing it said is used.
 *
 * <p>What a server can still do is leave things out: answer "not revoked" for a revoked commitment, or omit a
 * grant or a name from a listing, because the log proves membership, not absence. Revocation status in
 * particular is taken from the server as answered; deployments that cannot accept that run their own
 * server or the embedded ledger. (An omitted grant only makes a proof harder to find: it fails closed.)
 *
 * <p>Failures: an unreachable server or a timeout is {@code UNAVAILABLE}; too many publishes
 * {@code RATE_LIMITED}; what the server refuses keeps the server's code ({@code MALFORMED},
 * {@code BAD_SIGNATURE}, {@code NOT_FOUND}, ...). No {@code IOException} or JSON exception escapes.
 *
 * <p><b>Publishing while the server cannot take it.</b> A publish that cannot reach the server, or that the
 * server asks to be sent later (429 {@code RATE_LIMITED}, 408 {@code REQUEST_TIMEOUT}), is written to the
 * outbox in the state directory and the call throws that code, saying it was queued: a revocation is never
 * dropped because a server was busy. While this client is open it re-sends queued publishes in order in the
 * background, backing off, never sooner than a 429's {@code Retry-After}; {@link #flush()} does it on demand.
 * A later publish goes out only after every queued one (later objects may rely on earlier ones). The outbox
 * survives the process: the next client opened on the same directory sends what is left.
 *
 * <p>Thread-safe.
 */
public final class HttpLedger implements VerifiableLedger {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Entities kept after verification: they are immutable by id, and every grant read needs its attester. */
    static final int MAX_CACHED_ENTITIES = 10_000;
    static final String OUTBOX = "outbox";

    /** What a client is told before it opens. */
    public static final class Config {
        /** The ledger's tree-head key, when known out of band; null takes it from the server on first use. */
        public VerifyingKey ledgerKey;
        public Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        /** How long to wait for an answer's headers; the whole answer gets twice this. */
        public Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        /** First wait before re-sending queued publishes; doubled after each failed attempt up to {@link #retryMax}. */
        public Duration retryFirst = Duration.ofMillis(200);
        public Duration retryMax = Duration.ofSeconds(30);

        private Config() {}
    }

    private final URI base;
    private final Path stateDir;
    private final Config config;
    private final Transport transport;
    private final Trust trust;
    private final Outbox outbox;
    private final Map<EntityId, Entity> entities = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<EntityId, Entity> eldest) {
                    return size() > MAX_CACHED_ENTITIES;
                }
            });
    /** Held while sending queued publishes, and by any publish made while some are queued: keeps their order. */
    private final Object publishLock = new Object();
    private final ScheduledExecutorService retrier;
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    private volatile long retryDelayMillis;
    private volatile boolean closed;

    private HttpLedger(URI base, Path stateDir, Config config) {
        this.base = base;
        this.stateDir = stateDir;
        this.config = config;
        this.transport = new Transport(base, config.connectTimeout, config.requestTimeout);
        try {
            this.trust = new Trust(base.toString(), stateDir, config.ledgerKey, transport.json());
            this.outbox = new Outbox(stateDir.resolve(OUTBOX));
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
        this.retryDelayMillis = config.retryFirst.toMillis();
        this.retrier = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wave-ledger-outbox " + base);
            t.setDaemon(true);
            return t;
        });
        if (outbox.size() > 0) {
            scheduleRetry(retryDelayMillis);
        }
    }

    /** Opens a client of the server at {@code server}, keeping its pinned key, kept head and outbox in {@code stateDir}. */
    public static HttpLedger open(URI server, Path stateDir) {
        return open(server, stateDir, c -> {});
    }

    /**
     * Opens a client of the server at {@code server} ({@code http://HOST:PORT}), keeping its pinned key, kept
     * head and outbox in {@code stateDir}. Nothing is fetched yet.
     *
     * @throws WaveException BAD_ARGUMENT for a URI that is not {@code http(s)://HOST[:PORT]} or a given key
     *     that contradicts the pinned one; IO_ERROR when the state directory cannot be used
     */
    public static HttpLedger open(URI server, Path stateDir, Consumer<Config> configure) {
        Objects.requireNonNull(stateDir, "stateDir");
        Config c = new Config();
        configure.accept(c);
        if (c.connectTimeout == null || c.requestTimeout == null || c.retryFirst == null || c.retryMax == null
                || c.connectTimeout.isNegative() || c.connectTimeout.isZero() || c.requestTimeout.isNegative()
                || c.requestTimeout.isZero() || c.retryFirst.toMillis() < 1 || c.retryMax.compareTo(c.retryFirst) < 0) {
            throw WaveException.badArgument("timeouts must be positive and retryMax at least retryFirst");
        }
        return new HttpLedger(base(server), stateDir, c);
    }

    /** Where a client under WAVE home {@code home} keeps what it knows of {@code server}: {@code home/ledgers/HOST_PORT}. */
    public static Path stateDirectory(Path home, URI server) {
        URI b = base(server);
        return home.resolve("ledgers").resolve(b.getHost().replaceAll("[^A-Za-z0-9.-]", "_") + "_" + b.getPort());
    }

    /** {@code http(s)://HOST[:PORT][/]} with the port made explicit and no trailing slash. */
    private static URI base(URI u) {
        Objects.requireNonNull(u, "server");
        String scheme = u.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || u.getHost() == null || u.getRawUserInfo() != null
                || u.getRawQuery() != null || u.getRawFragment() != null
                || !(u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))) {
            throw WaveException.badArgument("ledger server '" + u + "' is not http://HOST:PORT");
        }
        int port = u.getPort() != -1 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        String host = u.getHost().contains(":") && !u.getHost().startsWith("[") ? "[" + u.getHost() + "]" : u.getHost();
        return URI.create(scheme + "://" + host + ":" + port);
    }

    /** The server this client talks to. */
    public URI uri() {
        return base;
    }

    /** The directory holding the pinned key, the kept head and the outbox. */
    public Path stateDirectory() {
        return stateDir;
    }

    /** The newest tree head this client (or an earlier one on the same state directory) has verified. */
    public Optional<SignedTreeHead> lastVerifiedHead() {
        return trust.kept();
    }

    // ------------------------------------------------------------------ publishing

    @Override
    public Receipt publish(ObjectKind kind, byte[] der) {
        return publishAll(List.of(new Publication(kind, der))).get(0);
    }

    /**
     * Publishes through the server and checks the receipts: signed head, consistent with the kept one, and an
     * inclusion proof for each object. Objects are decoded here first, so garbage is refused before it is
     * sent or queued.
     *
     * @throws WaveException UNAVAILABLE, RATE_LIMITED or REQUEST_TIMEOUT when the server cannot take the publish
     *     now: it was queued (the message says where) and will be sent; the server's code when it refuses;
     *     TAMPERED for a receipt that does not hold
     */
    @Override
    public List<Receipt> publishAll(List<Publication> objects) {
        ensureOpen();
        if (objects.isEmpty()) {
            return List.of();
        }
        byte[] body = request(objects);
        if (outbox.size() == 0) {
            try {
                return send(objects, body);
            } catch (WaveException e) {
                if (!isLater(e)) {
                    throw e;
                }
                throw queue(body, e);
            }
        }
        synchronized (publishLock) {
            try {
                deliverQueued();
            } catch (WaveException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                throw queue(body, e);
            }
            try {
                return send(objects, body);
            } catch (WaveException e) {
                if (!isLater(e)) {
                    throw e;
                }
                throw queue(body, e);
            }
        }
    }

    /** Publishes waiting in the outbox. */
    public int queued() {
        return outbox.size();
    }

    /**
     * Sends every queued publish now, oldest first, and checks its receipts. One the server refuses for good
     * (bad signature, missing attester) is set aside in {@code outbox/refused/} with the reason, so it never
     * blocks the rest.
     *
     * @return how many were delivered
     * @throws WaveException UNAVAILABLE or RATE_LIMITED when the server cannot take them now (the rest stay
     *     queued); TAMPERED when a receipt does not hold
     */
    public int flush() {
        ensureOpen();
        synchronized (publishLock) {
            return deliverQueued();
        }
    }

    private byte[] request(List<Publication> objects) {
        if (objects.size() > Wire.MAX_PUBLISH_OBJECTS) {
            throw WaveException.tooLarge("at most " + Wire.MAX_PUBLISH_OBJECTS + " objects per publish, not " + objects.size());
        }
        List<Wire.Item> items = new ArrayList<>(objects.size());
        for (Publication p : objects) {
            LedgerObjects.idOf(p.kind(), p.der());
            items.add(new Wire.Item(Wire.kind(p.kind()), Wire.base64(p.der())));
        }
        byte[] body;
        try {
            body = transport.json().writeValueAsBytes(new Wire.PublishRequest(items));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (body.length > Wire.MAX_BODY_BYTES) {
            throw WaveException.tooLarge("publish of " + body.length + " bytes; a server takes at most " + Wire.MAX_BODY_BYTES);
        }
        return body;
    }

    private List<Receipt> send(List<Publication> objects, byte[] body) {
        return receipts(objects, transport.post("/v1/objects", body, Wire.PublishAnswer.class));
    }

    /** Queues a publish the server could not take now; the answer keeps the reason's code and says so. */
    private WaveException queue(byte[] body, WaveException cause) {
        outbox.add(body);
        scheduleRetry(Math.max(retryDelayMillis, retryAfterMillis(cause)));
        return new WaveException(cause.code(), "the ledger at " + base + " cannot take the publish now ("
                + cause.getMessage() + "); it was queued in " + outbox.directory() + " and will be sent when the ledger "
                + "takes it", cause);
    }

    /** The server is away, asks to be sent this later (429), or timed out our body (408): queue it. */
    private static boolean isLater(WaveException e) {
        return e.code() == ErrorCode.UNAVAILABLE || e.code() == ErrorCode.RATE_LIMITED
                || e.code() == ErrorCode.REQUEST_TIMEOUT;
    }

    /** The server answers 429, 408, or 5xx, or not at all: try again later. Other refusals are final. */
    private static boolean isTransient(WaveException e) {
        return isLater(e) || e.code().httpStatus() >= 500;
    }

    /** How long the server asked to be left alone, if it did (a 429's {@code Retry-After}); else 0. */
    private static long retryAfterMillis(Throwable e) {
        for (int depth = 0; e != null && depth < 8; e = e.getCause(), depth++) {
            if (e instanceof Transport.RetryLater later) {
                return later.retryAfterMillis();
            }
        }
        return 0;
    }

    /** Caller holds publishLock. */
    private int deliverQueued() {
        int delivered = 0;
        for (Path p : outbox.pending()) {
            byte[] body = outbox.read(p);
            if (body == null) {
                continue;
            }
            List<Publication> objects;
            try {
                objects = publications(transport.json().readValue(body, Wire.PublishRequest.class));
            } catch (IOException | WaveException e) {
                outbox.refuse(p, WaveException.malformed("unreadable queued publish: " + e.getMessage()));
                continue;
            }
            Wire.PublishAnswer answer;
            try {
                answer = transport.post("/v1/objects", body, Wire.PublishAnswer.class);
            } catch (WaveException e) {
                if (isTransient(e)) {
                    throw new WaveException(e.code(), e.getMessage() + " (" + outbox.size() + " publishes still queued in "
                            + outbox.directory() + ")", e);
                }
                outbox.refuse(p, e);
                continue;
            }
            outbox.delivered(p);
            delivered++;
            receipts(objects, answer);
        }
        return delivered;
    }

    private static List<Publication> publications(Wire.PublishRequest req) {
        List<Publication> out = new ArrayList<>(req.objects().size());
        for (Wire.Item i : req.objects()) {
            out.add(new Publication(Wire.kind(i.kind()), Wire.bytes(i.der(), "der")));
        }
        return out;
    }

    private void scheduleRetry(long delayMillis) {
        if (!closed && retryScheduled.compareAndSet(false, true)) {
            try {
                retrier.schedule(this::retry, delayMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                retryScheduled.set(false);
            }
        }
    }

    private void retry() {
        retryScheduled.set(false);
        if (closed) {
            return;
        }
        long delay;
        try {
            synchronized (publishLock) {
                deliverQueued();
            }
            retryDelayMillis = config.retryFirst.toMillis();
            delay = retryDelayMillis;
        } catch (RuntimeException e) {
            retryDelayMillis = Math.min(retryDelayMillis * 2, config.retryMax.toMillis());
            delay = Math.max(retryDelayMillis, retryAfterMillis(e));
        }
        if (!closed && outbox.size() > 0) {
            scheduleRetry(delay);
        }
    }

    /** Receipts that hold: a head we trust, and each object proven at its position under it. */
    private List<Receipt> receipts(List<Publication> sent, Wire.PublishAnswer a) {
        return fromServer("receipts", () -> {
            SignedTreeHead h = accept(a.head());
            if (a.receipts().size() != sent.size()) {
                throw tampered(a.receipts().size() + " receipts for " + sent.size() + " objects");
            }
            List<Receipt> out = new ArrayList<>(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                Publication p = sent.get(i);
                Wire.Written w = a.receipts().get(i);
                Hash id = LedgerObjects.idOf(p.kind(), p.der());
                if (Wire.kind(w.kind()) != p.kind() || !id.toString().equals(w.id())) {
                    throw tampered("receipt " + i + " is for " + Wire.shorten(w.id()) + ", not the object sent (" + id + ")");
                }
                LedgerEntry e = new LedgerEntry(w.index(), p.kind(), p.der(), id);
                Proofs.Inclusion proof = new Proofs.Inclusion(w.index(), h.size(), Wire.hashes(w.inclusion(), "inclusion proof"));
                if (!proof.verify(e, h)) {
                    throw tampered("the receipt puts " + id + " at " + w.index() + " under the head of size " + h.size()
                            + ", but its inclusion proof does not hold");
                }
                out.add(new Receipt(id, p.kind(), w.index(), base + "#" + w.index(), h, proof));
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ reading

    @Override
    public Optional<LedgerEntry> find(Hash id) {
        ensureOpen();
        Wire.EntryAnswer a;
        try {
            a = transport.get("/v1/objects/" + id, Wire.EntryAnswer.class);
        } catch (WaveException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(fromServer("object " + id, () -> {
            LedgerEntry e = entry(a.entry(), accept(a.head()));
            if (!e.id().equals(id)) {
                throw tampered("asked for " + id + ", served " + e.id());
            }
            return e;
        }));
    }

    @Override
    public Optional<Entity> entity(EntityId id) {
        Entity cached = entities.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<LedgerEntry> e = find(id.hash());
        if (e.isEmpty() || e.get().kind() != ObjectKind.ENTITY) {
            return Optional.empty();
        }
        Entity entity = fromServer("entity " + id, () -> UnverifiedEntity.decode(e.get().der()).bindTo(id));
        entities.put(id, entity);
        return Optional.of(entity);
    }

    @Override
    public List<Grant> grantsTo(EntityId subject) {
        return grants("/v1/grants/to/" + subject, g -> g.subject().equals(subject), "to " + subject);
    }

    @Override
    public List<Grant> grantsFrom(EntityId attester) {
        return grants("/v1/grants/from/" + attester, g -> g.attester().equals(attester), "from " + attester);
    }

    private List<Grant> grants(String path, java.util.function.Predicate<Grant> asked, String what) {
        ensureOpen();
        Wire.Listing a = transport.get(path, Wire.Listing.class);
        return fromServer("grants " + what, () -> {
            SignedTreeHead h = accept(a.head());
            Map<EntityId, Entity> signers = signers(a, h);
            List<Grant> out = new ArrayList<>(a.objects().size());
            for (Wire.Entry w : a.objects()) {
                LedgerEntry e = entry(w, h);
                if (e.kind() != ObjectKind.ATTESTATION) {
                    throw tampered("a " + Wire.kind(e.kind()) + " listed among grants");
                }
                UnverifiedAttestation ua = UnverifiedAttestation.decode(e.der());
                Grant g = Grant.of(ua.verify(signer(signers, ua.attester())));
                if (!asked.test(g)) {
                    throw tampered("grant " + g.id() + " listed among grants " + what);
                }
                out.add(g);
            }
            return out;
        });
    }

    @Override
    public RevocationView.Status revocationStatus(RevocationCommitment commitment) {
        ensureOpen();
        String c = Wire.commitment(commitment);
        Wire.RevocationAnswer a = transport.get("/v1/revocations/" + c, Wire.RevocationAnswer.class);
        // Taken as answered: the log proves what is in it, not what is absent (see the class comment).
        return fromServer("revocation status", () -> {
            if (!c.equals(a.commitment())) {
                throw tampered("asked about commitment " + c + ", answered about " + Wire.shorten(a.commitment()));
            }
            return switch (a.status()) {
                case "REVOKED" -> RevocationView.Status.REVOKED;
                case "NOT_REVOKED" -> RevocationView.Status.NOT_REVOKED;
                default -> throw tampered("revocation status '" + Wire.shorten(a.status()) + "'");
            };
        });
    }

    @Override
    public List<NameDeclaration> resolve(String name) {
        ensureOpen();
        if (name == null || name.length() > Limits.MAX_NAME_CHARS || !NameDeclaration.NAME.matcher(name).matches()) {
            return List.of();
        }
        Wire.Listing a = transport.get("/v1/names/" + name, Wire.Listing.class);
        return fromServer("declarations of " + name, () -> {
            SignedTreeHead h = accept(a.head());
            Map<EntityId, Entity> signers = signers(a, h);
            List<LedgerEntry> entries = new ArrayList<>();
            for (Wire.Entry w : a.objects()) {
                entries.add(entry(w, h));
            }
            entries.sort(Comparator.comparingLong(LedgerEntry::index).reversed());
            List<NameDeclaration> out = new ArrayList<>(entries.size());
            for (LedgerEntry e : entries) {
                if (e.kind() != ObjectKind.NAME) {
                    throw tampered("a " + Wire.kind(e.kind()) + " listed among names");
                }
                NameDeclaration n = NameDeclaration.decode(e.der());
                NameDeclaration v = n.verify(signer(signers, n.attester()));
                if (!v.body().name().equals(name)) {
                    throw tampered("a declaration of '" + v.body().name() + "' listed for '" + name + "'");
                }
                out.add(v);
            }
            return out;
        });
    }

    /**
     * Up to {@code max} consecutive entries from {@code from}, each proven under the head served with them.
     * A page holds at most {@link Wire#MAX_PAGE}; the server must serve all the head covers up to that.
     */
    @Override
    public List<LedgerEntry> entries(long from, int max) {
        ensureOpen();
        if (from < 0 || max < 0) {
            throw WaveException.badArgument("negative position or count");
        }
        if (max == 0) {
            return List.of();
        }
        int asked = Math.min(max, Wire.MAX_PAGE);
        Wire.EntriesAnswer a = transport.get("/v1/entries?from=" + from + "&max=" + asked, Wire.EntriesAnswer.class);
        return fromServer("entries from " + from, () -> {
            SignedTreeHead h = accept(a.head());
            long expected = Math.max(0, Math.min(asked, h.size() - from));
            if (a.entries().size() != expected) {
                throw tampered(a.entries().size() + " entries from " + from + " when its head of size " + h.size()
                        + " holds " + expected + " for a page of " + asked);
            }
            List<LedgerEntry> out = new ArrayList<>(a.entries().size());
            for (Wire.Entry w : a.entries()) {
                LedgerEntry e = entry(w, h);
                if (e.index() != from + out.size()) {
                    throw tampered("entry " + e.index() + " where " + (from + out.size()) + " belongs");
                }
                out.add(e);
            }
            return out;
        });
    }

    @Override
    public long size() {
        return head().size();
    }

    /** The server's current head, once it is signed by the pinned key and consistent with the kept head. */
    @Override
    public SignedTreeHead head() {
        ensureOpen();
        Wire.Head h = transport.get("/v1/head", Wire.Head.class);
        return fromServer("tree head", () -> accept(h));
    }

    /** The pinned key; on first use taken from the server and pinned. */
    @Override
    public VerifyingKey treeHeadKey() {
        ensureOpen();
        return trust.key(this::fetchKey);
    }

    /** The server's proof, checked for form only: verify it against heads with {@link Proofs.Inclusion#verify}. */
    @Override
    public Proofs.Inclusion inclusion(long index, long treeSize) {
        ensureOpen();
        if (index < 0 || index >= treeSize) {
            throw WaveException.badArgument("leaf " + index + " is not in a tree of " + treeSize);
        }
        Wire.InclusionAnswer a = transport.get("/v1/proofs/inclusion?index=" + index + "&size=" + treeSize,
                Wire.InclusionAnswer.class);
        return fromServer("inclusion proof", () -> {
            if (a.index() != index || a.treeSize() != treeSize) {
                throw tampered("asked for an inclusion proof of " + index + " in " + treeSize + ", served one of "
                        + a.index() + " in " + a.treeSize());
            }
            return new Proofs.Inclusion(index, treeSize, Wire.hashes(a.hashes(), "inclusion proof"));
        });
    }

    /** The server's proof, checked for form only: verify it against heads with {@link Proofs.Consistency#verify}. */
    @Override
    public Proofs.Consistency consistency(long first, long second) {
        ensureOpen();
        if (first < 0 || first > second) {
            throw WaveException.badArgument("no consistency proof from " + first + " to " + second);
        }
        Wire.ConsistencyAnswer a = transport.get("/v1/proofs/consistency?first=" + first + "&second=" + second,
                Wire.ConsistencyAnswer.class);
        return fromServer("consistency proof", () -> {
            if (a.first() != first || a.second() != second) {
                throw tampered("asked for a consistency proof from " + first + " to " + second + ", served one from "
                        + a.first() + " to " + a.second());
            }
            return new Proofs.Consistency(first, second, Wire.hashes(a.hashes(), "consistency proof"));
        });
    }

    /** Stops background re-sending; queued publishes stay in the outbox for the next client. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        retrier.shutdownNow();
        transport.close();
    }

    // ------------------------------------------------------------------ verification

    private SignedTreeHead accept(Wire.Head h) {
        return trust.accept(Wire.head(h), this::fetchKey, this::consistency);
    }

    private VerifyingKey fetchKey() {
        Wire.Key k = transport.get("/v1/key", Wire.Key.class);
        return fromServer("ledger key", () -> {
            if (!"Ed25519".equals(k.algorithm())) {
                throw tampered("ledger key of algorithm '" + Wire.shorten(k.algorithm()) + "'");
            }
            return VerifyingKey.of(Wire.bytes(k.key(), "ledger key"));
        });
    }

    /** A served entry, decoded here (its id computed, not taken) and proven under {@code h}. */
    private LedgerEntry entry(Wire.Entry w, SignedTreeHead h) {
        if (w == null) {
            throw tampered("a null entry");
        }
        ObjectKind kind = Wire.kind(w.kind());
        byte[] der = Wire.bytes(w.der(), "der");
        LedgerEntry e = new LedgerEntry(w.index(), kind, der, LedgerObjects.idOf(kind, der));
        if (!e.id().toString().equals(w.id())) {
            throw tampered("entry " + w.index() + " is labelled " + Wire.shorten(w.id()) + " but is " + e.id());
        }
        Proofs.Inclusion proof = new Proofs.Inclusion(w.index(), h.size(), Wire.hashes(w.inclusion(), "inclusion proof"));
        if (!proof.verify(e, h)) {
            throw tampered("entry " + w.index() + " (" + e.id() + ") is not under the head of size " + h.size()
                    + ": its inclusion proof does not hold");
        }
        return e;
    }

    /** The signers served with a listing, each proven and bound to its id. */
    private Map<EntityId, Entity> signers(Wire.Listing a, SignedTreeHead h) {
        Map<EntityId, Entity> out = new HashMap<>();
        for (Wire.Entry w : a.attesters()) {
            LedgerEntry e = entry(w, h);
            if (e.kind() != ObjectKind.ENTITY) {
                throw tampered("a " + Wire.kind(e.kind()) + " listed as a signer");
            }
            EntityId id = new EntityId(e.id());
            Entity entity = UnverifiedEntity.decode(e.der()).bindTo(id);
            entities.put(id, entity);
            out.put(id, entity);
        }
        return out;
    }

    /** The entity that signed something: served with it, or fetched (proven, bound by id). */
    private Entity signer(Map<EntityId, Entity> served, EntityId id) {
        Entity e = served.get(id);
        if (e != null) {
            return e;
        }
        return entity(id).orElseThrow(() -> tampered("its signer " + id + " is not on the ledger"));
    }

    /**
     * Runs a check of something the server sent: any way it fails to decode or verify is TAMPERED, naming
     * {@code what}; an unreachable server stays UNAVAILABLE.
     */
    private <T> T fromServer(String what, Supplier<T> check) {
        try {
            return check.get();
        } catch (WaveException e) {
            switch (e.code()) {
                case TAMPERED, UNAVAILABLE, RATE_LIMITED, IO_ERROR:
                    throw e;
                default:
                    throw new WaveException(ErrorCode.TAMPERED, "the ledger at " + base + " served " + what
                            + " that does not verify: " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            throw new WaveException(ErrorCode.TAMPERED, "the ledger at " + base + " served " + what + " that does not "
                    + "verify: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    private WaveException tampered(String detail) {
        return new WaveException(ErrorCode.TAMPERED, "the ledger at " + base + " served " + detail);
    }

    private void ensureOpen() {
        if (closed) {
            throw new WaveException(ErrorCode.UNAVAILABLE, "the client of " + base + " is closed");
        }
    }
}
