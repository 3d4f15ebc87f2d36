package io.wave.policy;

import static io.wave.policy.testing.GrantBuilder.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.crypto.testing.TestEntities;
import io.wave.policy.testing.GrantBuilder;
import io.wave.policy.testing.TestRevocations;
import io.wave.policy.vectors.Manifest;
import io.wave.policy.vectors.VectorGenerator;
import io.wave.policy.vectors.VectorRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A verifier with a {@link GrantCache} skips re-checking signatures it has already checked, and nothing else:
 * its verdicts are the uncached verifier's, what fails to verify is never cached, and validity and revocation
 * are decided afresh every time.
 */
class ProofVerifierCacheTest {
    private static final VectorGenerator.VectorSet VECTORS = VectorGenerator.generate();
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    private static final EntitySecret NS = TestEntities.create("cache/namespace");
    private static final EntitySecret ALICE = TestEntities.create("cache/alice");
    private static final EntitySecret BOB = TestEntities.create("cache/bob");
    private static final Attestation FIRST = GrantBuilder.grant("cache/ns-alice", NS, ALICE.id()).resource("building1/*")
            .indirections(1).sign();
    private static final Attestation SECOND = GrantBuilder.grant("cache/alice-bob", ALICE, BOB.id()).in(NS.id())
            .resource("building1/floor2/*").sign();
    private static final byte[] PROOF = UnverifiedProof.assemble(List.of(NS.entity(), ALICE.entity(), BOB.entity()),
            List.of(FIRST, SECOND), List.of(List.of(0, 1))).encoded();
    private static final Request REQUEST = new Request(
            List.of(Policy.parse("device:actuate@" + NS.id() + "/building1/floor2/hvac")), BOB.id(), null);

    @Test
    void cachedVerifier_givesTheUncachedVerdictOnEveryGoldenVector() {
        GrantCache cache = new GrantCache(GrantCache.DEFAULT_CAPACITY);
        List<String> differences = new ArrayList<>();
        // twice through one cache: first filling it, then answering from it
        for (int round = 1; round <= 2; round++) {
            for (Manifest.Case c : VECTORS.manifest().cases()) {
                Verdict plain = VectorRunner.run(c, VECTORS.file(c), null);
                Verdict cached = VectorRunner.run(c, VECTORS.file(c), cache);
                if (plain.reason() != cached.reason() || plain.valid() != cached.valid()) {
                    differences.add("round " + round + ", " + c.name() + ": " + plain.reason() + " uncached, "
                            + cached.reason() + " cached (" + cached.detail() + ")");
                }
            }
        }
        assertTrue(differences.isEmpty(), String.join("\n", differences));
        assertTrue(cache.size() > 0, "the vectors' valid attestations were cached");
    }

    @Test
    void forgedAttestation_neverEntersTheCache() {
        // each vector, and the index of the attestation in it whose signature is not its attester's
        Map<String, List<Integer>> forgedAt = Map.of("bad-signature-forged-first-hop", List.of(0),
                "bad-signature-forged-later-hop", List.of(1), "bad-signature-swapped", List.of(0, 1),
                "bad-signature-bit-flipped", List.of(1), "bad-signature-body-altered", List.of(1));
        GrantCache cache = new GrantCache(100);
        forgedAt.forEach((name, indices) -> {
            Manifest.Case c = vector(name);
            for (int i = 0; i < 2; i++) {
                assertEquals(ReasonCode.BAD_SIGNATURE, VectorRunner.run(c, VECTORS.file(c), cache).reason(), name);
            }
            UnverifiedProof proof = UnverifiedProof.decode(VectorRunner.der(c.file(), VECTORS.file(c)));
            for (int i : indices) {
                assertNull(cache.get(proof.attestations().get(i).id()), name + ": attestation " + i + " was cached");
            }
        });
    }

