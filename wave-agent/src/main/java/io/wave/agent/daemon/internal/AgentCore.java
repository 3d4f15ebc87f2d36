package io.wave.agent.daemon.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.agent.audit.KeptHeads;
import io.wave.agent.audit.LedgerAudit;
import io.wave.agent.cli.Describe;
import io.wave.agent.cli.Durations;
import io.wave.agent.client.AgentApi;
import io.wave.agent.daemon.GraphIndex;
import io.wave.agent.issue.Issuing;
import io.wave.crypto.AttestationId;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Pem;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.Caveat;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.objects.Revocation;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.ledger.Ledger;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Receipt;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.VerifiableLedger;
import io.wave.policy.CaveatContext;
import io.wave.policy.Caveats;
import io.wave.policy.EffectivePolicy;
import io.wave.policy.GrantCache;
import io.wave.policy.Policy;
import io.wave.policy.ProofBuilder;
import io.wave.policy.ProofVerifier;
import io.wave.policy.ReasonCode;
import io.wave.policy.Request;
import io.wave.policy.RevocationView;
import io.wave.policy.Verdict;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the agent does, apart from HTTP: verify and prove against its index and the ledger, describe what it
 * has seen, check its ledger's head (status, audit), publish objects others signed, and act for the entities
 * in its keystore (create, grant, revoke, name), publishing on the ledger and reading its own writes back into
 * the index before it answers. Thread-safe.
 */
public final class AgentCore {
    /** Grants listed by {@code GET /v1/graph} at most: past this, a graph is for a database query, not one answer. */
    public static final int MAX_GRAPH_GRANTS = 100_000;
    static final String DEFAULT_ENTITY_EXPIRY = "365d";
    static final String DEFAULT_GRANT_EXPIRY = "30d";

    /** SHA-256 per thread: the cache key of every verification hashes the proof, and getInstance is not free. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });

    /** The revocation commitments the current thread's verification consulted: what its answer depends on. */
    private static final ThreadLocal<List<RevocationCommitment>> CONSULTED = new ThreadLocal<>();

    private final Ledger ledger;
    private final Keystore keys;
    private final GraphIndex index;
    private final VerdictCache cache;
    private final Metrics metrics;
    private final Clock clock;
    private final SecureRandom random;
    private final ObjectMapper json;
    private final RevocationView revocations;
    private final ProofVerifier verifier;
    private final String ledgerName;
    private final Path home;
    /** Held while the heads kept in the home are read and written: by one status or audit at a time. */
    private final Object headsLock = new Object();
    /** When the last complete read of the ledger began (the agent's clock); null until one completes. */
    private final AtomicReference<Instant> ledgerReadAt = new AtomicReference<>();

    /**
     * @param ledgerName how answers name the ledger (the URI it was opened from)
     * @param home       the agent's home, where it keeps the ledger heads it has seen ({@code heads/})
     */
    public AgentCore(Ledger ledger, String ledgerName, Path home, Keystore keys, GraphIndex index, VerdictCache cache,
            Metrics metrics, Clock clock, SecureRandom random, ObjectMapper json) {
        this.ledger = ledger;
        this.ledgerName = ledgerName;
        this.home = home;
        this.keys = keys;
        this.index = index;
        this.cache = cache;
        this.metrics = metrics;
        this.clock = clock;
        this.random = random;
        this.json = json;
        RevocationView onLedger = ledger.revocationView();
        // What the index has read is final (a revocation is never undone); anything else the ledger answers.
        this.revocations = c -> {
            List<RevocationCommitment> consulted = CONSULTED.get();
            if (consulted != null) {
                consulted.add(c);
            }
            return index.isRevoked(c) ? RevocationView.Status.REVOKED : onLedger.status(c);
        };
        this.verifier = ProofVerifier.create(clock, revocations).withCache(new GrantCache(GrantCache.DEFAULT_CAPACITY));
    }

    // ------------------------------------------------------------------ read-only

