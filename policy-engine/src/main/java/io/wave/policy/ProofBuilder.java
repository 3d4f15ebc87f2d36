package io.wave.policy;

import io.wave.crypto.AttestationId;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.Caveat;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.UnverifiedProof;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Finds a proof in a grant graph: from the subject backwards, one layer of hops at a time, to the
 * namespace. An edge is followed only when its grant alone already covers what is asked (same
 * namespace and permission set, the permissions, a covering resource, enough indirections for the hops
 * still to come, valid now, inside its daily windows now, not revoked), so every path found is valid
 * now as a whole: intersections of covering grants cover, and windows conjoin. Caveats on the
 * parameters of a use (a setpoint bound, a confidence floor) cannot be decided before the use; they
 * travel with the proof as conditions.
 *
 * <p>Shortest paths are preferred; among those of one length, the longest-lived. When no single path
 * carries every permission, it looks for one path per permission and unions them. Cycles cannot trap it
 * (each entity is visited once), and depth, attestations examined and wall time are bounded.
 */
public final class ProofBuilder {
    /** Attestations examined per search before giving up: a million is far past any real building. */
    public static final int DEFAULT_MAX_EXAMINED = 1_000_000;
    /** Wall time per build before giving up. */
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(5);

    private final AttestationSource source;
    private final Clock clock;
    private final RevocationView revocations;
    private final int maxDepth;
    private final int maxExamined;
    private final Duration timeBudget;