    @Test
    void forgedCopyOfACachedGrant_isStillRefused() {
        GrantCache cache = new GrantCache(100);
        Manifest.Case genuine = vector("valid-two-hop");
        assertEquals(ReasonCode.VALID, VectorRunner.run(genuine, VECTORS.file(genuine), cache).reason());
        int cached = cache.size();

        // the same bodies, now with a flipped bit, swapped or altered signatures: other ids, so no cache hit
        for (String tampered : List.of("bad-signature-swapped", "bad-signature-bit-flipped", "bad-signature-body-altered")) {
            Manifest.Case c = vector(tampered);
            assertEquals(ReasonCode.BAD_SIGNATURE, VectorRunner.run(c, VECTORS.file(c), cache).reason(), tampered);
        }
        assertEquals(cached, cache.size());
    }

    @Test
    void cachedGrant_stillNeedsItsEntitiesInTheProof() {
        GrantCache cache = new GrantCache(100);
        Manifest.Case genuine = vector("valid-two-hop");
        assertEquals(ReasonCode.VALID, VectorRunner.run(genuine, VECTORS.file(genuine), cache).reason());
        for (String missing : List.of("broken-chain-missing-attester-entity", "broken-chain-missing-subject-entity",
                "broken-chain-missing-namespace-entity")) {
            Manifest.Case c = vector(missing);
            assertEquals(ReasonCode.BROKEN_CHAIN, VectorRunner.run(c, VECTORS.file(c), cache).reason(), missing);
        }
    }

    @Test
    void revocationAfterCaching_isStillSeen() {
        TestRevocations revocations = new TestRevocations();
        GrantCache cache = new GrantCache(100);
        ProofVerifier verifier = ProofVerifier.create(CLOCK, revocations).withCache(cache);
        assertEquals(ReasonCode.VALID, verifier.verify(PROOF, REQUEST).reason());
        assertEquals(2, cache.size());

        revocations.revoke(SECOND.body().revocation());

        assertEquals(ReasonCode.REVOKED, verifier.verify(PROOF, REQUEST).reason());
    }

    @Test
    void entityRevocationAfterCaching_isStillSeen() {
        TestRevocations revocations = new TestRevocations();
        ProofVerifier verifier = ProofVerifier.create(CLOCK, revocations).withCache(new GrantCache(100));
        assertEquals(ReasonCode.VALID, verifier.verify(PROOF, REQUEST).reason());

        revocations.revoke(ALICE.entityRevocationSecret());

        assertEquals(ReasonCode.REVOKED, verifier.verify(PROOF, REQUEST).reason());
    }

    @Test
    void expiryAfterCaching_isStillSeen() {
        GrantCache cache = new GrantCache(100);
        assertEquals(ReasonCode.VALID, ProofVerifier.create(CLOCK, RevocationView.NONE).withCache(cache)
                .verify(PROOF, REQUEST).reason());

        Clock later = Clock.fixed(FIRST.validity().notAfter().plusSeconds(1), ZoneOffset.UTC);
        assertEquals(ReasonCode.EXPIRED, ProofVerifier.create(later, RevocationView.NONE).withCache(cache)
                .verify(PROOF, REQUEST).reason());
    }

    @Test
    void cache_staysWithinItsCapacity() {
        GrantCache cache = new GrantCache(1);
        ProofVerifier verifier = ProofVerifier.create(CLOCK, RevocationView.NONE).withCache(cache);
        for (int i = 0; i < 3; i++) {
            assertEquals(ReasonCode.VALID, verifier.verify(PROOF, REQUEST).reason());
            assertEquals(1, cache.size());
        }
        cache.clear();
        assertEquals(0, cache.size());
        assertThrows(IllegalArgumentException.class, () -> new GrantCache(0));
    }

    @Test
    void cachedGrant_isTheOneThatWasVerified() {
        GrantCache cache = new GrantCache(100);
        ProofVerifier.create(CLOCK, RevocationView.NONE).withCache(cache).verify(PROOF, REQUEST);
        assertEquals(FIRST, cache.get(FIRST.id()).attestation());
        assertEquals(SECOND, cache.get(SECOND.id()).attestation());
    }

    private static Manifest.Case vector(String name) {
        return VECTORS.manifest().cases().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no golden vector " + name));
    }
}