    /** The JSON answer to a verification: a verdict, valid or not; input that is not a proof is an exception. */
    public byte[] verify(AgentApi.VerifyRequest req) throws JsonProcessingException {
        long t0 = System.nanoTime();
        List<String> policyTexts = policies(req.policies());
        if (req.proof() == null) {
            throw WaveException.badArgument("'proof' is required: the proof as PEM text or base64 DER");
        }
        if (req.proof().length() > Pem.MAX_TEXT_CHARS) {
            throw WaveException.tooLarge("the proof is over " + Pem.MAX_TEXT_CHARS + " characters");
        }
        // Keyed on the text as sent: a hit costs a hash of it, not a decode.
        CaveatContext context = context(req);
        boolean conditional = Boolean.TRUE.equals(req.conditional());
        String key = cacheKey(req.proof(), policyTexts, req.subject(), context) + (conditional ? "\5" : "");
        Instant now = clock.instant();
        VerdictCache.Entry hit = cache.get(key, now, ledgerReadAt.get(), index::isRevoked);
        if (hit != null) {
            metrics.verified(ReasonCode.VALID, System.nanoTime() - t0);
            return hit.answer();
        }
        byte[] der = proofBytes(req.proof());
        List<Policy> required = parsePolicies(policyTexts);
        EntityId subject = req.subject() == null ? null : EntityId.parse(req.subject());
        UnverifiedProof proof;
        try {
            proof = UnverifiedProof.decode(der);
        } catch (WaveException e) {
            metrics.verified(e.code() == ErrorCode.TOO_LARGE ? ReasonCode.TOO_LARGE : ReasonCode.MALFORMED,
                    System.nanoTime() - t0);
            throw e;
        }
        List<RevocationCommitment> consulted = new ArrayList<>();
        CONSULTED.set(consulted);
        Verdict v;
        try {
            v = verifier.verify(proof, new Request(required, subject, context, conditional));
        } finally {
            CONSULTED.remove();
        }
        byte[] answer = json.writeValueAsBytes(Describe.verdict(v));
        if (v.valid()) {
            cache.put(key, new VerdictCache.Entry(answer, holdsUntil(v, now), consulted));
        }
        metrics.verified(v.reason(), System.nanoTime() - t0);
        return answer;
    }

    /** A proof that the subject holds every policy, searched in the index; NO_PROOF when none exists. */
    public Map<String, Object> prove(AgentApi.ProveRequest req) {
        if (req.subject() == null) {
            throw WaveException.badArgument("'subject' is required: the entity id the proof is for");
        }
        List<Policy> required = parsePolicies(policies(req.policies()));
        EntityId subject = EntityId.parse(req.subject());
        catchUp();
        ProofBuilder.Result result = ProofBuilder.create(index.graph(), clock, revocations).build(subject, required);
        if (result instanceof ProofBuilder.NotFound nf) {
            throw new WaveException(ErrorCode.NO_PROOF, nf.detail());
        }
        ProofBuilder.Found found = (ProofBuilder.Found) result;
        // A proof is for uses to come: its parameter caveats are conditions a device checks on each command.
        Verdict v = verifier.verify(found.proof(), new Request(required, subject, null, true));
        if (!v.valid()) {
            throw new IllegalStateException("built proof does not verify: " + v.reason() + " " + v.detail());
        }
        Map<String, Object> m = Describe.proof(found, subject, v);
        m.put("der", Base64.getEncoder().encodeToString(found.proof().encoded()));
        return m;
    }

    public Map<String, Object> entity(String idText) {
        EntityId id = EntityId.parse(idText);
        Entity e = index.entity(id).or(() -> ledger.entity(id))
                .orElseThrow(() -> new WaveException(ErrorCode.NOT_FOUND, "no entity " + id + " on the ledger"));
        Map<String, Object> m = Describe.entity(e);
        m.put("revoked", revocations.status(e.revocation()) == RevocationView.Status.REVOKED);
        m.put("held", keys.holds(id));
        m.put("der", Base64.getEncoder().encodeToString(e.encoded()));
        return m;
    }

    public Map<String, Object> attestation(String idText) {
        Attestation a = attestationOnLedger(AttestationId.parse(idText));
        Map<String, Object> m = Describe.attestation(a);
        m.put("revoked", revocations.status(a.body().revocation()) == RevocationView.Status.REVOKED);
        m.put("der", Base64.getEncoder().encodeToString(a.encoded()));
        return m;
    }

