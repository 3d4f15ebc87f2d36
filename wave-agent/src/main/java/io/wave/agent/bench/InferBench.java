package io.wave.agent.bench;

import io.wave.agent.ml.InferenceService;
import io.wave.agent.ml.ModelTrainer;
import io.wave.agent.ml.OnnxModel;
import io.wave.agent.ml.SyntheticBuilding;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.PermissionSetRef;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.policy.GrantCache;
import io.wave.policy.InferenceGate;
import io.wave.policy.ModelRef;
import io.wave.policy.ProofVerifier;
import io.wave.policy.RevocationView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gated inference against the bare model, in one run: the occupancy model (logistic regression trained
 * here on the synthetic building, served by ONNX Runtime) asked by a caller whose proof grants
 * {@code ml:infer} through 1 or 2 delegation hops. Three operations are timed call by call, interleaved
 * (bare, gated, authorise only, then again), after JIT warm-up:
 * <ul>
 *   <li>{@code bare}: {@code model.predict(row)};</li>
 *   <li>{@code gated}: what {@code wave infer serve} does per request short of HTTP and the disk: check the
 *       row, authorise the caller's proof (decoded once, its verified grants cached: a warm cache;
 *       chain, validity, revocation and policy evaluated in full), run the model, digest the input for
 *       the audit record;</li>
 *   <li>{@code auth}: the authorisation alone.</li>
 * </ul>
 * {@code auth_share} is the median authorisation time over the median gated time; {@code gate_overhead_share}
 * is what gating adds in all (authorisation, row check, input digest) over the median gated time.
 */
public final class InferBench {
    private InferBench() {}

    public static List<Map<String, Object>> run(boolean quick) {
        SecureRandom random = new SecureRandom();
        Instant now = Instant.parse("2030-01-01T12:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Validity validity = Validity.startingAt(now.minusSeconds(3600), 86_400 * 30);
        int calls = quick ? 3_000 : 30_000;
        long warmMillis = quick ? 300 : 2_000;
        List<Map<String, Object>> rows = new ArrayList<>();
        try (OnnxModel model = OnnxModel.load(train(quick))) {
            float[] row = new SyntheticBuilding(7).next().features();
            // The first calls into ONNX Runtime also warm its own allocations: done once, before any row.
            Timing.warm(() -> Timing.sink += model.predict(row).label().length(), warmMillis);
            for (int hops : new int[] {1, 2}) {
                Chain c = chain(hops, random, validity);
                Set<RevocationCommitment> revoked = ConcurrentHashMap.newKeySet();
                // A device-side view: the revocations seen on the ledger, in memory (fail closed is the default).
                RevocationView view = cm -> revoked.contains(cm) ? RevocationView.Status.REVOKED
                        : RevocationView.Status.NOT_REVOKED;
                InferenceGate gate = new InferenceGate(ProofVerifier.create(clock, view)
                        .withCache(new GrantCache(GrantCache.DEFAULT_CAPACITY)));
                InferenceService service = new InferenceService(c.ref, c.model, model, gate, r -> { }, clock);
                if (!service.infer(c.caller, c.proof, row).allowed()) {
                    throw new IllegalStateException("benchmark proof does not authorise inference");
                }
                Runnable bare = () -> Timing.sink += model.predict(row).label().length();
                Runnable gated = () -> Timing.sink += service.infer(c.caller, c.proof, row).prediction().label().length();
                Runnable auth = () -> Timing.sink += gate.authorizeInference(c.proof, c.caller, c.ref).valid() ? 1 : 0;
                Timing.warm(bare, warmMillis);
                Timing.warm(gated, warmMillis);
                Timing.warm(auth, warmMillis);
                Timing.interleaved(calls / 5, bare, gated, auth); // the timing loop itself, once untimed
                long[][] t = Timing.interleaved(calls, bare, gated, auth);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("hops", hops);
                m.put("calls", calls);
                m.put("bare_p50_us", us(Timing.percentile(t[0], 50)));
                m.put("bare_p99_us", us(Timing.percentile(t[0], 99)));
                m.put("gated_p50_us", us(Timing.percentile(t[1], 50)));
                m.put("gated_p99_us", us(Timing.percentile(t[1], 99)));
                m.put("auth_p50_us", us(Timing.percentile(t[2], 50)));
                m.put("auth_p99_us", us(Timing.percentile(t[2], 99)));
                long gated50 = Timing.percentile(t[1], 50);
                m.put("auth_share", Timing.round3((double) Timing.percentile(t[2], 50) / gated50));
                m.put("gate_overhead_share", Timing.round3((double) (gated50 - Timing.percentile(t[0], 50)) / gated50));
                rows.add(m);
            }
        }
        return rows;
    }

    private static double us(long nanos) {
        return Timing.round2(nanos / 1000.0);
    }

    /** The occupancy model, trained here as a user would with {@code wave model train}. */
    private static byte[] train(boolean quick) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("wave-bench-infer");
            Path csv = dir.resolve("building.csv");
            Files.writeString(csv, SyntheticBuilding.csv(1, quick ? 1_000 : 5_000));
            return ModelTrainer.train(csv, SyntheticBuilding.LABEL).onnx();
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "no scratch directory for the benchmark model: " + e.getMessage());
        } finally {
            if (dir != null) {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // scratch space only
                }
            }
        }
    }

    record Chain(UnverifiedProof proof, ModelRef ref, EntityId caller, EntityId model) {}

    /** ns grants ml:infer on models/* to an operator, who narrows it to the model for the caller (2 hops). */
    private static Chain chain(int hops, SecureRandom random, Validity validity) {
        List<EntitySecret> es = new ArrayList<>();
        for (int i = 0; i <= hops; i++) {
            es.add(EntitySecret.create(random, validity));
        }
        EntitySecret modelEntity = EntitySecret.create(random, validity);
        EntityId ns = es.get(0).id();
        List<Attestation> atts = new ArrayList<>();
        List<Integer> path = new ArrayList<>();
        for (int i = 0; i < hops; i++) {
            byte[] nonce = Attestation.newNonce(random);
            AttestationBody body = new AttestationBody(es.get(i).id(), es.get(i + 1).id(), ns,
                    new PermissionSetRef.Builtin("ml"), List.of("infer"), i == hops - 1 ? "models/occupancy" : "models/*",
                    hops - i - 1, validity, List.of(), es.get(i).attestationRevocationSecret(nonce).commitment(), nonce, List.of());
            atts.add(Attestation.sign(body, es.get(i)));
            path.add(i);
        }
        List<Entity> entities = es.stream().map(EntitySecret::entity).toList();
        return new Chain(UnverifiedProof.assemble(entities, atts, List.of(path)), new ModelRef(ns, "occupancy"),
                es.get(hops).id(), modelEntity.id());
    }
}
