package io.wave.agent.bench;

import io.wave.crypto.EntityId;
import io.wave.crypto.Validity;
import io.wave.crypto.internal.HotKeys;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.PermissionSetRef;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.policy.GrantCache;
import io.wave.policy.Policy;
import io.wave.policy.ProofVerifier;
import io.wave.policy.Request;
import io.wave.policy.RevocationView;
import io.wave.policy.Verdict;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Proof verification on delegation chains of 1, 2, 4 and 8 hops, each next to the raw Ed25519 cost of
 * the signatures such a proof must check:
 * <ul>
 *   <li>{@code cold_us}: proof bytes in, nothing cached: decode, hash every object, check every
 *       attestation signature, evaluate the policy;</li>
 *   <li>{@code warm_us}: the proof as a device holds it after first sight (decoded, ids known), with its
 *       verified attestations cached by id: chain, validity, revocation and policy are still evaluated
 *       in full on every call;</li>
 *   <li>{@code warm_decode_us}: as warm, but starting again from the bytes;</li>
 *   <li>{@code limit_us}: {@code hops} raw Ed25519 verifications of messages the size of the
 *       attestations (one per attestation: entities are bound by hash, see UnverifiedEntity#bindTo);</li>
 *   <li>{@code cold_hot_keys_us}: as cold, from the bytes with nothing cached, but with the attesters'
 *       keys hot (each has verified often enough to get its comb table, see HotKeys): what a verifier pays
 *       for a new proof from issuers it sees all the time. Every other column is measured with the tables
 *       off.</li>
 * </ul>
 * All five are interleaved round by round, so their ratios hold on a noisy machine.
 */
public final class VerifyBench {
    private VerifyBench() {}

    public static List<Map<String, Object>> run(boolean quick) {
        SecureRandom random = new SecureRandom();
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Validity validity = Validity.startingAt(now.minusSeconds(3600), 86_400 * 30);
        int rounds = quick ? 7 : 21;
        double roundMicros = quick ? 5_000 : 20_000;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int hops : new int[] {1, 2, 4, 8}) {
            Chain c = chain(hops, random, validity);
            byte[] der = c.proof.encoded();
            Request request = new Request(List.of(c.policy), c.subject, null);
            ProofVerifier cold = ProofVerifier.create(clock, RevocationView.NONE);
            GrantCache cache = new GrantCache(GrantCache.DEFAULT_CAPACITY);
            ProofVerifier warm = ProofVerifier.create(clock, RevocationView.NONE).withCache(cache);
            Verdict check = warm.verify(c.proof, request);
            if (!check.valid()) {
                throw new IllegalStateException("benchmark proof is not valid: " + check.reason() + " " + check.detail());
            }
            Runnable coldOp = () -> {
                HotKeys.enabled(false);
                Timing.sink += cold.verify(der, request).valid() ? 1 : 0;
            };
            Runnable coldHotOp = () -> {
                HotKeys.enabled(true);
                Timing.sink += cold.verify(der, request).valid() ? 1 : 0;
            };
            Runnable warmOp = () -> {
                HotKeys.enabled(false);
                Timing.sink += warm.verify(c.proof, request).valid() ? 1 : 0;
            };
            Runnable warmDecodeOp = () -> {
                HotKeys.enabled(false);
                Timing.sink += warm.verify(der, request).valid() ? 1 : 0;
            };
            Runnable limitOp = ed25519Limit(hops, c.attestationBytes, random);
            long warmMillis = quick ? 150 : 600;
            Timing.warm(coldOp, warmMillis);
            Timing.warm(limitOp, warmMillis);
            Timing.warm(warmOp, warmMillis);
            Timing.warm(warmDecodeOp, warmMillis);
            Timing.warm(coldHotOp, warmMillis);
            double[] t;
            try {
                t = Timing.compare(rounds, roundMicros, coldOp, limitOp, warmOp, warmDecodeOp, coldHotOp);
            } finally {
                HotKeys.enabled(true);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("hops", hops);
            row.put("signatures", hops);
            row.put("proof_bytes", der.length);
            row.put("cold_us", Timing.round2(t[0]));
            row.put("warm_us", Timing.round2(t[2]));
            row.put("warm_decode_us", Timing.round2(t[3]));
            row.put("limit_us", Timing.round2(t[1]));
            row.put("cold_over_limit", Timing.round2(t[0] / t[1]));
            row.put("cold_hot_keys_us", Timing.round2(t[4]));
            row.put("cold_over_cold_hot_keys", Timing.round2(t[0] / t[4]));
            rows.add(row);
        }
        return rows;
    }

    /**
     * {@code signatures} raw Ed25519 verifications (Bouncy Castle's {@code Ed25519.verify}, as the proofs use)
     * of random messages of {@code messageBytes}, each under its own key: the floor for any verifier that
     * checks that many signatures.
     */
    public static Runnable ed25519Limit(int signatures, int messageBytes, SecureRandom random) {
        byte[][] msgs = new byte[signatures][];
        byte[][] sigs = new byte[signatures][];
        byte[][] pks = new byte[signatures][];
        for (int i = 0; i < signatures; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            pks[i] = new byte[32];
            Ed25519.generatePublicKey(seed, 0, pks[i], 0);
            msgs[i] = new byte[messageBytes];
            random.nextBytes(msgs[i]);
            sigs[i] = new byte[64];
            Ed25519.sign(seed, 0, msgs[i], 0, msgs[i].length, sigs[i], 0);
        }
        return () -> {
            for (int i = 0; i < signatures; i++) {
                Timing.sink += Ed25519.verify(sigs[i], 0, pks[i], 0, msgs[i], 0, msgs[i].length) ? 1 : 0;
            }
        };
    }

    /** A namespace, {@code hops} attestations down a chain of entities, and the proof of it. */
    public record Chain(UnverifiedProof proof, Policy policy, EntityId subject, int attestationBytes) {}

    /**
     * {@code hops} grants of {@code device:actuate,read} from a fresh namespace down a chain of fresh entities,
     * narrowed from {@code building1/*} to {@code building1/floor2/+/setpoint}, each allowing exactly the
     * re-delegations still below it; the policy asks to actuate {@code building1/floor2/hvac/setpoint}.
     */
    public static Chain chain(int hops, SecureRandom random, Validity validity) {
        List<EntitySecret> es = new ArrayList<>();
        for (int i = 0; i <= hops; i++) {
            es.add(EntitySecret.create(random, validity));
        }
        EntityId ns = es.get(0).id();
        Policy policy = Policy.parse("device:actuate@" + ns + "/building1/floor2/hvac/setpoint");
        List<Attestation> atts = new ArrayList<>();
        List<Integer> path = new ArrayList<>();
        for (int i = 0; i < hops; i++) {
            byte[] nonce = Attestation.newNonce(random);
            String resource = i == 0 ? "building1/*" : i == 1 ? "building1/floor2/*" : "building1/floor2/+/setpoint";
            AttestationBody body = new AttestationBody(es.get(i).id(), es.get(i + 1).id(), ns,
                    new PermissionSetRef.Builtin("device"), List.of("actuate", "read"), resource, hops - i - 1,
                    validity, List.of(), es.get(i).attestationRevocationSecret(nonce).commitment(), nonce, List.of());
            atts.add(Attestation.sign(body, es.get(i)));
            path.add(i);
        }
        List<Entity> entities = es.stream().map(EntitySecret::entity).toList();
        UnverifiedProof proof = UnverifiedProof.assemble(entities, atts, List.of(path));
        return new Chain(proof, policy, es.get(hops).id(), atts.get(0).encoded().length);
    }
}