    public Map<String, Object> resolve(String name) {
        if (name.length() > Limits.MAX_NAME_CHARS || !NameDeclaration.NAME.matcher(name).matches()) {
            throw WaveException.badArgument("'" + shorten(name) + "' is not a name: dot-separated lowercase labels");
        }
        Instant now = clock.instant();
        return Describe.declarations(name, ledger.resolve(name).stream()
                .filter(d -> d.body().validity().contains(now)).toList());
    }

    /** The grant graph the index holds: entities, and grants as edges from attester to subject. */
    public Map<String, Object> graph() {
        checkGraphSize();
        return Describe.graph(index.graph(), index::isRevoked);
    }

    /** The same graph in Graphviz DOT. */
    public String graphDot() {
        checkGraphSize();
        return Describe.dot(index.graph(), index::isRevoked);
    }

    private void checkGraphSize() {
        if (index.graph().attestationCount() > MAX_GRAPH_GRANTS) {
            throw new WaveException(ErrorCode.LIMIT_EXCEEDED, "the graph holds " + index.graph().attestationCount()
                    + " grants; an answer lists at most " + MAX_GRAPH_GRANTS);
        }
    }

    /**
     * The ledger's signed head, checked under its key and against the heads this agent has kept (then kept),
     * as {@code wave ledger status --json} prints it.
     */
    public Map<String, Object> ledgerStatus() {
        VerifiableLedger v = LedgerAudit.verifiable(ledger);
        Integer queued = LedgerAudit.flushQueued(ledger);
        synchronized (headsLock) {
            SignedTreeHead head = v.head().verify(v.treeHeadKey());
            int kept = new KeptHeads(home, v.treeHeadKey()).checkAndKeep(v, head);
            return Describe.ledgerStatus(ledgerName, head, v.treeHeadKey(), kept, null, queued);
        }
    }

    /**
     * The ledger's Merkle root recomputed from every entry and its head checked as for {@link #ledgerStatus}, as
     * {@code wave ledger audit --json} prints it; TAMPERED on any mismatch.
     */
    public Map<String, Object> ledgerAudit() {
        VerifiableLedger v = LedgerAudit.verifiable(ledger);
        synchronized (headsLock) {
            SignedTreeHead head = v.head().verify(v.treeHeadKey());
            LedgerAudit.recompute(v, head);
            int kept = new KeptHeads(home, v.treeHeadKey()).checkAndKeep(v, head);
            return Describe.ledgerAudit(head, kept, 0);
        }
    }

    // ------------------------------------------------------------------ acting for the keystore's entities

    /**
     * Publishes objects someone else signed, in one durable write, as {@code wave publish} does: the ledger
     * verifies every one and refuses the whole write if one fails. Revocations among them drop the cached
     * answers that depended on them before this returns.
     */
    public Map<String, Object> publish(AgentApi.PublishRequest req) {
        List<AgentApi.PublishedObject> objects = req.objects();
        if (objects == null || objects.isEmpty()) {
            throw WaveException.badArgument("'objects' is required: at least one {\"kind\", \"der\"}");
        }
        if (objects.size() > AgentApi.MAX_PUBLISH_OBJECTS) {
            throw WaveException.tooLarge("at most " + AgentApi.MAX_PUBLISH_OBJECTS + " objects per publish, not "
                    + objects.size());
        }
        List<Ledger.Publication> pubs = new ArrayList<>(objects.size());
        for (AgentApi.PublishedObject o : objects) {
            if (o == null) {
                throw WaveException.badArgument("an object to publish is null");
            }
            pubs.add(new Ledger.Publication(kind(required(o.kind(), "objects[].kind")),
                    base64(required(o.der(), "objects[].der"), "objects[].der")));
        }
        List<Receipt> receipts = ledger.publishAll(pubs);
        for (Ledger.Publication p : pubs) {
            if (p.kind() == ObjectKind.REVOCATION) {
                // The ledger took it, so it decodes; noted before the log is read back, as for revoke().
                index.revoked(Revocation.decode(p.der()).commitment());
            }
        }
        catchUp();
        return Describe.receipts(receipts);
    }

