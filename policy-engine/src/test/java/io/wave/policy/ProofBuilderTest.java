package io.wave.policy;

import static io.wave.policy.testing.GrantBuilder.AROUND_NOW;
import static io.wave.policy.testing.GrantBuilder.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.testing.TestEntities;
import io.wave.policy.testing.GrantBuilder;
import io.wave.policy.testing.TestRevocations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Building proofs from a grant graph: which path is chosen, which edges are never used, and that a search
 * ends on cycles and at its bounds. Every proof the builder returns is also run through {@link ProofVerifier},
 * which must find it valid.
 */
class ProofBuilderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final long DAY = 86_400;
    /** A time bound no correct search of these graphs meets, however busy the machine: counts bound them. */
    private static final Duration NO_TIME_BOUND = Duration.ofDays(1);
    /** Only a search that never ends reaches this; it fails the test instead of hanging the build. */
    private static final Duration HANG = Duration.ofSeconds(120);

    private static final EntitySecret NS = entity("namespace");
    private static final EntitySecret ALICE = entity("alice");
    private static final EntitySecret BOB = entity("bob");
    private static final EntitySecret CAROL = entity("carol");
    private static final EntitySecret DAVE = entity("dave");
    private static final EntitySecret ERIN = entity("erin");

    private static final String HVAC = "building1/floor2/hvac";

    private final GrantGraph graph = new GrantGraph();
    private final TestRevocations revocations = new TestRevocations();

    ProofBuilderTest() {
        for (EntitySecret e : List.of(NS, ALICE, BOB, CAROL, DAVE, ERIN)) {
            graph.add(e.entity());
        }
    }

    @Test
    void build_findsAPathThroughTheGraph() {
        add(grant("ns-alice", NS, ALICE).indirections(1));
        add(grant("alice-bob", ALICE, BOB));

        ProofBuilder.Found found = found(builder().build(BOB.id(), List.of(actuate(HVAC))));

        assertEquals(List.of(List.of(NS.id(), ALICE.id(), BOB.id())), routes(found));
        assertProofHolds(found, BOB, actuate(HVAC));
    }

    @Test
    void build_prefersTheShortestPath() {
        // the longer path lives longer: length decides first
        add(grant("long-1", NS, ALICE).indirections(2));
        add(grant("long-2", ALICE, BOB).indirections(1));
        add(grant("long-3", BOB, DAVE));
        add(grant("short-1", NS, CAROL).indirections(1).validity(AROUND_NOW.notBefore().getEpochSecond(), NOW + DAY));
        add(grant("short-2", CAROL, DAVE).validity(AROUND_NOW.notBefore().getEpochSecond(), NOW + DAY));

        ProofBuilder.Found found = found(builder().build(DAVE.id(), List.of(actuate(HVAC))));

        assertEquals(List.of(List.of(NS.id(), CAROL.id(), DAVE.id())), routes(found));
        assertProofHolds(found, DAVE, actuate(HVAC));
    }

    @Test
    void build_prefersTheLongestLivedAmongPathsOfOneLength() {
        add(grant("soon-1", NS, ALICE).indirections(1));
        add(grant("soon-2", ALICE, DAVE).validity(AROUND_NOW.notBefore().getEpochSecond(), NOW + 30 * DAY));
        add(grant("late-1", NS, CAROL).indirections(1));
        add(grant("late-2", CAROL, DAVE).validity(AROUND_NOW.notBefore().getEpochSecond(), NOW + 90 * DAY));
        add(grant("mid-1", NS, ERIN).indirections(1).validity(AROUND_NOW.notBefore().getEpochSecond(), NOW + 60 * DAY));
        add(grant("mid-2", ERIN, DAVE));

        ProofBuilder.Found found = found(builder().build(DAVE.id(), List.of(actuate(HVAC))));

        assertEquals(List.of(List.of(NS.id(), CAROL.id(), DAVE.id())), routes(found));
    }

    @Test
    void build_keepsTheLongestLivedHopIntoEachEntity() {
        // alice reaches dave through carol (short-lived) and through bob (long-lived); carol is found first
        add(grant("carol-dave", CAROL, DAVE));
        add(grant("bob-dave", BOB, DAVE));
        add(grant("alice-carol", ALICE, CAROL).indirections(1)
                .validity(AROUND_NOW.notBefore().getEpochSecond(), NOW + 30 * DAY));
        add(grant("alice-bob", ALICE, BOB).indirections(1)
                .validity(AROUND_NOW.notBefore().getEpochSecond(), NOW + 90 * DAY));
        add(grant("ns-alice", NS, ALICE).indirections(2));

        ProofBuilder.Found found = found(builder().build(DAVE.id(), List.of(actuate(HVAC))));

        assertEquals(List.of(List.of(NS.id(), ALICE.id(), BOB.id(), DAVE.id())), routes(found));
    }

    @Test
    void build_countsEntityLifetimesInAPathsLife() {
        EntitySecret shortLived = entity("short-lived", Validity.ofSeconds(NOW - DAY, NOW + 10 * DAY));
        graph.add(shortLived.entity());
        add(grant("via-short-lived-1", NS, shortLived).indirections(1));
        add(grant("via-short-lived-2", shortLived, DAVE));
        add(grant("via-carol-1", NS, CAROL).indirections(1));
        add(grant("via-carol-2", CAROL, DAVE).validity(AROUND_NOW.notBefore().getEpochSecond(), NOW + 20 * DAY));

        ProofBuilder.Found found = found(builder().build(DAVE.id(), List.of(actuate(HVAC))));

        assertEquals(List.of(List.of(NS.id(), CAROL.id(), DAVE.id())), routes(found));
    }

    @Test
    void build_unionsOnePathPerPermissionWhenNoPathCarriesAll() {
        add(grant("read-1", NS, ALICE).permissions("device", "read").indirections(1));
        add(grant("read-2", ALICE, DAVE).permissions("device", "read"));
        add(grant("actuate-1", NS, CAROL).permissions("device", "actuate").indirections(1));
        add(grant("actuate-2", CAROL, DAVE).permissions("device", "actuate"));
        Policy both = policy("device:read,actuate", HVAC);

        ProofBuilder.Found found = found(builder().build(DAVE.id(), List.of(both)));

        assertEquals(Set.of(List.of(NS.id(), ALICE.id(), DAVE.id()), List.of(NS.id(), CAROL.id(), DAVE.id())),
                Set.copyOf(routes(found)));
        assertProofHolds(found, DAVE, both);
    }

    @Test
    void build_prefersOnePathThatCarriesEveryPermission() {
        // two short paths would union to read and actuate; one longer path carries both
        add(grant("read-1", NS, ALICE).permissions("device", "read").indirections(1));
        add(grant("actuate-1", NS, CAROL).permissions("device", "actuate").indirections(1));
        add(grant("both-1", NS, ERIN).indirections(2));
        add(grant("both-2", ERIN, BOB).indirections(1));
        add(grant("both-3", BOB, DAVE));
        add(grant("read-2", ALICE, DAVE).permissions("device", "read"));
        add(grant("actuate-2", CAROL, DAVE).permissions("device", "actuate"));

        ProofBuilder.Found found = found(builder().build(DAVE.id(), List.of(policy("device:read,actuate", HVAC))));

        assertEquals(List.of(List.of(NS.id(), ERIN.id(), BOB.id(), DAVE.id())), routes(found));
    }

    @Test
    void build_coversEachRequiredPolicy() {
        add(grant("hvac", NS, DAVE).permissions("device", "actuate"));
        add(grant("topics", NS, DAVE).permissions("mqtt", "publish").resource("telemetry/*"));
        Policy mqtt = policy("mqtt:publish", "telemetry/dave");

        ProofBuilder.Found found = found(builder().build(DAVE.id(), List.of(actuate(HVAC), mqtt)));

        assertEquals(2, found.paths().size());
        assertProofHolds(found, DAVE, actuate(HVAC), mqtt);
    }

    @Test
    void build_respectsIndirections() {
        add(grant("no-redelegation", NS, ALICE).indirections(0));
        add(grant("alice-bob", ALICE, BOB).indirections(1));
        add(grant("bob-dave", BOB, DAVE));

        assertNotFound(builder().build(BOB.id(), List.of(actuate(HVAC))));

        add(grant("one-redelegation", NS, ALICE).indirections(1));
        ProofBuilder.Found toBob = found(builder().build(BOB.id(), List.of(actuate(HVAC))));
        assertProofHolds(toBob, BOB, actuate(HVAC));
        assertNotFound(builder().build(DAVE.id(), List.of(actuate(HVAC))));

        add(grant("two-redelegations", NS, ALICE).indirections(2));
        assertProofHolds(found(builder().build(DAVE.id(), List.of(actuate(HVAC)))), DAVE, actuate(HVAC));
    }

    @Test
    void build_skipsExpiredAndNotYetValidGrants() {
        add(grant("expired-direct", NS, DAVE).validity(AROUND_NOW.notBefore().getEpochSecond(), NOW - 1));
        add(grant("future-direct", NS, DAVE).validity(NOW + 1, AROUND_NOW.notAfter().getEpochSecond()));
        add(grant("via-alice-1", NS, ALICE).indirections(1));
        add(grant("via-alice-2", ALICE, DAVE));

        ProofBuilder.Found found = found(builder().build(DAVE.id(), List.of(actuate(HVAC))));

        assertEquals(List.of(List.of(NS.id(), ALICE.id(), DAVE.id())), routes(found));
        assertProofHolds(found, DAVE, actuate(HVAC));
    }

    @Test
    void build_passesOverAGrantWhoseDailyWindowExcludesNow() {
        // It is 12:00 UTC. The direct grant holds only 08:00-11:00; the longer path holds all day.
        add(grant("mornings-direct", NS, DAVE).caveat("time in 08:00-11:00"));
        add(grant("all-day-1", NS, CAROL).indirections(1));
        add(grant("all-day-2", CAROL, DAVE));

        ProofBuilder.Found found = found(builder().build(DAVE.id(), List.of(actuate(HVAC))));

        assertEquals(List.of(List.of(NS.id(), CAROL.id(), DAVE.id())), routes(found));
        assertProofHolds(found, DAVE, actuate(HVAC));
    }

    @Test
    void build_saysWhenADailyWindowIsAllThatStandsInTheWay() {
        add(grant("evenings-1", NS, CAROL).indirections(1).caveat("time in 22:00-06:00"));
        add(grant("evenings-2", CAROL, DAVE));

        ProofBuilder.Result r = builder().build(DAVE.id(), List.of(actuate(HVAC)));

        assertNotFound(r);
        String detail = ((ProofBuilder.NotFound) r).detail();
        assertTrue(detail.contains("time in 22:00-06:00 UTC") && detail.contains("excludes now"), detail);
    }

    @Test
    void build_skipsRevokedGrantsAndGrantsOfUnknownStatus() {
        Attestation direct = add(grant("revoked-direct", NS, DAVE));
        Attestation unknown = add(grant("unknown-1", NS, ALICE).indirections(1));
        add(grant("unknown-2", ALICE, DAVE));
        add(grant("via-carol-1", NS, CAROL).indirections(1));
        add(grant("via-carol-2", CAROL, DAVE));
        revocations.revoke(direct.body().revocation()).unknown(unknown.body().revocation());

        ProofBuilder.Found found = found(builder().build(DAVE.id(), List.of(actuate(HVAC))));

        assertEquals(List.of(List.of(NS.id(), CAROL.id(), DAVE.id())), routes(found));
        assertProofHolds(found, DAVE, actuate(HVAC));
    }

    @Test
    void build_skipsPathsThroughRevokedOrExpiredEntities() {
        EntitySecret expired = entity("expired", Validity.ofSeconds(NOW - 10 * DAY, NOW - DAY));
        graph.add(expired.entity());
        add(grant("via-expired-1", NS, expired).indirections(1));
        add(grant("via-expired-2", expired, DAVE));
        add(grant("via-alice-1", NS, ALICE).indirections(1));
        add(grant("via-alice-2", ALICE, DAVE));
        revocations.revoke(ALICE.entityRevocationSecret());

        assertNotFound(builder().build(DAVE.id(), List.of(actuate(HVAC))));

        add(grant("via-bob-1", NS, BOB).indirections(1));
        add(grant("via-bob-2", BOB, DAVE));
        assertEquals(List.of(List.of(NS.id(), BOB.id(), DAVE.id())),
                routes(found(builder().build(DAVE.id(), List.of(actuate(HVAC))))));
    }

    @Test
    void build_findsNothingForAnExpiredSubject() {
        EntitySecret gone = entity("gone", Validity.ofSeconds(NOW - 10 * DAY, NOW - DAY));
        graph.add(gone.entity());
        add(grant("to-gone", NS, gone));

        assertNotFound(builder().build(gone.id(), List.of(actuate(HVAC))));
    }

    @Test
    void build_usesOnlyGrantsThatCoverTheRequestOnTheirOwn() {
        add(grant("narrower", NS, DAVE).resource("building1/floor3/*"));
        add(grant("other-set", NS, DAVE).permissions("mqtt", "publish", "subscribe"));
        add(grant("other-namespace", ERIN, DAVE).in(ERIN.id()));
        add(grant("read-only", NS, DAVE).permissions("device", "read"));

        assertNotFound(builder().build(DAVE.id(), List.of(actuate(HVAC))));
    }

    @Test
    void build_endsOnCyclesWithoutAPath() {
        // alice, bob and carol delegate to each other and to dave, but the namespace never granted any of them
        add(grant("alice-bob", ALICE, BOB).indirections(10));
        add(grant("bob-carol", BOB, CAROL).indirections(10));
        add(grant("carol-alice", CAROL, ALICE).indirections(10));
        add(grant("bob-alice", BOB, ALICE).indirections(10));
        add(grant("dave-alice", DAVE, ALICE).indirections(10));
        add(grant("carol-dave", CAROL, DAVE).indirections(10));
        add(grant("dave-dave", DAVE, DAVE).indirections(10));

        // each entity is visited once, so the seven grants are examined once each: a bound of 20 is never reached.
        // The count ends the search; no time bound it could meet on a busy machine decides the outcome.
        ProofBuilder.Result r = assertTimeoutPreemptively(HANG,
                () -> builder().withBounds(16, 20, NO_TIME_BOUND).build(DAVE.id(), List.of(actuate(HVAC))));

        ProofBuilder.NotFound nf = assertInstanceOf(ProofBuilder.NotFound.class, r);
        assertFalse(nf.exhausted(), "the graph ran out, not a bound: " + nf.detail());
    }

    @Test
    void build_findsThePathOutOfACycle() {
        add(grant("alice-bob", ALICE, BOB).indirections(10));
        add(grant("bob-alice", BOB, ALICE).indirections(10));
        add(grant("bob-dave", BOB, DAVE));
        add(grant("ns-alice", NS, ALICE).indirections(10));

        ProofBuilder.Found found = found(builder().build(DAVE.id(), List.of(actuate(HVAC))));

        assertEquals(List.of(List.of(NS.id(), ALICE.id(), BOB.id(), DAVE.id())), routes(found));
        assertProofHolds(found, DAVE, actuate(HVAC));
    }

    @Test
    void build_givesUpAtItsBoundsOnHugeFanOut() {
        // 1,200 grants reach dave from 40 entities, none of which the namespace ever granted anything
        for (int a = 0; a < 40; a++) {
            EntitySecret attester = entity("fan-" + a);
            graph.add(attester.entity());
            for (int g = 0; g < 30; g++) {
                add(GrantBuilder.grant("builder/fan-" + a + "-" + g, attester, DAVE.id()).in(NS.id())
                        .resource("building1/*").indirections(1));
            }
        }

        ProofBuilder.Result counted = builder().withBounds(16, 500, Duration.ofSeconds(30))
                .build(DAVE.id(), List.of(actuate(HVAC)));
        ProofBuilder.NotFound byCount = assertInstanceOf(ProofBuilder.NotFound.class, counted);
        assertTrue(byCount.exhausted(), byCount.detail());

        ProofBuilder.Result timed = builder().withBounds(16, 1_000_000, Duration.ZERO)
                .build(DAVE.id(), List.of(actuate(HVAC)));
        ProofBuilder.NotFound byTime = assertInstanceOf(ProofBuilder.NotFound.class, timed);
        assertTrue(byTime.exhausted(), byTime.detail());

        // The default count bound, without the default time bound a loaded machine could meet at 1,024 grants.
        ProofBuilder.NotFound unbounded = assertInstanceOf(ProofBuilder.NotFound.class,
                builder().withBounds(Limits.MAX_PATH_LENGTH, ProofBuilder.DEFAULT_MAX_EXAMINED, NO_TIME_BOUND)
                        .build(DAVE.id(), List.of(actuate(HVAC))));
        assertFalse(unbounded.exhausted(), "within the default count bound the whole graph is searched");
    }

    @Test
    void build_searchesNoDeeperThanItsDepthBound() {
        add(grant("deep-1", NS, ALICE).indirections(2));
        add(grant("deep-2", ALICE, BOB).indirections(1));
        add(grant("deep-3", BOB, DAVE));

        assertInstanceOf(ProofBuilder.NotFound.class, builder().withBounds(2, 1000, Duration.ofSeconds(30))
                .build(DAVE.id(), List.of(actuate(HVAC))));
        found(builder().withBounds(3, 1000, Duration.ofSeconds(30)).build(DAVE.id(), List.of(actuate(HVAC))));
    }

    @Test
    void withBounds_refusesBoundsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> builder().withBounds(0, 10, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> builder().withBounds(17, 10, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> builder().withBounds(4, 0, Duration.ofSeconds(1)));
    }

    @Test
    void build_refusesAnUnknownSubject() {
        EntitySecret stranger = entity("stranger");
        add(grant("to-stranger", NS, stranger));

        WaveException e = assertThrows(WaveException.class,
                () -> builder().build(stranger.id(), List.of(actuate(HVAC))));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
    }

    @Test
    void build_needsNoProofForTheNamespaceItself() {
        assertNotFound(builder().build(NS.id(), List.of(actuate(HVAC))));
    }

    @Test
    void build_findsNothingInAnEmptyGraph() {
        assertNotFound(builder().build(DAVE.id(), List.of(actuate(HVAC))));
        assertThrows(IllegalArgumentException.class, () -> builder().build(DAVE.id(), List.of()));
    }

    // ------------------------------------------------------------------ helpers

    private ProofBuilder builder() {
        return ProofBuilder.create(graph, CLOCK, revocations);
    }

    private static EntitySecret entity(String label) {
        return TestEntities.create("builder/" + label);
    }

    private static EntitySecret entity(String label, Validity validity) {
        return TestEntities.create("builder/" + label, validity);
    }

    /** A grant of {@code device:actuate,read} on {@code building1/*} in {@link #NS}, until told otherwise. */
    private static GrantBuilder grant(String label, EntitySecret from, EntitySecret to) {
        return GrantBuilder.grant("builder/" + label, from, to.id()).in(NS.id()).resource("building1/*");
    }

    private Attestation add(GrantBuilder b) {
        Attestation a = b.sign();
        graph.add(a);
        return a;
    }

    private static Policy actuate(String resource) {
        return policy("device:actuate", resource);
    }

    private static Policy policy(String permissions, String resource) {
        return Policy.parse(permissions + "@" + NS.id() + "/" + resource);
    }

    private static ProofBuilder.Found found(ProofBuilder.Result r) {
        if (r instanceof ProofBuilder.NotFound nf) {
            throw new AssertionError("expected a proof, got: " + nf.detail());
        }
        return (ProofBuilder.Found) r;
    }

    private static void assertNotFound(ProofBuilder.Result r) {
        if (r instanceof ProofBuilder.Found f) {
            throw new AssertionError("expected no proof, got " + routes(f));
        }
        assertFalse(((ProofBuilder.NotFound) r).exhausted(), ((ProofBuilder.NotFound) r).detail());
    }

    /** Each path as the entities it passes, namespace first. */
    private static List<List<EntityId>> routes(ProofBuilder.Found found) {
        List<List<EntityId>> out = new ArrayList<>();
        for (List<Grant> path : found.paths()) {
            List<EntityId> route = new ArrayList<>();
            route.add(path.get(0).attester());
            path.stream().map(Grant::subject).forEach(route::add);
            out.add(route);
        }
        return out;
    }

    /** The built proof, as bytes a device would receive, is valid for what was asked. */
    private void assertProofHolds(ProofBuilder.Found found, EntitySecret subject, Policy... required) {
        Verdict v = ProofVerifier.create(CLOCK, revocations).verify(found.proof().encoded(),
                new Request(List.of(required), subject.id(), null));
        assertTrue(v.valid(), v.reason() + ": " + v.detail());
        assertEquals(found.paths().size(), found.proof().pathCount());
        assertEquals(found.paths().stream().flatMap(List::stream).map(Grant::id).collect(Collectors.toSet()),
                v.policies().stream().flatMap(p -> p.path().stream()).collect(Collectors.toSet()),
                "every path the builder chose is one the verifier used");
    }
}
