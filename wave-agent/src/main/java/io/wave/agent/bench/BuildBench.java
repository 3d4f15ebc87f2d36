package io.wave.agent.bench;

import io.wave.crypto.EntityId;
import io.wave.crypto.Validity;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.PermissionSetRef;
import io.wave.policy.GrantGraph;
import io.wave.policy.Policy;
import io.wave.policy.ProofBuilder;
import io.wave.policy.RevocationView;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Proof building on synthetic grant graphs of 1k, 10k and 100k real signed attestations. The graph
 * grows as delegation does: a namespace grants buildings, holders re-delegate floors and rooms with
 * fewer indirections, subjects are drawn from a shared pool (so there are cycles, dead ends and
 * grants that can no longer be re-delegated), and a tenth of the grants are noise in another
 * namespace or permission set. Each query asks for what some grant deep in the graph carries, so a
 * proof exists; the figure is the median time of {@link ProofBuilder#build}. A second set of queries
 * asks for a random room as a random entity: most have no proof, so those searches run until the
 * graph stops them ({@code random_*}).
 */
public final class BuildBench {
    private BuildBench() {}

    private record Held(int subject, EntityId subjectId, String resource, List<String> perms, int indirections, int depth) {}

    public static List<Map<String, Object>> run(boolean quick) {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Validity validity = Validity.startingAt(now.minusSeconds(3600), 86_400L * 30);
        List<Map<String, Object>> rows = new ArrayList<>();
        int[] sizes = quick ? new int[] {1_000, 10_000} : new int[] {1_000, 10_000, 100_000};
        for (int n : sizes) {
            rows.add(one(n, quick ? 31 : 101, clock, validity));
        }
        return rows;
    }

    private static Map<String, Object> one(int n, int queries, Clock clock, Validity validity) {
        SecureRandom keys = new SecureRandom();
        Random rnd = new Random(n);
        int m = Math.max(50, n / 4);
        EntitySecret[] es = new EntitySecret[m];
        GrantGraph graph = new GrantGraph();
        for (int i = 0; i < m; i++) {
            es[i] = EntitySecret.create(keys, validity);
            graph.add(es[i].entity());
        }
        EntityId ns = es[0].id();
        EntityId otherNs = es[1].id();
        List<Held> held = new ArrayList<>();
        List<Held> deep = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean noise = rnd.nextInt(10) == 0;
            boolean fromNs = held.isEmpty() || rnd.nextInt(20) == 0;
            Held h = fromNs ? null : held.get(rnd.nextInt(held.size()));
            int attester = fromNs ? 0 : h.subject;
            int subject = 1 + rnd.nextInt(m - 1);
            if (subject == attester) {
                subject = subject % (m - 1) + 1;
            }
            String resource;
            List<String> perms;
            int ind;
            if (fromNs) {
                resource = "b" + rnd.nextInt(10) + "/*";
                perms = List.of("actuate", "read");
                ind = rnd.nextInt(6);
            } else {
                resource = narrower(h.resource, rnd);
                perms = h.perms.size() == 2 && rnd.nextBoolean() ? List.of(h.perms.get(rnd.nextInt(2))) : h.perms;
                ind = Math.max(0, Math.min(h.indirections - 1, rnd.nextInt(5)));
            }
            EntityId nsId = noise && rnd.nextBoolean() ? otherNs : ns;
            String pset = noise && nsId.equals(ns) ? "mqtt" : "device";
            List<String> p = pset.equals("mqtt") ? List.of("publish") : perms;
            byte[] nonce = new byte[16];
            rnd.nextBytes(nonce);
            AttestationBody body = new AttestationBody(es[attester].id(), es[subject].id(), nsId,
                    new PermissionSetRef.Builtin(pset), p, resource, ind, validity, List.of(),
                    es[attester].attestationRevocationSecret(nonce).commitment(), nonce, List.of());
            graph.add(Attestation.sign(body, es[attester]));
            boolean usable = !noise && (fromNs || h.indirections >= 1);
            if (usable) {
                Held g = new Held(subject, es[subject].id(), resource, perms, ind, fromNs ? 1 : h.depth + 1);
                held.add(g);
                if (g.depth >= 2) {
                    deep.add(g);
                }
            }
        }
        ProofBuilder builder = ProofBuilder.create(graph, clock, RevocationView.NONE);
        List<Held> pool = deep.isEmpty() ? held : deep;
        Runnable warm = () -> query(builder, pool.get(rnd.nextInt(pool.size())), ns);
        Timing.warm(warm, 500);
        double[] micros = new double[queries];
        int found = 0;
        int hopsTotal = 0;
        for (int q = 0; q < queries; q++) {
            Held target = pool.get(rnd.nextInt(pool.size()));
            long t0 = System.nanoTime();
            ProofBuilder.Result r = query(builder, target, ns);
            micros[q] = (System.nanoTime() - t0) / 1000.0;
            if (r instanceof ProofBuilder.Found f) {
                found++;
                hopsTotal += f.paths().get(0).size();
            }
        }
        // Random requests: a random subject asking for a random room, which mostly has no proof, so the
        // search runs until the graph (not a hit) stops it.
        double[] randomMicros = new double[queries];
        int randomFound = 0;
        for (int q = 0; q < queries; q++) {
            EntityId subject = es[1 + rnd.nextInt(m - 1)].id();
            Policy want = Policy.parse("device:" + (rnd.nextBoolean() ? "read" : "actuate") + "@" + ns + "/b"
                    + rnd.nextInt(10) + "/f" + rnd.nextInt(10) + "/r" + rnd.nextInt(20));
            long t0 = System.nanoTime();
            ProofBuilder.Result r = builder.build(subject, List.of(want));
            randomMicros[q] = (System.nanoTime() - t0) / 1000.0;
            if (r instanceof ProofBuilder.Found) {
                randomFound++;
            }
        }
        double[] sorted = micros.clone();
        Arrays.sort(sorted);
        double[] randomSorted = randomMicros.clone();
        Arrays.sort(randomSorted);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("attestations", n);
        row.put("entities", m);
        row.put("queries", queries);
        row.put("found", found);
        row.put("mean_hops", found == 0 ? 0 : Timing.round2((double) hopsTotal / found));
        row.put("median_ms", Timing.round3(Timing.median(micros) / 1000));
        row.put("p90_ms", Timing.round3(sorted[(int) Math.floor(0.9 * (sorted.length - 1))] / 1000));
        row.put("random_found", randomFound);
        row.put("random_median_ms", Timing.round3(Timing.median(randomMicros) / 1000));
        row.put("random_p90_ms", Timing.round3(randomSorted[(int) Math.floor(0.9 * (randomSorted.length - 1))] / 1000));
        return row;
    }

    private static ProofBuilder.Result query(ProofBuilder builder, Held target, EntityId ns) {
        String concrete = target.resource.replace("*", "x");
        Policy want = Policy.parse("device:" + target.perms.get(0) + "@" + ns + "/" + concrete);
        return builder.build(target.subjectId, List.of(want));
    }

    private static String narrower(String resource, Random rnd) {
        if (!resource.endsWith("/*")) {
            return resource;
        }
        String base = resource.substring(0, resource.length() - 2);
        int depth = base.split("/").length;
        if (depth == 1) {
            return base + "/f" + rnd.nextInt(10) + "/*";
        }
        if (depth == 2) {
            return base + "/r" + rnd.nextInt(20);
        }
        return resource;
    }
}
