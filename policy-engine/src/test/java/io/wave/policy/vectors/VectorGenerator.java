package io.wave.policy.vectors;

import static io.wave.policy.testing.GrantBuilder.AROUND_NOW;
import static io.wave.policy.testing.GrantBuilder.NOW;

import io.wave.crypto.AttestationId;
import io.wave.crypto.EntityId;
import io.wave.crypto.Pem;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.RevocationSecret;
import io.wave.crypto.Validity;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Extension;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.crypto.testing.TestEntities;
import io.wave.policy.Policy;
import io.wave.policy.ReasonCode;
import io.wave.policy.testing.GrantBuilder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds the golden proof vectors: entities, attestations and proofs made with the real API from fixed
 * seeds ({@link TestEntities}, {@link GrantBuilder}) and fixed times, never the wall clock, so that every
 * run writes the same bytes. Ed25519 signing is deterministic, so the only randomness is seeded.
 *
 * <p>{@code GoldenVectorsTest.vectorsAreUpToDate} regenerates in memory and compares with the committed
 * files. After a deliberate change (to the encoding, or to a case here), write the files again with
 *
 * <pre>
 * mvn -q -pl policy-engine -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * java -cp "policy-engine/target/test-classes:policy-engine/target/classes:$(cat policy-engine/target/test-classpath.txt)" \
 *     io.wave.policy.vectors.VectorGenerator
 * </pre>
 *
 * from the repository root (or run {@link #main} from an IDE); then review the diff of {@code manifest.json},
 * where every verdict change shows.
 */
public final class VectorGenerator {
    public static final String MANIFEST = "manifest.json";

    private static final String ABOUT = "Golden vectors for io.wave.policy.ProofVerifier.verify(byte[], Request), written by "
            + "io.wave.policy.vectors.VectorGenerator (do not edit by hand). Each case: the proof file (.pem holds one "
            + "WAVE PROOF block, .der is raw bytes), the required policies (PSET:PERM[,PERM]@NAMESPACE/RESOURCE), the "
            + "subject asking (absent: any), the verifier's clock (epoch seconds), the caveat context, what is revoked "
            + "(commitments as unpadded base64url, or published secrets in hex), commitments of unknown status, "
            + "whether unknown counts as revoked (absent: true), and the expected verdict.";

    private static final long DAY = 86_400L;
    private static final String SETPOINT = "building1/floor2/hvac/setpoint";

    /** A generated set: the manifest and every file, by name relative to {@code vectors/}. */
    public record VectorSet(Manifest manifest, Map<String, byte[]> files) {
        /** The bytes of a case's file. */
        public byte[] file(Manifest.Case c) {
            return files.get(c.file());
        }
    }

    private final Map<EntityId, Entity> known = new HashMap<>();
    private final List<Manifest.Case> cases = new ArrayList<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    private final EntitySecret ns = entity("namespace");
    private final EntitySecret ns2 = entity("other-namespace");
    private final EntitySecret alice = entity("alice");
    private final EntitySecret bob = entity("bob");
    private final EntitySecret carol = entity("carol");
    private final EntitySecret dave = entity("dave");
    private final EntitySecret mallory = entity("mallory");
    private final EntitySecret bobExpired = entity("bob-expired",
            Validity.ofSeconds(TestEntities.LONG_VALIDITY.notBefore().getEpochSecond(), NOW - 30 * DAY));
    private final EntitySecret bobFuture = entity("bob-future",
            Validity.ofSeconds(NOW + 30 * DAY, TestEntities.LONG_VALIDITY.notAfter().getEpochSecond()));
    private final EntitySecret carolExpired = entity("carol-expired",
            Validity.ofSeconds(TestEntities.LONG_VALIDITY.notBefore().getEpochSecond(), NOW - DAY));

    private VectorGenerator() {}

    /** Builds every vector in memory. */
    public static VectorSet generate() {
        VectorGenerator g = new VectorGenerator();
        g.build();
        Manifest m = new Manifest(ABOUT, List.copyOf(g.cases));
        Map<String, byte[]> out = new LinkedHashMap<>(g.files);
        out.put(MANIFEST, m.toJson());
        return new VectorSet(m, out);
    }

    /**
     * Writes the vectors to {@code args[0]}, or to the module's {@code src/test/resources/vectors} found from the
     * working directory, and deletes vector files that are no longer generated.
     */
    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Stream.of("policy-engine/src/test/resources/vectors",
                "src/test/resources/vectors").map(Path::of).filter(p -> Files.isDirectory(p.getParent())).findFirst()
                .orElseThrow(() -> new IllegalStateException("run from the repository root or policy-engine/, or name "
                        + "the output directory"));
        VectorSet set = generate();
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.toList()) {
                String n = p.getFileName().toString();
                if ((n.endsWith(".pem") || n.endsWith(".der")) && !set.files().containsKey(n)) {
                    Files.delete(p);
                }
            }
        }
        for (Map.Entry<String, byte[]> e : set.files().entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        System.out.println("wrote " + set.manifest().cases().size() + " cases in " + set.files().size() + " files to "
                + dir.toAbsolutePath());
    }

    // ------------------------------------------------------------------ the cases

    private void build() {
        checkHandWrittenDerMatchesAssemble();
        validSingleHop();
        validFourHop();
        multiPath();
        signatures();
        chains();
        permissions();
        resources();
        namespaces();
        indirections();
        validityWindows();
        revocation();
        caveats();
        subjects();
        encodings();
        bounds();
    }

    private void validSingleHop() {
        Attestation a = grant("single", ns, alice).permissions("device", "read", "actuate").resource("building1/floor2/*")
                .sign();
        byte[] proof = chain(a);
        vector("valid-single-hop", "the namespace grants alice device:actuate,read on building1/floor2/*, which "
                + "covers the setpoint; alice asks").pem(proof).require(ns, "device:actuate", SETPOINT).subject(alice)
                .expires(AROUND_NOW.notAfter().getEpochSecond()).expect(ReasonCode.VALID);
        vector("valid-single-hop-any-subject", "with no subject named, the proof's own subject is accepted; both "
                + "permissions in one policy").sameProofAs("valid-single-hop")
                .require(ns, "device:read,actuate", "building1/floor2/lights").expect(ReasonCode.VALID);
        vector("valid-star-covers-its-parent", "a final * matches zero or more cells: building1/floor2/* covers "
                + "building1/floor2 itself").sameProofAs("valid-single-hop").require(ns, "device:read", "building1/floor2")
                .subject(alice).expect(ReasonCode.VALID);
        vector("valid-at-first-second", "validity includes its first second").sameProofAs("valid-single-hop")
                .require(ns, "device:actuate", SETPOINT).subject(alice).at(AROUND_NOW.notBefore().getEpochSecond())
                .expect(ReasonCode.VALID);
        vector("valid-at-last-second", "validity includes its last second").sameProofAs("valid-single-hop")
                .require(ns, "device:actuate", SETPOINT).subject(alice).at(AROUND_NOW.notAfter().getEpochSecond())
                .expect(ReasonCode.VALID);
        vector("expired-one-second-after", "one second after the grant's notAfter").sameProofAs("valid-single-hop")
                .require(ns, "device:actuate", SETPOINT).subject(alice).at(AROUND_NOW.notAfter().getEpochSecond() + 1)
                .expect(ReasonCode.EXPIRED);
        vector("not-yet-valid-one-second-before", "one second before the grant's notBefore")
                .sameProofAs("valid-single-hop").require(ns, "device:actuate", SETPOINT).subject(alice)
                .at(AROUND_NOW.notBefore().getEpochSecond() - 1).expect(ReasonCode.NOT_YET_VALID);
        vector("resource-not-covered", "building1/floor2/* does not reach building2").sameProofAs("valid-single-hop")
                .require(ns, "device:actuate", "building2/floor1/lights").subject(alice)
                .expect(ReasonCode.RESOURCE_NOT_COVERED);
        vector("resource-star-grant-does-not-cover-wider-star", "a request for all of building1 is wider than "
                + "building1/floor2/*").sameProofAs("valid-single-hop").require(ns, "device:read", "building1/*")
                .subject(alice).expect(ReasonCode.RESOURCE_NOT_COVERED);
        vector("permission-wrong-set", "the proof grants device:actuate,read; mqtt:publish is another permission set's "
                + "name").sameProofAs("valid-single-hop").require(ns, "mqtt:publish", SETPOINT).subject(alice)
                .expect(ReasonCode.PERMISSION_NOT_GRANTED);
        vector("namespace-mismatch", "the same resource name in another namespace is another resource")
                .sameProofAs("valid-single-hop").require(ns2, "device:actuate", SETPOINT).subject(alice)
                .expect(ReasonCode.NAMESPACE_MISMATCH);

        Attestation plus = grant("mqtt-plus", ns, bob).permissions("mqtt", "publish", "subscribe")
                .resource("building1/+/sensors/*").sign();
        vector("valid-plus-matches-one-cell", "+ stands for exactly one cell: any floor's sensors")
                .pem(chain(plus)).require(ns, "mqtt:subscribe", "building1/floor3/sensors/temperature").subject(bob)
                .expect(ReasonCode.VALID);
        vector("resource-plus-matches-exactly-one-cell", "+ does not stand for two cells (floor3/east)")
                .sameProofAs("valid-plus-matches-one-cell")
                .require(ns, "mqtt:subscribe", "building1/floor3/east/sensors/temperature").subject(bob)
                .expect(ReasonCode.RESOURCE_NOT_COVERED);

        Attestation onePlus = grant("plus-only", ns, bob).permissions("device", "read").resource("building1/+").sign();
        vector("valid-plus-covers-one-cell", "building1/+ covers building1/floor2").pem(chain(onePlus))
                .require(ns, "device:read", "building1/floor2").subject(bob).expect(ReasonCode.VALID);
        vector("resource-plus-does-not-match-deeper", "building1/+ does not cover building1/floor2/hvac")
                .sameProofAs("valid-plus-covers-one-cell").require(ns, "device:read", "building1/floor2/hvac")
                .subject(bob).expect(ReasonCode.RESOURCE_NOT_COVERED);
        vector("resource-plus-does-not-cover-star", "building1/+ does not cover the pattern building1/*, which also "
                + "matches deeper resources").sameProofAs("valid-plus-covers-one-cell")
                .require(ns, "device:read", "building1/*").subject(bob).expect(ReasonCode.RESOURCE_NOT_COVERED);
        vector("valid-plus-covers-plus", "a request for the pattern building1/+ is covered by the same pattern")
                .sameProofAs("valid-plus-covers-one-cell").require(ns, "device:read", "building1/+").subject(bob)
                .expect(ReasonCode.VALID);

        Attestation everything = grant("plus-star", ns, bob).permissions("mqtt", "subscribe").resource("+/*").sign();
        vector("valid-plus-star-covers-star", "every resource has at least one cell, so +/* covers a request for * "
                + "(everything in the namespace)").pem(chain(everything)).require(ns, "mqtt:subscribe", "*").subject(bob)
                .expect(ReasonCode.VALID);

        Attestation bySet = grant("entity-set", ns, alice).permissions(ns2.id(), "close", "open")
                .resource("building1/doors/*").sign();
        vector("valid-entity-defined-permission-set", "a permission set named by an entity defines its own names")
                .pem(chain(bySet)).require(ns, ns2.id() + ":open", "building1/doors/main").subject(alice)
                .expect(ReasonCode.VALID);
        vector("permission-entity-set-is-not-builtin", "open in the entity's set is not device:actuate")
                .sameProofAs("valid-entity-defined-permission-set").require(ns, "device:actuate", "building1/doors/main")
                .subject(alice).expect(ReasonCode.PERMISSION_NOT_GRANTED);
    }

    private void validFourHop() {
        Attestation h1 = grant("four-1", ns, alice).resource("building1/*").indirections(3)
                .validity(AROUND_NOW.notBefore().getEpochSecond(), epoch(2027, 1, 1)).sign();
        Attestation h2 = grant("four-2", alice, bob).resource("building1/floor2/*").indirections(2)
                .validity(AROUND_NOW.notBefore().getEpochSecond(), epoch(2026, 12, 1)).sign();
        Attestation h3 = grant("four-3", bob, carol).resource("building1/floor2/hvac/*").indirections(1)
                .validity(AROUND_NOW.notBefore().getEpochSecond(), epoch(2026, 9, 1)).sign();
        Attestation h4 = grant("four-4", carol, dave).resource(SETPOINT).indirections(0)
                .validity(AROUND_NOW.notBefore().getEpochSecond(), epoch(2026, 10, 1)).sign();
        vector("valid-four-hop", "namespace -> alice -> bob -> carol -> dave, each hop narrower and with one fewer "
                + "indirection; it holds until the shortest-lived link ends on 2026-09-01").pem(chain(h1, h2, h3, h4))
                .require(ns, "device:actuate", SETPOINT).subject(dave).expires(epoch(2026, 9, 1))
                .expect(ReasonCode.VALID);
        vector("expired-four-hop-after-shortest-link", "validity along a path is the overlap: the third hop's end ends "
                + "the path").sameProofAs("valid-four-hop").require(ns, "device:actuate", SETPOINT).subject(dave)
                .at(epoch(2026, 9, 1) + 1).expect(ReasonCode.EXPIRED);
    }

    private void multiPath() {
        Attestation r1 = grant("multi-read-1", ns, alice).permissions("device", "read").resource("building1/*")
                .indirections(1).sign();
        Attestation r2 = grant("multi-read-2", alice, dave).permissions("device", "read").resource("building1/floor2/*")
                .sign();
        Attestation w1 = grant("multi-actuate-1", ns, carol).permissions("device", "actuate")
                .resource("building1/floor2/hvac/*").indirections(1).sign();
        Attestation w2 = grant("multi-actuate-2", carol, dave).permissions("device", "actuate").resource("building1/*")
                .sign();
        vector("valid-multi-path-union", "one path grants dave read, another actuate; the request needs both and "
                + "grants union across paths").pem(paths(List.of(r1, r2), List.of(w1, w2)))
                .require(ns, "device:read,actuate", SETPOINT).subject(dave)
                .expires(AROUND_NOW.notAfter().getEpochSecond()).expect(ReasonCode.VALID);
        vector("permission-one-path-grants-only-read", "the read path alone does not grant actuate")
                .pem(chain(r1, r2)).require(ns, "device:read,actuate", SETPOINT).subject(dave)
                .expect(ReasonCode.PERMISSION_NOT_GRANTED);

        Attestation expired = grant("multi-expired", ns, dave).permissions("device", "read").resource("building1/*")
                .validity(AROUND_NOW.notBefore().getEpochSecond(), NOW - DAY).sign();
        vector("valid-multi-path-one-expired", "one path has expired; the other still covers, and an expired path "
                + "merely contributes nothing").pem(paths(List.of(expired), List.of(r1, r2)))
                .require(ns, "device:read", SETPOINT).subject(dave).expect(ReasonCode.VALID);
        Attestation elsewhere = grant("multi-elsewhere", ns, dave).permissions("device", "read").resource("building2/*")
                .sign();
        vector("multi-path-reports-closest-reason", "neither path covers: one is for another building, the other "
                + "covers but has expired; the refusal names the path that came closest")
                .pem(paths(List.of(expired), List.of(elsewhere))).require(ns, "device:read", SETPOINT).subject(dave)
                .expect(ReasonCode.EXPIRED);
        vector("wrong-subject-paths-end-apart", "paths of one proof must end at one subject")
                .pem(paths(List.of(r1), List.of(w1))).require(ns, "device:read", SETPOINT)
                .expect(ReasonCode.WRONG_SUBJECT);
    }

    /** The two-hop proof many cases share: namespace -> alice -> bob. */
    private Attestation twoHopFirst() {
        return grant("two-1", ns, alice).resource("building1/*").indirections(1).sign();
    }

    private GrantBuilder twoHopSecond() {
        return grant("two-2", alice, bob).resource("building1/floor2/*");
    }

    private void signatures() {
        Attestation t1 = twoHopFirst();
        Attestation t2 = twoHopSecond().sign();
        vector("valid-two-hop", "namespace -> alice (may re-delegate once) -> bob").pem(chain(t1, t2))
                .require(ns, "device:actuate", SETPOINT).subject(bob).expect(ReasonCode.VALID);

        Attestation claimed = grant("forged-first", ns, mallory).resource("*").indirections(5).sign();
        byte[] forged = ProofDer.attestation(ProofDer.attestationBody(claimed.encoded()),
                mallory.signingKey().sign(ProofDer.ATTESTATION_SIG_DOMAIN, ProofDer.attestationBody(claimed.encoded())));
        vector("bad-signature-forged-first-hop", "mallory writes 'the namespace grants mallory everything' and signs "
                + "it with her own key").pem(raw(List.of(ns, mallory), List.of(forged), List.of(List.of(0))))
                .require(ns, "device:actuate", SETPOINT).subject(mallory).expect(ReasonCode.BAD_SIGNATURE);

        byte[] laterBody = ProofDer.attestationBody(grant("forged-later", alice, mallory).resource("building1/floor2/*")
                .sign().encoded());
        byte[] forgedLater = ProofDer.attestation(laterBody,
                mallory.signingKey().sign(ProofDer.ATTESTATION_SIG_DOMAIN, laterBody));
        vector("bad-signature-forged-later-hop", "a genuine first hop to alice, then 'alice grants mallory' signed "
                + "by mallory").pem(raw(List.of(ns, alice, mallory), List.of(t1.encoded(), forgedLater),
                        List.of(List.of(0, 1)))).require(ns, "device:actuate", SETPOINT).subject(mallory)
                .expect(ReasonCode.BAD_SIGNATURE);

        byte[] b1 = ProofDer.attestationBody(t1.encoded());
        byte[] b2 = ProofDer.attestationBody(t2.encoded());
        vector("bad-signature-swapped", "the two hops' signatures exchanged: each is a real signature by a key on "
                + "the path, over the other body").pem(raw(List.of(ns, alice, bob),
                        List.of(ProofDer.attestation(b1, ProofDer.attestationSignature(t2.encoded())),
                                ProofDer.attestation(b2, ProofDer.attestationSignature(t1.encoded()))),
                        List.of(List.of(0, 1)))).require(ns, "device:actuate", SETPOINT).subject(bob)
                .expect(ReasonCode.BAD_SIGNATURE);

        byte[] flipped = t2.encoded();
        flipped[flipped.length - ProofDer.SIGNATURE_LENGTH + 10] ^= 0x01;
        vector("bad-signature-bit-flipped", "one bit of the second hop's signature flipped (which also changes that "
                + "attestation's id; nothing in a proof names it by id)").pem(raw(List.of(ns, alice, bob),
                        List.of(t1.encoded(), flipped), List.of(List.of(0, 1))))
                .require(ns, "device:actuate", SETPOINT).subject(bob).expect(ReasonCode.BAD_SIGNATURE);

        byte[] widened = ProofDer.attestationBody(twoHopSecond().resource("building1/floor9/*").sign().encoded());
        vector("bad-signature-body-altered", "the second hop's resource edited from floor2 to floor9 after signing")
                .pem(raw(List.of(ns, alice, bob), List.of(t1.encoded(),
                        ProofDer.attestation(widened, ProofDer.attestationSignature(t2.encoded()))),
                        List.of(List.of(0, 1)))).require(ns, "device:actuate", "building1/floor9/lights").subject(bob)
                .expect(ReasonCode.BAD_SIGNATURE);
    }

    private void chains() {
        Attestation t1 = twoHopFirst();
        Attestation t2 = twoHopSecond().sign();
        Attestation s1 = grant("three-1", ns, alice).resource("building1/*").indirections(2).sign();
        Attestation s2 = grant("three-2", alice, bob).resource("building1/*").indirections(1).sign();
        Attestation s3 = grant("three-3", bob, carol).resource("building1/*").sign();
        vector("valid-three-hop", "indirections 2, 1, 0: exactly enough for three hops").pem(chain(s1, s2, s3))
                .require(ns, "device:actuate", SETPOINT).subject(carol).expect(ReasonCode.VALID);
        vector("broken-chain-skipped-hop", "namespace -> alice, then bob -> carol: alice never granted bob")
                .pem(chain(s1, s3)).require(ns, "device:actuate", SETPOINT).subject(carol)
                .expect(ReasonCode.BROKEN_CHAIN);
        vector("broken-chain-not-from-namespace", "alice -> bob alone: alice is not the namespace")
                .pem(chain(t2)).require(ns, "device:actuate", SETPOINT).subject(bob).expect(ReasonCode.BROKEN_CHAIN);
        vector("broken-chain-path-reversed", "the path listed subject end first")
                .pem(chain(t2, t1)).require(ns, "device:actuate", SETPOINT).subject(bob)
                .expect(ReasonCode.BROKEN_CHAIN);
        vector("broken-chain-missing-attester-entity", "the proof leaves out alice, whose key signed the second hop")
                .pem(assemble(List.of(List.of(t1, t2)), Set.of(alice.id()), List.of()))
                .require(ns, "device:actuate", SETPOINT).subject(bob).expect(ReasonCode.BROKEN_CHAIN);
        vector("broken-chain-missing-subject-entity", "the proof leaves out bob, so bob's validity and revocation "
                + "cannot be checked").pem(assemble(List.of(List.of(t1, t2)), Set.of(bob.id()), List.of()))
                .require(ns, "device:actuate", SETPOINT).subject(bob).expect(ReasonCode.BROKEN_CHAIN);
        vector("broken-chain-missing-namespace-entity", "the proof leaves out the namespace entity")
                .pem(assemble(List.of(List.of(t1, t2)), Set.of(ns.id()), List.of()))
                .require(ns, "device:actuate", SETPOINT).subject(bob).expect(ReasonCode.BROKEN_CHAIN);
    }

    private void permissions() {
        Attestation p1 = grant("escalate-1", ns, alice).permissions("device", "read").resource("building1/*")
                .indirections(1).sign();
        Attestation p2 = grant("escalate-2", alice, bob).permissions("device", "read", "actuate").resource("building1/*")
                .sign();
        vector("permission-escalated-on-later-hop", "alice holds only read but grants bob read and actuate; bob asks "
                + "to actuate").pem(chain(p1, p2)).require(ns, "device:actuate", SETPOINT).subject(bob)
                .expect(ReasonCode.PERMISSION_NOT_GRANTED);
        vector("valid-escalation-ignored-for-held-permission", "the same proof still grants bob read")
                .sameProofAs("permission-escalated-on-later-hop").require(ns, "device:read", SETPOINT).subject(bob)
                .expect(ReasonCode.VALID);
        vector("permission-not-granted", "alice holds read; she asks to actuate").pem(chain(p1))
                .require(ns, "device:actuate", SETPOINT).subject(alice).expect(ReasonCode.PERMISSION_NOT_GRANTED);

        Attestation c1 = grant("pset-1", ns, alice).permissions("device", "actuate").resource("building1/*")
                .indirections(1).sign();
        Attestation c2 = grant("pset-2", alice, bob).permissions("mqtt", "publish").resource("building1/*").sign();
        vector("permission-set-changes-along-path", "the first hop is in device, the second in mqtt: a path keeps "
                + "one permission set").pem(chain(c1, c2)).require(ns, "device:actuate", SETPOINT).subject(bob)
                .expect(ReasonCode.PERMISSION_NOT_GRANTED);

        Attestation d2 = grant("disjoint-perms-2", alice, bob).permissions("device", "actuate").resource("building1/*")
                .sign();
        vector("permission-disjoint-along-path", "read on the first hop, actuate on the second: the path shares none")
                .pem(chain(p1, d2)).require(ns, "device:read", SETPOINT).subject(bob)
                .expect(ReasonCode.PERMISSION_NOT_GRANTED);
    }

    private void resources() {
        Attestation b1 = grant("broad-1", ns, alice).resource("building1/floor2/*").indirections(1).sign();
        Attestation b2 = grant("broad-2", alice, bob).resource("building1/*").sign();
        vector("resource-broadened-on-later-hop", "alice holds floor2 but grants bob all of building1; bob asks for "
                + "floor3").pem(chain(b1, b2)).require(ns, "device:actuate", "building1/floor3/lights").subject(bob)
                .expect(ReasonCode.RESOURCE_NOT_COVERED);
        vector("valid-broadening-ignored-inside-held-resource", "the same proof still covers floor2")
                .sameProofAs("resource-broadened-on-later-hop").require(ns, "device:actuate", "building1/floor2/lights")
                .subject(bob).expect(ReasonCode.VALID);

        Attestation x1 = grant("disjoint-res-1", ns, alice).resource("building1/*").indirections(1).sign();
        Attestation x2 = grant("disjoint-res-2", alice, bob).resource("building2/*").sign();
        vector("resource-disjoint-along-path", "building1 then building2: the path narrows to nothing")
                .pem(chain(x1, x2)).require(ns, "device:actuate", SETPOINT).subject(bob)
                .expect(ReasonCode.RESOURCE_NOT_COVERED);
    }

    private void namespaces() {
        Attestation n1 = grant("cross-1", ns, alice).resource("building1/*").indirections(1).sign();
        Attestation n2 = grant("cross-2", alice, bob).in(ns2.id()).resource("building1/*").sign();
        vector("namespace-crossing-path", "the second hop is in another namespace: a path stays in one")
                .pem(chain(n1, n2)).require(ns, "device:actuate", SETPOINT).subject(bob)
                .expect(ReasonCode.NAMESPACE_MISMATCH);
    }

    private void indirections() {
        Attestation i1 = grant("ind-zero-1", ns, alice).resource("building1/*").indirections(0).sign();
        Attestation i2 = grant("ind-zero-2", alice, bob).resource("building1/*").sign();
        vector("indirections-zero-then-redelegated", "alice may not re-delegate, and does")
                .pem(chain(i1, i2)).require(ns, "device:actuate", SETPOINT).subject(bob)
                .expect(ReasonCode.INDIRECTIONS_EXCEEDED);
        vector("broken-chain-before-indirections", "the over-delegating proof above, also without alice's entity: the "
                + "missing key is found first, whatever a verifier has cached")
                .pem(assemble(List.of(List.of(i1, i2)), Set.of(alice.id()), List.of()))
                .require(ns, "device:actuate", SETPOINT).subject(bob).expect(ReasonCode.BROKEN_CHAIN);
        Attestation j1 = grant("ind-overrun-1", ns, alice).resource("building1/*").indirections(1).sign();
        Attestation j2 = grant("ind-overrun-2", alice, bob).resource("building1/*").indirections(5).sign();
        Attestation j3 = grant("ind-overrun-3", bob, carol).resource("building1/*").sign();
        vector("indirections-overrun-on-third-hop", "alice may delegate one more hop; her grant to bob claims five, "
                + "but the allowance only drops along a path, so bob's re-delegation is one too many")
                .pem(chain(j1, j2, j3)).require(ns, "device:actuate", SETPOINT).subject(carol)
                .expect(ReasonCode.INDIRECTIONS_EXCEEDED);
    }

    private void validityWindows() {
        Attestation t1 = twoHopFirst();
        Attestation old = grant("expired-att", alice, bob).resource("building1/floor2/*")
                .validity(AROUND_NOW.notBefore().getEpochSecond(), NOW - DAY).sign();
        vector("expired-attestation", "the second hop ended yesterday").pem(chain(t1, old))
                .require(ns, "device:actuate", SETPOINT).subject(bob).expect(ReasonCode.EXPIRED);
        Attestation e1 = grant("expired-mid-1", ns, bobExpired).resource("building1/*").indirections(1).sign();
        Attestation e2 = grant("expired-mid-2", bobExpired, carol).resource("building1/*").sign();
        vector("expired-intermediate-entity", "the grants are current but the entity in the middle expired a month "
                + "ago").pem(chain(e1, e2)).require(ns, "device:actuate", SETPOINT).subject(carol)
                .expect(ReasonCode.EXPIRED);
        Attestation es = grant("expired-subject", ns, carolExpired).resource("building1/*").sign();
        vector("expired-subject-entity", "the grant is current but its subject expired yesterday").pem(chain(es))
                .require(ns, "device:actuate", SETPOINT).subject(carolExpired).expect(ReasonCode.EXPIRED);
        Attestation future = grant("future-att", ns, alice).resource("building1/*")
                .validity(NOW + DAY, AROUND_NOW.notAfter().getEpochSecond()).sign();
        vector("not-yet-valid-attestation", "the grant starts tomorrow").pem(chain(future))
                .require(ns, "device:actuate", SETPOINT).subject(alice).expect(ReasonCode.NOT_YET_VALID);
        Attestation f1 = grant("future-mid-1", ns, bobFuture).resource("building1/*").indirections(1).sign();
        Attestation f2 = grant("future-mid-2", bobFuture, carol).resource("building1/*").sign();
        vector("not-yet-valid-intermediate-entity", "the entity in the middle is valid only from next month")
                .pem(chain(f1, f2)).require(ns, "device:actuate", SETPOINT).subject(carol)
                .expect(ReasonCode.NOT_YET_VALID);
        Attestation fs = grant("future-subject", ns, bobFuture).resource("building1/*").sign();
        vector("not-yet-valid-subject-entity", "the subject is valid only from next month").pem(chain(fs))
                .require(ns, "device:actuate", SETPOINT).subject(bobFuture).expect(ReasonCode.NOT_YET_VALID);
    }

    private void revocation() {
        Attestation t1 = twoHopFirst();
        Attestation t2 = twoHopSecond().sign();
        vector("revoked-attestation", "alice revoked her grant to bob").sameProofAs("valid-two-hop")
                .require(ns, "device:actuate", SETPOINT).subject(bob).revoke(t2.body().revocation())
                .expect(ReasonCode.REVOKED);
        vector("revoked-entity", "alice's own entity is revoked (its secret published), which kills what she "
                + "granted").sameProofAs("valid-two-hop").require(ns, "device:actuate", SETPOINT).subject(bob)
                .revokeBySecret(alice.entityRevocationSecret()).expect(ReasonCode.REVOKED);
        vector("revoked-namespace-entity", "revoking the namespace entity kills every path from it")
                .sameProofAs("valid-two-hop").require(ns, "device:actuate", SETPOINT).subject(bob)
                .revoke(ns.entity().revocation()).expect(ReasonCode.REVOKED);
        vector("revocation-unknown-fails-closed", "the revocation view cannot tell whether the first hop is revoked; "
                + "by default that counts as revoked").sameProofAs("valid-two-hop")
                .require(ns, "device:actuate", SETPOINT).subject(bob).unknown(t1.body().revocation())
                .expect(ReasonCode.REVOKED);
        vector("valid-revocation-unknown-allowed-when-configured", "the same, with a verifier configured "
                + "unknownRevocationIsRevoked(false)").sameProofAs("valid-two-hop")
                .require(ns, "device:actuate", SETPOINT).subject(bob).unknown(t1.body().revocation()).failOpen()
                .expect(ReasonCode.VALID);
        vector("revoked-even-when-unknown-allowed", "failing open on unknown never lets a known revocation through")
                .sameProofAs("valid-two-hop").require(ns, "device:actuate", SETPOINT).subject(bob)
                .revoke(t2.body().revocation()).failOpen().expect(ReasonCode.REVOKED);
    }

    private void caveats() {
        Attestation range = grant("caveat-range", ns, alice).permissions("device", "actuate").resource("building1/*")
                .caveat("setpoint in [18,26]").sign();
        vector("valid-caveat-param-in-range", "setpoint 21.5 lies in [18,26]").pem(chain(range))
                .require(ns, "device:actuate", SETPOINT).subject(alice).params("setpoint", 21.5)
                .expect(ReasonCode.VALID);
        vector("valid-caveat-param-at-bound", "bounds are inclusive: 26 is allowed").sameProofAs("valid-caveat-param-in-range")
                .require(ns, "device:actuate", SETPOINT).subject(alice).params("setpoint", 26.0)
                .expect(ReasonCode.VALID);
        vector("caveat-param-out-of-range", "setpoint 30 breaks [18,26]").sameProofAs("valid-caveat-param-in-range")
                .require(ns, "device:actuate", SETPOINT).subject(alice).params("setpoint", 30.0)
                .expect(ReasonCode.CAVEAT_VIOLATED);
        vector("caveat-param-missing", "a command without the bounded parameter violates the bound")
                .sameProofAs("valid-caveat-param-in-range").require(ns, "device:actuate", SETPOINT).subject(alice)
                .params("fan", 1.0).expect(ReasonCode.CAVEAT_VIOLATED);
        vector("caveat-unchecked-without-context", "with no use to check (no context), the parameter caveat goes "
                + "unevaluated, and an answer that does not say so must not be valid").sameProofAs("valid-caveat-param-in-range")
                .require(ns, "device:actuate", SETPOINT).subject(alice).expect(ReasonCode.CAVEAT_UNCHECKED);
        vector("valid-caveat-conditional-without-context", "the same, asking for a conditional answer: valid, with "
                + "the unevaluated caveat listed as its condition").sameProofAs("valid-caveat-param-in-range")
                .require(ns, "device:actuate", SETPOINT).subject(alice).conditional().expect(ReasonCode.VALID);

        Attestation huge = grant("caveat-huge", ns, alice).permissions("device", "actuate").resource("building1/*")
                .caveat("x in [10000000000.000001, 10000000000.000003]").sign();
        vector("valid-caveat-huge-param-in-range", "values are exact to six decimal places at any size: "
                + "10000000000.000002 lies in [10000000000.000001, 10000000000.000003]").pem(chain(huge))
                .require(ns, "device:actuate", SETPOINT).subject(alice).params("x", "10000000000.000002")
                .expect(ReasonCode.VALID);
        vector("caveat-huge-param-below", "10000000000 is one millionth below the bound (a double cannot tell)")
                .sameProofAs("valid-caveat-huge-param-in-range").require(ns, "device:actuate", SETPOINT).subject(alice)
                .params("x", "10000000000").expect(ReasonCode.CAVEAT_VIOLATED);
        vector("caveat-huge-param-above", "10000000000.000004 is one millionth above the bound")
                .sameProofAs("valid-caveat-huge-param-in-range").require(ns, "device:actuate", SETPOINT).subject(alice)
                .params("x", "10000000000.000004").expect(ReasonCode.CAVEAT_VIOLATED);

        Attestation window = grant("caveat-window", ns, alice).resource("building1/*").caveat("time in 08:00-11:00")
                .sign();
        vector("caveat-outside-daily-window", "the grant holds 08:00-11:00 UTC; it is 12:00, and windows are checked "
                + "even without a context").pem(chain(window)).require(ns, "device:actuate", SETPOINT).subject(alice)
                .expect(ReasonCode.CAVEAT_VIOLATED);
        vector("valid-inside-daily-window", "the same grant at 10:00 UTC").sameProofAs("caveat-outside-daily-window")
                .require(ns, "device:actuate", SETPOINT).subject(alice).at(NOW - 2 * 3600).expect(ReasonCode.VALID);
        Attestation night = grant("caveat-night", ns, alice).resource("building1/*").caveat("time in 22:00-06:00")
                .sign();
        vector("caveat-outside-wraparound-window", "a window from 22:00 to 06:00 wraps past midnight and excludes "
                + "noon").pem(chain(night)).require(ns, "device:actuate", SETPOINT).subject(alice)
                .expect(ReasonCode.CAVEAT_VIOLATED);
        vector("valid-inside-wraparound-window", "the same grant at 23:30 UTC")
                .sameProofAs("caveat-outside-wraparound-window").require(ns, "device:actuate", SETPOINT).subject(alice)
                .at(NOW - 12 * 3600 - 30 * 60).expect(ReasonCode.VALID);

        Attestation conf = grant("caveat-confidence", ns, alice).permissions("device", "actuate").resource("building1/*")
                .caveat("confidence >= 0.8").sign();
        vector("valid-caveat-confidence-above-floor", "a model's decision with confidence 0.85 against a floor of 0.8")
                .pem(chain(conf)).require(ns, "device:actuate", SETPOINT).subject(alice).params("setpoint", 22.0)
                .confidence(0.85).expect(ReasonCode.VALID);
        vector("caveat-confidence-below-floor", "confidence 0.6 is below the floor of 0.8")
                .sameProofAs("valid-caveat-confidence-above-floor").require(ns, "device:actuate", SETPOINT)
                .subject(alice).params("setpoint", 22.0).confidence(0.6).expect(ReasonCode.CAVEAT_VIOLATED);
        vector("caveat-confidence-missing", "a command with no confidence does not meet a floor")
                .sameProofAs("valid-caveat-confidence-above-floor").require(ns, "device:actuate", SETPOINT)
                .subject(alice).params("setpoint", 22.0).expect(ReasonCode.CAVEAT_VIOLATED);

        Attestation k1 = grant("conjoin-1", ns, alice).permissions("device", "actuate").resource("building1/*")
                .indirections(1).caveat("setpoint in [18,26]").sign();
        Attestation k2 = grant("conjoin-2", alice, bob).permissions("device", "actuate").resource("building1/floor2/*")
                .caveat("setpoint in [20,30]").sign();
        vector("valid-caveats-conjoin-22", "[18,26] then [20,30] along the path allow [20,26]; 22 is inside")
                .pem(chain(k1, k2)).require(ns, "device:actuate", SETPOINT).subject(bob).params("setpoint", 22.0)
                .expect(ReasonCode.VALID);
        vector("caveats-conjoin-19", "19 satisfies the first hop but not the second")
                .sameProofAs("valid-caveats-conjoin-22").require(ns, "device:actuate", SETPOINT).subject(bob)
                .params("setpoint", 19.0).expect(ReasonCode.CAVEAT_VIOLATED);
        vector("caveats-conjoin-27", "27 satisfies the second hop but not the first")
                .sameProofAs("valid-caveats-conjoin-22").require(ns, "device:actuate", SETPOINT).subject(bob)
                .params("setpoint", 27.0).expect(ReasonCode.CAVEAT_VIOLATED);
    }

    private void subjects() {
        vector("wrong-subject", "the proof grants bob; carol presents it").sameProofAs("valid-two-hop")
                .require(ns, "device:actuate", SETPOINT).subject(carol).expect(ReasonCode.WRONG_SUBJECT);
        vector("wrong-subject-intermediate", "alice is on the path, but the proof ends at bob")
                .sameProofAs("valid-two-hop").require(ns, "device:actuate", SETPOINT).subject(alice)
                .expect(ReasonCode.WRONG_SUBJECT);
    }

    private void encodings() {
        byte[] good = Pem.decodeAll(new String(files.get("valid-single-hop.pem"), StandardCharsets.US_ASCII)).get(0)
                .der();
        vector("malformed-truncated", "the valid single-hop proof with its last 7 bytes cut off")
                .raw(Arrays.copyOf(good, good.length - 7)).require(ns, "device:actuate", SETPOINT).subject(alice)
                .expect(ReasonCode.MALFORMED);
        byte[] padded = Arrays.copyOf(good, good.length + 2);
        vector("malformed-trailing-bytes", "the valid single-hop proof followed by two zero bytes").raw(padded)
                .require(ns, "device:actuate", SETPOINT).subject(alice).expect(ReasonCode.MALFORMED);
        if ((good[1] & 0xff) != 0x82) {
            throw new IllegalStateException("expected a two-byte outer length");
        }
        byte[] longForm = new byte[good.length + 1];
        longForm[0] = 0x30;
        longForm[1] = (byte) 0x83;
        longForm[2] = 0x00;
        System.arraycopy(good, 2, longForm, 3, good.length - 2);
        vector("malformed-non-minimal-length", "the outer length written in three bytes with a leading zero (30 83 00 "
                + "..): BER allows it, DER has one encoding per value").raw(longForm)
                .require(ns, "device:actuate", SETPOINT).subject(alice).expect(ReasonCode.MALFORMED);
        int header = ProofDer.headerLength(good, 0);
        byte[] indefinite = new byte[good.length - header + 4];
        indefinite[0] = 0x30;
        indefinite[1] = (byte) 0x80;
        System.arraycopy(good, header, indefinite, 2, good.length - header);
        vector("malformed-indefinite-length", "the outer SEQUENCE in BER indefinite-length form").raw(indefinite)
                .require(ns, "device:actuate", SETPOINT).subject(alice).expect(ReasonCode.MALFORMED);

        Attestation t1 = twoHopFirst();
        Attestation t2 = twoHopSecond().sign();
        vector("malformed-not-a-proof", "an attestation where a proof belongs").raw(t1.encoded())
                .require(ns, "device:actuate", SETPOINT).subject(alice).expect(ReasonCode.MALFORMED);
        List<byte[]> twoHopEntities = Stream.of(ns, alice, bob).map(e -> e.entity().encoded()).toList();
        vector("malformed-empty-path", "a path with no attestation").pem(ProofDer.proof(twoHopEntities,
                        List.of(t1.encoded(), t2.encoded()), List.of(List.of(0, 1), List.of())))
                .require(ns, "device:actuate", SETPOINT).subject(bob).expect(ReasonCode.MALFORMED);
        vector("malformed-path-index-out-of-range", "a path naming attestation 2 of 2")
                .pem(ProofDer.proof(twoHopEntities, List.of(t1.encoded(), t2.encoded()), List.of(List.of(0, 2))))
                .require(ns, "device:actuate", SETPOINT).subject(bob).expect(ReasonCode.MALFORMED);
        vector("malformed-attestation-on-no-path", "the second attestation is carried but on no path")
                .pem(ProofDer.proof(twoHopEntities, List.of(t1.encoded(), t2.encoded()), List.of(List.of(0))))
                .require(ns, "device:actuate", SETPOINT).subject(alice).expect(ReasonCode.MALFORMED);
        vector("malformed-duplicate-path", "the valid two-hop path listed twice: it proves nothing more, but would "
                + "give one grant many proof ids").pem(ProofDer.proof(twoHopEntities, List.of(t1.encoded(), t2.encoded()),
                        List.of(List.of(0, 1), List.of(0, 1)))).require(ns, "device:actuate", SETPOINT).subject(bob)
                .expect(ReasonCode.MALFORMED);
        vector("malformed-duplicate-attestation", "the same attestation carried twice")
                .pem(ProofDer.proof(twoHopEntities, List.of(t1.encoded(), t2.encoded(), t2.encoded()),
                        List.of(List.of(0, 1), List.of(0, 2)))).require(ns, "device:actuate", SETPOINT).subject(bob)
                .expect(ReasonCode.MALFORMED);
        vector("malformed-extra-entity-on-no-path", "the valid two-hop proof also carries carol, who is on no path")
                .pem(assemble(List.of(List.of(t1, t2)), Set.of(), List.of(carol)))
                .require(ns, "device:actuate", SETPOINT).subject(bob).expect(ReasonCode.MALFORMED);

        Attestation grammar = grant("bad-grammar", ns, alice).resource("building1//hvac").sign();
        vector("malformed-resource-grammar", "a correctly signed grant whose resource has an empty cell (a//b)")
                .pem(chain(grammar)).require(ns, "device:actuate", "building1/floor2/hvac").subject(alice)
                .expect(ReasonCode.MALFORMED);
        Attestation starInside = grant("star-inside", ns, alice).resource("building1/*/hvac").sign();
        vector("malformed-star-not-last", "a signed resource with * before the last cell").pem(chain(starInside))
                .require(ns, "device:actuate", "building1/floor2/hvac").subject(alice).expect(ReasonCode.MALFORMED);
        Attestation fly = grant("unknown-permission", ns, alice).permissions("device", "fly").resource("building1/*")
                .sign();
        vector("malformed-unknown-builtin-permission", "a signed grant of device:fly; the device set has no such "
                + "permission").pem(chain(fly)).require(ns, "device:read", SETPOINT).subject(alice)
                .expect(ReasonCode.MALFORMED);
        Attestation files = grant("unknown-set", ns, alice).permissions("files", "read").resource("building1/*").sign();
        vector("malformed-unknown-builtin-set", "a signed grant in a built-in set that does not exist")
                .pem(chain(files)).require(ns, "device:read", SETPOINT).subject(alice).expect(ReasonCode.MALFORMED);
    }

    private void bounds() {
        List<Attestation> heavy = new ArrayList<>();
        int total = 0;
        for (int i = 0; total <= Limits.MAX_PROOF_BYTES; i++) {
            GrantBuilder b = grant("heavy-" + i, ns, alice).resource("building1/floor" + i + "/*");
            for (int e = 0; e < 7; e++) {
                byte[] filler = new byte[1000];
                Arrays.fill(filler, (byte) ('a' + e));
                b.extension(new Extension("1.3.6.1.4.1.55555.1." + e, false, filler));
            }
            Attestation a = b.sign();
            if (a.encoded().length > Limits.MAX_ATTESTATION_BYTES) {
                throw new IllegalStateException("each heavy attestation must be within its own bound");
            }
            heavy.add(a);
            total += a.encoded().length;
        }
        List<List<Integer>> onePerPath = new ArrayList<>();
        for (int i = 0; i < heavy.size(); i++) {
            onePerPath.add(List.of(i));
        }
        byte[] big = raw(List.of(ns, alice), heavy.stream().map(Attestation::encoded).toList(), onePerPath);
        if (big.length <= Limits.MAX_PROOF_BYTES) {
            throw new IllegalStateException("the oversize proof is not over the bound");
        }
        vector("too-large-proof-bytes", heavy.size() + " attestations, each within its own size bound, make a proof of "
                + big.length + " bytes, over the " + Limits.MAX_PROOF_BYTES + "-byte bound").pem(big)
                .require(ns, "device:actuate", "building1/floor0/hvac").subject(alice).expect(ReasonCode.TOO_LARGE);

        List<byte[]> many = new ArrayList<>();
        List<List<Integer>> paths = new ArrayList<>();
        for (int i = 0; i <= Limits.MAX_PROOF_PATHS; i++) {
            many.add(grant("many-" + i, ns, alice).resource("building1/room" + i).sign().encoded());
            paths.add(List.of(i));
        }
        vector("too-many-paths", (Limits.MAX_PROOF_PATHS + 1) + " paths, one more than a proof may hold")
                .pem(raw(List.of(ns, alice), many, paths)).require(ns, "device:actuate", "building1/room0")
                .subject(alice).expect(ReasonCode.TOO_LARGE);

        Attestation t1 = twoHopFirst();
        List<Integer> longPath = new ArrayList<>();
        for (int i = 0; i <= Limits.MAX_PATH_LENGTH; i++) {
            longPath.add(0);
        }
        vector("too-long-path", "a path of " + (Limits.MAX_PATH_LENGTH + 1) + " hops, one more than a path may have")
                .pem(raw(List.of(ns, alice), List.of(t1.encoded()), List.of(longPath)))
                .require(ns, "device:actuate", SETPOINT).subject(alice).expect(ReasonCode.TOO_LARGE);
    }

    /** Hand-written DER must equal the real assembler's on an ordinary proof, or the crafted vectors mean nothing. */
    private void checkHandWrittenDerMatchesAssemble() {
        Attestation t1 = twoHopFirst();
        Attestation t2 = twoHopSecond().sign();
        byte[] real = chain(t1, t2);
        byte[] byHand = raw(List.of(ns, alice, bob), List.of(t1.encoded(), t2.encoded()), List.of(List.of(0, 1)));
        if (!Arrays.equals(real, byHand)) {
            throw new IllegalStateException("ProofDer no longer matches UnverifiedProof.assemble");
        }
        byte[] body = ProofDer.attestationBody(t2.encoded());
        if (!Arrays.equals(ProofDer.attestation(body, ProofDer.attestationSignature(t2.encoded())), t2.encoded())) {
            throw new IllegalStateException("ProofDer no longer splits attestations as wave-crypto writes them");
        }
    }

    // ------------------------------------------------------------------ building blocks

    private EntitySecret entity(String label) {
        return entity(label, TestEntities.LONG_VALIDITY);
    }

    private EntitySecret entity(String label, Validity validity) {
        EntitySecret s = TestEntities.create("policy-vectors/" + label, validity);
        known.put(s.id(), s.entity());
        return s;
    }

    /** A grant in the vectors' namespace; the label fixes its nonce. */
    private GrantBuilder grant(String label, EntitySecret attester, EntitySecret subject) {
        return GrantBuilder.grant("policy-vectors/" + label, attester, subject.id()).in(ns.id());
    }

    private static long epoch(int year, int month, int day) {
        return java.time.LocalDate.of(year, month, day).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
    }

    private byte[] chain(Attestation... hops) {
        return assemble(List.of(List.of(hops)), Set.of(), List.of());
    }

    @SafeVarargs
    private byte[] paths(List<Attestation>... paths) {
        List<List<Attestation>> all = new ArrayList<>();
        for (List<Attestation> p : paths) {
            all.add(p);
        }
        return assemble(all, Set.of(), List.of());
    }

    /**
     * A proof by the real assembler: every attester and subject of the attestations, less {@code omit}, plus
     * {@code extra}.
     */
    private byte[] assemble(List<List<Attestation>> paths, Collection<EntityId> omit, List<EntitySecret> extra) {
        Map<AttestationId, Integer> index = new LinkedHashMap<>();
        List<Attestation> atts = new ArrayList<>();
        Set<EntityId> ids = new LinkedHashSet<>();
        List<List<Integer>> idx = new ArrayList<>();
        for (List<Attestation> path : paths) {
            List<Integer> ix = new ArrayList<>();
            for (Attestation a : path) {
                ix.add(index.computeIfAbsent(a.id(), k -> {
                    atts.add(a);
                    return atts.size() - 1;
                }));
                ids.add(a.attester());
                ids.add(a.subject());
            }
            idx.add(ix);
        }
        ids.removeAll(omit);
        extra.forEach(e -> ids.add(e.id()));
        List<Entity> entities = ids.stream().map(known::get).toList();
        return UnverifiedProof.assemble(entities, atts, idx).encoded();
    }

    /** A proof written by hand, for parts the real assembler would refuse. */
    private static byte[] raw(List<EntitySecret> entities, List<byte[]> attestations, List<List<Integer>> paths) {
        return ProofDer.proof(entities.stream().map(e -> e.entity().encoded()).toList(), attestations, paths);
    }

    private Spec vector(String name, String story) {
        return new Spec(name, story);
    }

    /** One case being described; {@link #expect} records it. */
    private final class Spec {
        private final String name;
        private final String story;
        private String file;
        private final List<String> required = new ArrayList<>();
        private String subject;
        private long now = NOW;
        private Map<String, BigDecimal> params;
        private BigDecimal confidence;
        private Boolean conditional;
        private final List<String> revoked = new ArrayList<>();
        private final List<String> revokedSecrets = new ArrayList<>();
        private final List<String> unknown = new ArrayList<>();
        private Boolean unknownIsRevoked;
        private Long expires;

        Spec(String name, String story) {
            this.name = name;
            this.story = story;
        }

        Spec pem(byte[] der) {
            return file(name + ".pem", Pem.encode(Pem.PROOF, der).getBytes(StandardCharsets.US_ASCII));
        }

        Spec raw(byte[] bytes) {
            return file(name + ".der", bytes);
        }

        Spec sameProofAs(String other) {
            if (!files.containsKey(other + ".pem")) {
                throw new IllegalStateException(name + ": no vector " + other + " to share a proof with");
            }
            this.file = other + ".pem";
            return this;
        }

        private Spec file(String f, byte[] content) {
            if (files.putIfAbsent(f, content) != null) {
                throw new IllegalStateException("two vectors write " + f);
            }
            this.file = f;
            return this;
        }

        Spec require(EntitySecret namespace, String permissions, String resource) {
            String text = permissions + "@" + namespace.id() + "/" + resource;
            Policy.parse(text);
            required.add(text);
            return this;
        }

        Spec subject(EntitySecret s) {
            this.subject = s.id().toString();
            return this;
        }

        Spec at(long epochSeconds) {
            this.now = epochSeconds;
            return this;
        }

        /** Names and values; a value is a double (written as Java prints it) or a decimal string (written exactly). */
        Spec params(Object... nameValue) {
            params = new TreeMap<>();
            for (int i = 0; i < nameValue.length; i += 2) {
                Object v = nameValue[i + 1];
                params.put((String) nameValue[i], v instanceof String s ? new BigDecimal(s) : BigDecimal.valueOf((Double) v));
            }
            return this;
        }

        Spec confidence(double c) {
            this.confidence = BigDecimal.valueOf(c);
            return this;
        }

        Spec conditional() {
            this.conditional = true;
            return this;
        }

        Spec revoke(RevocationCommitment c) {
            revoked.add(c.toString());
            return this;
        }

        Spec revokeBySecret(RevocationSecret s) {
            revokedSecrets.add(HexFormat.of().formatHex(s.bytes()));
            return this;
        }

        Spec unknown(RevocationCommitment c) {
            unknown.add(c.toString());
            return this;
        }

        Spec failOpen() {
            this.unknownIsRevoked = false;
            return this;
        }

        Spec expires(long epochSeconds) {
            this.expires = epochSeconds;
            return this;
        }

        void expect(ReasonCode reason) {
            if (file == null || required.isEmpty()) {
                throw new IllegalStateException(name + ": a vector needs a proof file and a required policy");
            }
            if (cases.stream().anyMatch(c -> c.name().equals(name))) {
                throw new IllegalStateException("two vectors named " + name);
            }
            Manifest.Context context = params == null && confidence == null ? null
                    : new Manifest.Context(params == null ? Map.of() : params, confidence);
            cases.add(new Manifest.Case(name, story, file, List.copyOf(required), subject, now, context, conditional,
                    orNull(revoked), orNull(revokedSecrets), orNull(unknown), unknownIsRevoked,
                    reason == ReasonCode.VALID, reason, expires));
        }

        private List<String> orNull(List<String> l) {
            return l.isEmpty() ? null : List.copyOf(l);
        }
    }
}