    public Map<String, Object> createEntity(AgentApi.EntityRequest req) {
        EntitySecret s = keys.create(validity(req.expiry(), DEFAULT_ENTITY_EXPIRY));
        ledger.publish(ObjectKind.ENTITY, s.entity().encoded());
        catchUp();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id().toString());
        m.put("entity", Base64.getEncoder().encodeToString(s.entity().encoded()));
        return m;
    }

    /**
     * Holds an entity made elsewhere: publishes its public entity (every key the agent holds is on the ledger),
     * then seals its secret into the keystore. The same entity again changes nothing and answers alike.
     */
    public Map<String, Object> importEntity(AgentApi.ImportRequest req) {
        byte[] plain = req.secret();
        if (plain == null) {
            throw WaveException.badArgument("'secret' is required: the entity secret's plain DER, base64");
        }
        EntitySecret s;
        try {
            s = EntitySecret.decodePlain(plain);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
        ledger.publish(ObjectKind.ENTITY, s.entity().encoded());
        boolean added = keys.add(s);
        catchUp();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id().toString());
        m.put("entity", Base64.getEncoder().encodeToString(s.entity().encoded()));
        m.put("added", added);
        return m;
    }

    public Map<String, Object> grant(AgentApi.GrantRequest req) {
        EntitySecret attester = keys.get(EntityId.parse(required(req.attester(), "attester")));
        EntityId subject = EntityId.parse(required(req.subject(), "subject"));
        List<Policy> policies = parsePolicies(policies(req.policies()));
        List<String> caveatTexts = req.caveats() == null ? List.of() : req.caveats();
        if (caveatTexts.size() > AgentApi.MAX_CAVEATS) {
            throw WaveException.tooLarge("at most " + AgentApi.MAX_CAVEATS + " caveats per grant");
        }
        List<Caveat> caveats = new ArrayList<>();
        for (String c : caveatTexts) {
            caveats.add(Caveats.parse(required(c, "caveats[]")));
        }
        Validity validity = validity(req.expiry(), DEFAULT_GRANT_EXPIRY);
        int indirections = req.indirections() == null ? 0 : req.indirections();
        List<Ledger.Publication> pubs = new ArrayList<>();
        pubs.add(new Ledger.Publication(ObjectKind.ENTITY, attester.entity().encoded()));
        // As a local grant publishes a subject given as a file: a proof for the subject needs its entity.
        Entity subjectEntity = subjectEntity(req.subjectEntity(), subject);
        if (subjectEntity != null && !subject.equals(attester.id())) {
            pubs.add(new Ledger.Publication(ObjectKind.ENTITY, subjectEntity.encoded()));
        }
        List<Map<String, Object>> made = new ArrayList<>();
        for (Policy p : policies) {
            Attestation a = Issuing.grant(attester, subject, p, indirections, validity, caveats, random);
            pubs.add(new Ledger.Publication(ObjectKind.ATTESTATION, a.encoded()));
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", a.id().toString());
            o.put("policy", p.toString());
            o.put("der", Base64.getEncoder().encodeToString(a.encoded()));
            made.add(o);
        }
        ledger.publishAll(pubs);
        catchUp();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attestations", made);
        m.put("attester", Base64.getEncoder().encodeToString(attester.entity().encoded()));
        return m;
    }

    /**
     * The subject's entity to publish with a grant: the one the request carries (checked, and bound to the
     * subject's id), else the one this agent holds the key of, else none (it is on the ledger, or the caller
     * takes care of it).
     */
    private Entity subjectEntity(String base64Der, EntityId subject) {
        if (base64Der == null) {
            return keys.holds(subject) ? keys.get(subject).entity() : null;
        }
        Entity e = UnverifiedEntity.decode(base64(base64Der, "subjectEntity")).verify();
        if (!e.id().equals(subject)) {
            throw WaveException.badArgument("'subjectEntity' is entity " + e.id() + ", not the subject " + subject);
        }
        return e;
    }

    public Map<String, Object> revoke(AgentApi.RevokeRequest req) {
        int modes = (req.attestation() != null ? 1 : 0) + (req.entity() != null ? 1 : 0) + (req.name() != null ? 1 : 0);
        if (modes != 1) {
            throw WaveException.badArgument("give exactly one of 'attestation', 'entity', 'name'");
        }
        Revocation revocation;
        String what;
        if (req.attestation() != null) {
            Attestation a = attestationOnLedger(AttestationId.parse(req.attestation()));
            revocation = Issuing.revokeAttestation(keys.get(a.body().attester()), a);
            what = "attestation " + a.id();
        } else if (req.entity() != null) {
            EntitySecret s = keys.get(EntityId.parse(req.entity()));
            revocation = Issuing.revokeEntity(s);
            what = "entity " + s.id();
        } else {
            EntitySecret s = keys.get(EntityId.parse(required(req.attester(), "attester")));
            revocation = Issuing.revokeName(s, req.name(), EntityId.parse(required(req.subject(), "subject")));
            what = "name " + req.name();
        }
        ledger.publish(ObjectKind.REVOCATION, revocation.encode());
        index.revoked(revocation.commitment());
        catchUp();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commitment", revocation.commitment().toString());
        m.put("revoked", what);
        return m;
    }

    public Map<String, Object> name(AgentApi.NameRequest req) {
        EntitySecret s = keys.get(EntityId.parse(required(req.attester(), "attester")));
        NameDeclaration d = Issuing.name(s, EntityId.parse(required(req.subject(), "subject")),
                required(req.name(), "name"), validity(req.expiry(), DEFAULT_ENTITY_EXPIRY));
        ledger.publishAll(List.of(new Ledger.Publication(ObjectKind.ENTITY, s.entity().encoded()),
                new Ledger.Publication(ObjectKind.NAME, d.encoded())));
        catchUp();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id().toString());
        m.put("der", Base64.getEncoder().encodeToString(d.encoded()));
        m.put("attester", Base64.getEncoder().encodeToString(s.entity().encoded()));
        return m;
    }

    // ------------------------------------------------------------------ index and metrics

    /** Brings the index up to the ledger, and notes when the read began: how fresh cached answers are. */
    public void follow() {
        Instant began = clock.instant();
        index.follow(ledger);
        ledgerReadAt.accumulateAndGet(began, (had, now) -> had == null || now.isAfter(had) ? now : had);
    }

    /**
     * Brings the index up to the ledger if the ledger answers: a request that has published (or wants the
     * newest graph) should see it, but the write is done and the follower retries, so a ledger that is away
     * for a moment does not fail the request.
     */
    public void catchUp() {
        try {
            follow();
        } catch (WaveException e) {
            if (e.code() != ErrorCode.UNAVAILABLE && e.code() != ErrorCode.RATE_LIMITED) {
                throw e;
            }
        }
    }

    /** When the agent's last complete read of the ledger began (its clock), or null before the first. */
    public Instant ledgerReadAt() {
        return ledgerReadAt.get();
    }

    public Metrics.Gauges gauges() {
        return new Metrics.Gauges(cache.hits(), cache.misses(), cache.size(), index.ledgerSize(), index.position(),
                index.lastFollowMillis(), System.currentTimeMillis());
    }

    // ------------------------------------------------------------------ helpers

    private Attestation attestationOnLedger(AttestationId id) {
        LedgerEntry e = ledger.find(id.hash()).filter(x -> x.kind() == ObjectKind.ATTESTATION)
                .orElseThrow(() -> new WaveException(ErrorCode.NOT_FOUND, "no attestation " + id + " on the ledger"));
        UnverifiedAttestation ua = UnverifiedAttestation.decode(e.der());
        Entity attester = index.entity(ua.attester()).or(() -> ledger.entity(ua.attester()))
                .orElseThrow(() -> new WaveException(ErrorCode.NOT_FOUND, "attestation " + id + ": its attester "
                        + ua.attester() + " is not on the ledger"));
        return ua.verify(attester);
    }

    private Validity validity(String expiry, String fallback) {
        return Validity.startingAt(clock.instant(), Durations.parse(expiry == null ? fallback : expiry).getSeconds());
    }

    private static List<String> policies(List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            throw WaveException.badArgument("'policies' is required: at least one policy such as "
                    + "device:read@NAMESPACE/building1/*");
        }
        if (texts.size() > AgentApi.MAX_POLICIES) {
            throw WaveException.tooLarge("at most " + AgentApi.MAX_POLICIES + " policies per request, not " + texts.size());
        }
        for (String t : texts) {
            required(t, "policies[]");
        }
        return texts;
    }

    private static List<Policy> parsePolicies(List<String> texts) {
        List<Policy> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(Policy.parse(t));
        }
        return out;
    }

    /** An object kind as {@code wave publish} prints it: entity, attestation, name, revocation. */
    private static ObjectKind kind(String text) {
        for (ObjectKind k : ObjectKind.values()) {
            if (k.name().toLowerCase(java.util.Locale.ROOT).equals(text)) {
                return k;
            }
        }
        throw WaveException.badArgument("kind '" + shorten(text) + "' is not entity, attestation, name or revocation");
    }

    private static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw WaveException.malformed("'" + field + "' is not base64");
        }
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw WaveException.badArgument("'" + field + "' is required");
        }
        return value;
    }

    /** The proof's DER from PEM text (its WAVE PROOF block) or base64 DER, bounded before decoding. */
    static byte[] proofBytes(String text) {
        if (text.contains("-----BEGIN")) {
            for (Pem.Block b : Pem.decodeAll(text)) {
                if (b.type().equals(Pem.PROOF)) {
                    return b.der();
                }
            }
            throw WaveException.malformed("the PEM text holds no WAVE PROOF block");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw WaveException.malformed("'proof' is neither PEM text nor base64 DER");
        }
        if (der.length > Limits.MAX_PROOF_BYTES) {
            throw WaveException.tooLarge("the proof is " + der.length + " bytes; at most " + Limits.MAX_PROOF_BYTES);
        }
        return der;
    }

    /**
     * The caveat context of a verification: its parameters and confidence, exactly, when it names any; a value
     * with more than six decimal places or out of range is refused (BAD_ARGUMENT), never rounded.
     */
    private static CaveatContext context(AgentApi.VerifyRequest req) {
        if (req.params() == null && req.confidence() == null) {
            return null;
        }
        java.util.Map<String, java.math.BigDecimal> params = req.params() == null ? java.util.Map.of() : req.params();
        if (params.size() > AgentApi.MAX_PARAMS) {
            throw WaveException.tooLarge("at most " + AgentApi.MAX_PARAMS + " params per request, not " + params.size());
        }
        for (java.util.Map.Entry<String, java.math.BigDecimal> e : params.entrySet()) {
            if (e.getValue() == null) {
                throw WaveException.badArgument("param '" + shorten(e.getKey()) + "' must be a number");
            }
        }
        return CaveatContext.ofDecimals(params, req.confidence());
    }

    /**
     * Until when a valid verdict reached at {@code now} may be served again: its expiry, or sooner the next time a
     * daily window on a covering path opens or closes, after which the same request may be refused.
     */
    private static Instant holdsUntil(Verdict v, Instant now) {
        Instant until = v.expires();
        for (EffectivePolicy p : v.policies()) {
            Instant change = p.caveats().nextChange(now);
            if (change.isBefore(until)) {
                until = change;
            }
        }
        return until;
    }

    /** The request, reduced: same proof text, policy texts, subject text and caveat context mean the same answer. */
    private static String cacheKey(String proof, List<String> policies, String subject, CaveatContext context) {
        byte[] digest = SHA256.get().digest(proof.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(Base64.getEncoder().encodeToString(digest));
        for (String p : policies) {
            sb.append('\0').append(p);
        }
        sb.append('\1').append(subject == null ? "" : subject);
        if (context != null) {
            // Sorted, so that the same parameters in another order are the same request.
            sb.append('\2').append(new java.util.TreeMap<>(context.params())).append('\3').append(context.confidence());
        }
        return sb.toString();
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
