package io.wave.policy;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.ProofId;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.UnverifiedAttestation;
import io.wave.crypto.objects.UnverifiedEntity;
import io.wave.crypto.objects.UnverifiedProof;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Decides whether a proof authorises a request now. Pure: the clock, the revocation view and the cache
 * are handed in; nothing else is consulted. Thread-safe.
 *
 * <p>Along a path each subject must be the next attester and the first attester the namespace;
 * permissions and resources intersect, caveats conjoin, indirections drop by one per hop and may not go
 * below zero, and validity is the overlap of every attestation's and entity's window. Across paths the
 * grants union: each permission of each required policy must be covered by some path. A defect anywhere
 * in the proof (a bad signature, a broken link, a wrong subject, an overrun of indirections) refuses the
 * whole proof; a path that merely grants too little, has expired or is revoked contributes nothing, and
 * the refusal names the reason of the path that came closest.
 *
 * <p>No verdict is valid over a caveat that was not evaluated: without a {@link CaveatContext}, a path whose
 * caveats bound a parameter or a confidence is refused ({@link ReasonCode#CAVEAT_UNCHECKED}), unless the
 * request {@linkplain Request#allowingConditions() allows conditions}; then it covers only when no path covers
 * outright, and the verdict lists what went unchecked ({@link Verdict#conditions()}).
 */
public final class ProofVerifier {
    private final Clock clock;
    private final RevocationView revocations;
    private final GrantCache cache;
    private final boolean unknownIsRevoked;
    /** Analyses of proofs seen, by proof id; kept only by a verifier with a grant cache (a warm verifier). */
    private final Analyses analyses;

    /** Proofs a device or service keeps analysed: a few hundred senders, each with a proof or two. */
    public static final int ANALYSED_PROOFS = 1024;

    private ProofVerifier(Clock clock, RevocationView revocations, GrantCache cache, boolean unknownIsRevoked,
            Analyses analyses) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        this.cache = cache;
        this.unknownIsRevoked = unknownIsRevoked;
        this.analyses = analyses;
    }

    /** A bounded, thread-safe map of analyses, least recently used out first. */
    private static final class Analyses {
        private final java.util.LinkedHashMap<ProofId, Analysis> map = new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ProofId, Analysis> eldest) {
                return size() > ANALYSED_PROOFS;
            }
        };

        synchronized Analysis get(ProofId id) {
            return map.get(id);
        }

        synchronized void put(ProofId id, Analysis a) {
            map.put(id, a);
        }
    }

    /** A verifier with no cache that treats an unknown revocation status as revoked (fail closed). */
    public static ProofVerifier create(Clock clock, RevocationView revocations) {
        return new ProofVerifier(clock, revocations, null, true, null);
    }

    /**
     * The same verifier, caching verified attestations by id in {@code cache}, and keeping the analysis of
     * each proof it sees (by proof id, at most {@link #ANALYSED_PROOFS}): a warm proof then costs only what
     * can change between calls (the subject asked for, validity now, revocation, caveats, coverage).
     */
    public ProofVerifier withCache(GrantCache cache) {
        return new ProofVerifier(clock, revocations, Objects.requireNonNull(cache, "cache"), unknownIsRevoked,
                new Analyses());
    }

    /** The same verifier, deciding whether an unknown revocation status counts as revoked. */
    public ProofVerifier unknownRevocationIsRevoked(boolean failClosed) {
        return new ProofVerifier(clock, revocations, cache, failClosed, analyses);
    }

    /** Decodes and verifies; bytes that do not decode give a MALFORMED or TOO_LARGE verdict. */
    public Verdict verify(byte[] der, Request request) {
        UnverifiedProof proof;
        try {
            proof = UnverifiedProof.decode(der);
        } catch (WaveException e) {
            return Verdict.deny(e.code() == ErrorCode.TOO_LARGE ? ReasonCode.TOO_LARGE : ReasonCode.MALFORMED,
                    e.getMessage(), null, null);
        }
        return verify(proof, request);
    }

    public Verdict verify(UnverifiedProof proof, Request request) {
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(request, "request");
        Instant now = clock.instant();
        ProofId pid = proof.id();
        Analysis a = analyses == null ? null : analyses.get(pid);
        if (a == null) {
            a = analyse(proof);
            if (analyses != null) {
                analyses.put(pid, a);
            }
        }
        return decide(a, request, now, pid);
    }

    /**
     * What a proof says whatever the request, the time or the revocations: its defects, each path's end
     * and effective policy, validity window and commitments. A function of the proof's bytes alone (the
     * id is their hash), so a verifier with a cache keeps it by proof id; everything that can change
     * (subject asked for, time, revocation, caveats against the request's context) is decided per call.
     */
    private Analysis analyse(UnverifiedProof proof) {
        Map<EntityId, UnverifiedEntity> entities = new HashMap<>(proof.entities().size() * 2);
        for (UnverifiedEntity e : proof.entities()) {
            entities.put(e.id(), e);
        }
        List<UnverifiedAttestation> atts = proof.attestations();
        Grant[] grants = new Grant[atts.size()];
        Set<EntityId> onPaths = new HashSet<>();
        List<PathPart> parts = new ArrayList<>(proof.pathCount());
        for (int p = 0; p < proof.pathCount(); p++) {
            int[] path = proof.path(p);
            Grant[] hop = new Grant[path.length];
            for (int j = 0; j < path.length; j++) {
                int k = path[j];
                if (grants[k] == null) {
                    Object g = grant(atts.get(k), entities);
                    if (g instanceof Verdict v) {
                        parts.add(PathPart.pre(v.reason(), v.detail()));
                        return new Analysis(parts, false);
                    }
                    grants[k] = (Grant) g;
                }
                hop[j] = grants[k];
            }
            Grant first = hop[0];
            if (!first.attester().equals(first.policy().namespace())) {
                parts.add(PathPart.pre(ReasonCode.BROKEN_CHAIN, "path " + p + " starts at " + first.attester()
                        + ", not at its namespace " + first.policy().namespace()));
                return new Analysis(parts, false);
            }
            int allowance = first.indirections();
            for (int j = 1; j < hop.length; j++) {
                if (!hop[j - 1].subject().equals(hop[j].attester())) {
                    parts.add(PathPart.pre(ReasonCode.BROKEN_CHAIN, "path " + p + ": attestation " + hop[j].id()
                            + " is made by " + hop[j].attester() + ", not by the previous subject "
                            + hop[j - 1].subject()));
                    return new Analysis(parts, false);
                }
                if (allowance < 1) {
                    parts.add(PathPart.pre(ReasonCode.INDIRECTIONS_EXCEEDED, "path " + p + ": " + hop[j].attester()
                            + " re-delegated in " + hop[j].id() + " but was allowed no further hops"));
                    return new Analysis(parts, false);
                }
                allowance = Math.min(allowance - 1, hop[j].indirections());
            }
            EntityId end = hop[hop.length - 1].subject();
            PathResult r = evaluatePath(p, hop, allowance, entities, onPaths);
            parts.add(new PathPart(null, null, end, r));
            if (r.defect != null) {
                return new Analysis(parts, false);
            }
        }
        return new Analysis(parts, onPaths.size() != entities.size());
    }

    /** The verdict for {@code request} now, from a proof's analysis, in the order a first reading finds it. */
    private Verdict decide(Analysis a, Request request, Instant now, ProofId pid) {
        EntityId subject = request.subject();
        List<PathResult> results = new ArrayList<>(a.parts().size());
        for (int p = 0; p < a.parts().size(); p++) {
            PathPart part = a.parts().get(p);
            if (part.preCode() != null) {
                return Verdict.deny(part.preCode(), part.preDetail(), subject, pid);
            }
            if (subject == null) {
                subject = part.end();
            } else if (!subject.equals(part.end())) {
                return Verdict.deny(ReasonCode.WRONG_SUBJECT, "path " + p + " grants to " + part.end() + ", not to "
                        + subject, subject, pid);
            }
            if (part.result().defect != null) {
                return withIds(part.result().defect, subject, pid);
            }
            results.add(part.result().forCall());
        }
        if (a.extraEntities()) {
            return Verdict.deny(ReasonCode.MALFORMED, "the proof carries entities that are on no path", subject, pid);
        }
        return cover(results, request, now, subject, pid);
    }

    /** One path as analysed: a defect found before its end was known, or its end and evaluation. */
    private record PathPart(ReasonCode preCode, String preDetail, EntityId end, PathResult result) {
        static PathPart pre(ReasonCode code, String detail) {
            return new PathPart(code, detail, null, null);
        }
    }

    private record Analysis(List<PathPart> parts, boolean extraEntities) {}

    /** The verified grant for an attestation, or a refusal verdict. */
    private Object grant(UnverifiedAttestation ua, Map<EntityId, UnverifiedEntity> entities) {
        // Checked before the cache, so that a proof gets the same verdict whatever this verifier has cached.
        UnverifiedEntity attester = entities.get(ua.attester());
        if (attester == null) {
            return Verdict.deny(ReasonCode.BROKEN_CHAIN, "the proof lacks entity " + ua.attester() + ", attester of "
                    + ua.id(), null, null);
        }
        if (cache != null) {
            Grant g = cache.get(ua.id());
            if (g != null) {
                return g;
            }
        }
        Grant g;
        try {
            g = Grant.of(ua.verify(attester.bindTo(ua.attester())));
        } catch (WaveException e) {
            return Verdict.deny(e.code() == ErrorCode.BAD_SIGNATURE ? ReasonCode.BAD_SIGNATURE : ReasonCode.MALFORMED,
                    e.getMessage(), null, null);
        }
        if (cache != null) {
            cache.put(g);
        }
        return g;
    }

    private static Verdict withIds(Verdict v, EntityId subject, ProofId pid) {
        return Verdict.deny(v.reason(), v.detail(), subject, pid);
    }

    private PathResult evaluatePath(int p, Grant[] hop, int allowance, Map<EntityId, UnverifiedEntity> entities,
            Set<EntityId> onPaths) {
        PathResult r = new PathResult();
        List<io.wave.crypto.AttestationId> ids = new ArrayList<>(hop.length);
        Policy first = hop[0].policy();
        SortedSet<String> perms = first.permissions();
        ResourcePattern resource = first.resource();
        Caveats caveats = Caveats.NONE;
        long nb = Long.MIN_VALUE;
        long na = Long.MAX_VALUE;
        List<RevocationCommitment> commitments = new ArrayList<>(hop.length * 2 + 1);
        for (int j = 0; j < hop.length; j++) {
            Grant g = hop[j];
            ids.add(g.id());
            Policy pol = g.policy();
            if (r.stage == 0) {
                if (!pol.namespace().equals(first.namespace())) {
                    r.fail(1, ReasonCode.NAMESPACE_MISMATCH, "path " + p + " crosses from namespace " + first.namespace()
                            + " to " + pol.namespace());
                } else if (!pol.permissionSet().equals(first.permissionSet())) {
                    r.fail(2, ReasonCode.PERMISSION_NOT_GRANTED, "path " + p + " changes permission set from "
                            + first.permissionSet() + " to " + pol.permissionSet());
                } else {
                    if (!perms.equals(pol.permissions())) {
                        TreeSet<String> both = new TreeSet<>(perms);
                        both.retainAll(pol.permissions());
                        perms = both;
                    }
                    if (perms.isEmpty()) {
                        r.fail(2, ReasonCode.PERMISSION_NOT_GRANTED, "path " + p + " shares no permission along its hops");
                    } else {
                        resource = resource.intersect(pol.resource());
                        if (resource == null) {
                            r.fail(3, ReasonCode.RESOURCE_NOT_COVERED, "path " + p + " narrows to no resource at " + g.id());
                        }
                    }
                }
            }
            caveats = caveats.and(g.caveats());
            var v = g.attestation().validity();
            nb = Math.max(nb, v.notBefore().getEpochSecond());
            na = Math.min(na, v.notAfter().getEpochSecond());
            commitments.add(g.attestation().body().revocation());
        }
        List<EntityId> pathEntities = new ArrayList<>(hop.length + 1);
        pathEntities.add(hop[0].attester());
        for (Grant g : hop) {
            pathEntities.add(g.subject());
        }
        for (EntityId id : pathEntities) {
            UnverifiedEntity ue = entities.get(id);
            if (ue == null) {
                r.defect = Verdict.deny(ReasonCode.BROKEN_CHAIN, "the proof lacks entity " + id + " on path " + p,
                        null, null);
                return r;
            }
            onPaths.add(id);
            Entity e = ue.bindTo(id);
            nb = Math.max(nb, e.validity().notBefore().getEpochSecond());
            na = Math.min(na, e.validity().notAfter().getEpochSecond());
            commitments.add(e.revocation());
        }
        r.commitments = commitments;
        r.notBefore = nb;
        r.notAfter = na;
        if (r.stage == 0) {
            Policy effective = perms == first.permissions() && resource == first.resource() ? first
                    : new Policy(first.namespace(), first.permissionSet(), perms, resource);
            r.effective = new EffectivePolicy(effective, caveats, allowance,
                    io.wave.crypto.Validity.ofSeconds(Math.max(nb, 0), Math.max(na, nb)), ids);
        }
        return r;
    }

    private Verdict cover(List<PathResult> results, Request request, Instant now, EntityId subject, ProofId pid) {
        List<EffectivePolicy> used = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        long expires = Long.MAX_VALUE;
        for (Policy req : request.required()) {
            for (String perm : req.permissions()) {
                int bestStage = -1;
                ReasonCode bestCode = ReasonCode.PERMISSION_NOT_GRANTED;
                String bestDetail = "no path grants " + perm;
                PathResult covering = null;
                // A path that holds but for caveats left unevaluated: used only when no path holds outright.
                PathResult onConditions = null;
                for (PathResult r : results) {
                    int stage;
                    ReasonCode code;
                    String detail;
                    if (r.stage != 0) {
                        stage = r.stage;
                        code = r.code;
                        detail = r.detail;
                    } else {
                        Policy got = r.effective.policy();
                        String cav;
                        if (!got.namespace().equals(req.namespace())) {
                            stage = 1;
                            code = ReasonCode.NAMESPACE_MISMATCH;
                            detail = "the proof is for namespace " + got.namespace() + ", not " + req.namespace();
                        } else if (!got.permissionSet().equals(req.permissionSet()) || !got.permissions().contains(perm)) {
                            stage = 2;
                            code = ReasonCode.PERMISSION_NOT_GRANTED;
                            detail = "no path grants " + req.permissionSet() + ":" + perm + " (granted: " + got.permissionSet()
                                    + ":" + String.join(",", got.permissions()) + ")";
                        } else if (!got.resource().covers(req.resource())) {
                            stage = 3;
                            code = ReasonCode.RESOURCE_NOT_COVERED;
                            detail = "granted resource " + got.resource() + " does not cover " + req.resource();
                        } else if (now.getEpochSecond() < r.notBefore) {
                            stage = 4;
                            code = ReasonCode.NOT_YET_VALID;
                            detail = "not valid until " + Instant.ofEpochSecond(r.notBefore);
                        } else if (now.getEpochSecond() > r.notAfter) {
                            stage = 4;
                            code = ReasonCode.EXPIRED;
                            detail = "expired at " + Instant.ofEpochSecond(r.notAfter);
                        } else if (revoked(r) != null) {
                            stage = 5;
                            code = ReasonCode.REVOKED;
                            detail = revoked(r);
                        } else if ((cav = r.effective.caveats().violation(now, request.context())) != null) {
                            stage = 6;
                            code = ReasonCode.CAVEAT_VIOLATED;
                            detail = cav;
                        } else if (request.context() == null && r.effective.caveats().needsContext()) {
                            stage = 7;
                            code = ReasonCode.CAVEAT_UNCHECKED;
                            detail = "the request gives no parameters or confidence to check "
                                    + String.join(" and ", r.effective.caveats().conditions())
                                    + " against (give them, or ask for a conditional answer)";
                            if (request.conditional() && onConditions == null) {
                                onConditions = r;
                            }
                        } else {
                            covering = r;
                            break;
                        }
                    }
                    if (stage > bestStage) {
                        bestStage = stage;
                        bestCode = code;
                        bestDetail = detail;
                    }
                }
                if (covering == null && onConditions != null) {
                    covering = onConditions;
                    for (String c : onConditions.effective.caveats().conditions()) {
                        if (!conditions.contains(c)) {
                            conditions.add(c);
                        }
                    }
                }
                if (covering == null) {
                    return Verdict.deny(bestCode, bestDetail, subject, pid);
                }
                if (!used.contains(covering.effective)) {
                    used.add(covering.effective);
                    expires = Math.min(expires, covering.notAfter);
                }
            }
        }
        return new Verdict(true, ReasonCode.VALID, conditions.isEmpty() ? "valid" : "valid on conditions not checked: "
                + String.join(" and ", conditions), subject, used, Instant.ofEpochSecond(expires), pid, conditions);
    }

    /** Null when nothing on the path is revoked, else the reason. Memoised per path. */
    private String revoked(PathResult r) {
        if (r.revocationChecked) {
            return r.revokedDetail;
        }
        r.revocationChecked = true;
        for (RevocationCommitment c : r.commitments) {
            RevocationView.Status s = revocations.status(c);
            if (s == RevocationView.Status.REVOKED) {
                r.revokedDetail = "commitment " + c + " on the path has been revoked";
                break;
            }
            if (s == RevocationView.Status.UNKNOWN && unknownIsRevoked) {
                r.revokedDetail = "revocation status of " + c + " is unknown (failing closed)";
                break;
            }
        }
        return r.revokedDetail;
    }

    private static final class PathResult {
        int stage;
        ReasonCode code;
        String detail;
        Verdict defect;
        EffectivePolicy effective;
        List<RevocationCommitment> commitments;
        long notBefore;
        long notAfter;
        boolean revocationChecked;
        String revokedDetail;

        /** A copy for one verification: the revocation memo is per call, the rest is the proof's. */
        PathResult forCall() {
            PathResult c = new PathResult();
            c.stage = stage;
            c.code = code;
            c.detail = detail;
            c.effective = effective;
            c.commitments = commitments;
            c.notBefore = notBefore;
            c.notAfter = notAfter;
            return c;
        }

        void fail(int s, ReasonCode c, String d) {
            stage = s;
            code = c;
            detail = d;
        }
    }
}