    private ProofBuilder(AttestationSource source, Clock clock, RevocationView revocations, int maxDepth,
            int maxExamined, Duration timeBudget) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        this.maxDepth = maxDepth;
        this.maxExamined = maxExamined;
        this.timeBudget = timeBudget;
    }

    public static ProofBuilder create(AttestationSource source, Clock clock, RevocationView revocations) {
        return new ProofBuilder(source, clock, revocations, Limits.MAX_PATH_LENGTH, DEFAULT_MAX_EXAMINED,
                DEFAULT_TIME_BUDGET);
    }

    /** The same builder with other bounds. */
    public ProofBuilder withBounds(int maxDepth, int maxExamined, Duration timeBudget) {
        if (maxDepth < 1 || maxDepth > Limits.MAX_PATH_LENGTH || maxExamined < 1) {
            throw new IllegalArgumentException("bounds out of range");
        }
        return new ProofBuilder(source, clock, revocations, maxDepth, maxExamined, Objects.requireNonNull(timeBudget));
    }

    /** The outcome of a build. */
    public sealed interface Result permits Found, NotFound {}

    /** A proof, with the paths it holds (namespace end first). */
    public record Found(UnverifiedProof proof, List<List<Grant>> paths) implements Result {}

    /** Why no proof was found; {@code exhausted} when a bound stopped the search, not the graph. */
    public record NotFound(String detail, boolean exhausted) implements Result {}

    /**
     * Builds a proof that {@code subject} holds every required policy.
     *
     * @throws WaveException NOT_FOUND when the subject, or an entity on a path found, is unknown to the source
     */
    public Result build(EntityId subject, List<Policy> required) {
        Objects.requireNonNull(subject, "subject");
        if (required.isEmpty()) {
            throw new IllegalArgumentException("nothing required");
        }
        if (source.entity(subject).isEmpty()) {
            throw new WaveException(ErrorCode.NOT_FOUND, "subject " + subject + " is not known: its public entity is "
                    + "needed to check its validity");
        }
        Search search = new Search(clock.instant(), System.nanoTime() + timeBudget.toNanos());
        List<List<Grant>> paths = new ArrayList<>();
        Set<List<AttestationId>> seen = new HashSet<>();
        for (Policy req : required) {
            if (subject.equals(req.namespace())) {
                return new NotFound("the subject is the namespace " + subject + " itself: it holds every permission "
                        + "there and needs no proof", false);
            }
            List<Grant> one = search.find(subject, req, req.permissions());
            if (one != null) {
                addPath(paths, seen, one);
                continue;
            }
            if (search.exhausted != null) {
                return new NotFound(search.exhausted, true);
            }
            if (req.permissions().size() == 1) {
                return new NotFound("no path from namespace " + req.namespace() + " to " + subject + " grants " + req
                        + " now" + search.closedWindow(), false);
            }
            for (String perm : req.permissions()) {
                List<Grant> p = search.find(subject, req, new TreeSet<>(List.of(perm)));
                if (p == null) {
                    return search.exhausted != null ? new NotFound(search.exhausted, true)
                            : new NotFound("no path from namespace " + req.namespace() + " to " + subject + " grants "
                                    + req.permissionSet() + ":" + perm + " on " + req.resource() + " now"
                                    + search.closedWindow(), false);
                }
                addPath(paths, seen, p);
            }
        }
        if (paths.size() > Limits.MAX_PROOF_PATHS) {
            return new NotFound("the request needs " + paths.size() + " paths; a proof holds at most "
                    + Limits.MAX_PROOF_PATHS, false);
        }
        return new Found(assemble(subject, paths), List.copyOf(paths));
    }

    private static void addPath(List<List<Grant>> paths, Set<List<AttestationId>> seen, List<Grant> path) {
        List<AttestationId> key = path.stream().map(Grant::id).toList();
        if (seen.add(key)) {
            paths.add(List.copyOf(path));
        }
    }

    private UnverifiedProof assemble(EntityId subject, List<List<Grant>> paths) {
        Map<AttestationId, Integer> index = new LinkedHashMap<>();
        List<Attestation> atts = new ArrayList<>();
        Set<EntityId> entityIds = new LinkedHashSet<>();
        List<List<Integer>> idx = new ArrayList<>();
        for (List<Grant> path : paths) {
            List<Integer> ix = new ArrayList<>(path.size());
            entityIds.add(path.get(0).attester());
            for (Grant g : path) {
                Integer i = index.get(g.id());
                if (i == null) {
                    i = atts.size();
                    index.put(g.id(), i);
                    atts.add(g.attestation());
                }
                ix.add(i);
                entityIds.add(g.subject());
            }
            idx.add(ix);
        }
        if (atts.size() > Limits.MAX_PROOF_ATTESTATIONS) {
            throw new WaveException(ErrorCode.LIMIT_EXCEEDED, "the proof would hold " + atts.size()
                    + " attestations; the limit is " + Limits.MAX_PROOF_ATTESTATIONS);
        }
        List<Entity> entities = new ArrayList<>(entityIds.size());
        for (EntityId id : entityIds) {
            entities.add(source.entity(id).orElseThrow(() -> new WaveException(ErrorCode.NOT_FOUND,
                    "entity " + id + " is on the proof's path but its public file is not known")));
        }
        return UnverifiedProof.assemble(entities, atts, idx);
    }

    /** One build's search state: the clock reading, the deadline and the work counter. */
    private final class Search {
        private final Instant now;
        private final long deadline;
        private int examined;
        private String exhausted;
        /** The first grant passed over only because a daily window of its excludes now, and that window. */
        private Grant closedGrant;
        private Caveat.DailyWindow closedBy;

        Search(Instant now, long deadline) {
            this.now = now;
            this.deadline = deadline;
        }

        /** Shortest, then longest-lived, path granting {@code perms} of {@code req}; null if none. */
        List<Grant> find(EntityId subject, Policy req, SortedSet<String> perms) {
            Map<EntityId, Hop> next = new HashMap<>();
            Map<EntityId, Long> expiry = new HashMap<>();
            Set<EntityId> visited = new HashSet<>();
            visited.add(subject);
            long subjectExpiry = entityExpiry(subject);
            if (subjectExpiry < 0) {
                return null;
            }
            expiry.put(subject, subjectExpiry);
            List<EntityId> frontier = List.of(subject);
            for (int depth = 0; depth < maxDepth && !frontier.isEmpty(); depth++) {
                Hop bestFinal = null;
                long bestFinalExpiry = Long.MIN_VALUE;
                Map<EntityId, Hop> layer = new LinkedHashMap<>();
                Map<EntityId, Long> layerExpiry = new HashMap<>();
                for (EntityId x : frontier) {
                    long xExp = expiry.get(x);
                    for (Grant g : source.grantsTo(x)) {
                        if (++examined > maxExamined) {
                            exhausted = "search stopped after examining " + maxExamined + " attestations";
                            return null;
                        }
                        if ((examined & 1023) == 0 && System.nanoTime() > deadline) {
                            exhausted = "search stopped after " + timeBudget.toMillis() + " ms";
                            return null;
                        }
                        if (!usable(g, req, perms, depth)) {
                            continue;
                        }
                        EntityId a = g.attester();
                        long exp = Math.min(xExp, g.attestation().validity().notAfter().getEpochSecond());
                        if (a.equals(req.namespace())) {
                            long nsExp = entityExpiry(a);
                            if (nsExp >= 0 && Math.min(exp, nsExp) > bestFinalExpiry) {
                                bestFinalExpiry = Math.min(exp, nsExp);
                                bestFinal = new Hop(g, x);
                            }
                            continue;
                        }
                        if (visited.contains(a)) {
                            continue;
                        }
                        Long known = layerExpiry.get(a);
                        if (known == null || exp > known) {
                            long aExp = entityExpiry(a);
                            if (aExp < 0) {
                                continue;
                            }
                            layer.put(a, new Hop(g, x));
                            layerExpiry.put(a, Math.min(exp, aExp));
                        }
                    }
                }
                if (bestFinal != null) {
                    List<Grant> path = new ArrayList<>(depth + 1);
                    path.add(bestFinal.grant);
                    EntityId x = bestFinal.toward;
                    while (!x.equals(subject)) {
                        Hop h = next.get(x);
                        path.add(h.grant);
                        x = h.toward;
                    }
                    return path;
                }
                next.putAll(layer);
                expiry.putAll(layerExpiry);
                visited.addAll(layer.keySet());
                frontier = new ArrayList<>(layer.keySet());
            }
            return null;
        }

        /** Whether a grant, used {@code depth} hops before the subject, can be on a covering path. */
        private boolean usable(Grant g, Policy req, SortedSet<String> perms, int depth) {
            Policy p = g.policy();
            if (g.indirections() < depth || !p.namespace().equals(req.namespace())
                    || !p.permissionSet().equals(req.permissionSet()) || !p.permissions().containsAll(perms)
                    || !p.resource().covers(req.resource()) || !g.attestation().validity().contains(now)) {
                return false;
            }
            if (revocations.status(g.attestation().body().revocation()) != RevocationView.Status.NOT_REVOKED) {
                return false;
            }
            Caveat.DailyWindow closed = g.caveats().windowExcluding(now);
            if (closed != null) {
                if (closedGrant == null) {
                    closedGrant = g;
                    closedBy = closed;
                }
                return false;
            }
            return true;
        }

        /** What a refusal adds when a grant would have served but for its daily window: empty when none. */
        String closedWindow() {
            return closedGrant == null ? "" : "; a grant exists (" + closedGrant.id() + ") but its daily window "
                    + closedBy + " excludes now";
        }

        /** The entity's expiry in epoch seconds, or -1 when it is unknown, not valid now, or revoked. */
        private long entityExpiry(EntityId id) {
            Optional<Entity> e = source.entity(id);
            if (e.isEmpty() || !e.get().validity().contains(now)
                    || revocations.status(e.get().revocation()) != RevocationView.Status.NOT_REVOKED) {
                return -1;
            }
            return e.get().validity().notAfter().getEpochSecond();
        }
    }

    private record Hop(Grant grant, EntityId toward) {}
}
