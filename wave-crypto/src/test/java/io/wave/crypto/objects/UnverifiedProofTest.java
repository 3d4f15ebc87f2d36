package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static io.wave.crypto.objects.Fixtures.BOB;
import static io.wave.crypto.objects.Fixtures.NAMESPACE;
import static io.wave.crypto.objects.Fixtures.grant;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.ProofId;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.testing.TestEntities;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The shape of a proof: the namespace grants Alice, Alice delegates to Bob. Decoding checks structure
 * only; what the proof proves is the policy engine's business.
 */
class UnverifiedProofTest {
    private static final Attestation NS_TO_ALICE = nsToAlice();
    private static final Attestation ALICE_TO_BOB = grant().nonce("alice-bob").sign();
    private static final List<Entity> ENTITIES = List.of(NAMESPACE.entity(), ALICE.entity(), BOB.entity());

    private static Attestation nsToAlice() {
        Fixtures.Grant g = grant().attester(NAMESPACE).nonce("ns-alice");
        g.subject = ALICE.id();
        return g.sign();
    }

    @Test
    void assemble_thenDecode_roundTrips() {
        Attestation first = NS_TO_ALICE;
        UnverifiedProof proof =
                UnverifiedProof.assemble(ENTITIES, List.of(first, ALICE_TO_BOB), List.of(List.of(0, 1)));
        UnverifiedProof back = UnverifiedProof.decode(proof.encoded());
        assertEquals(proof.id(), back.id());
        assertEquals(new ProofId(Hash.sha3("wave.proof.v1", proof.encoded())), back.id());
        assertEquals(proof.size(), back.encoded().length);
        assertEquals(1, back.pathCount());
        assertArrayEquals(new int[] {0, 1}, back.path(0));
        assertEquals(List.of(NAMESPACE.id(), ALICE.id(), BOB.id()),
                back.entities().stream().map(UnverifiedEntity::id).toList());
        assertEquals(List.of(first.id(), ALICE_TO_BOB.id()),
                back.attestations().stream().map(UnverifiedAttestation::id).toList());
        // What came out of the proof verifies like what went in.
        Entity alice = back.entities().get(1).bindTo(ALICE.id());
        assertEquals(ALICE_TO_BOB, back.attestations().get(1).verify(alice));
        back.entities().forEach(UnverifiedEntity::verify);
    }

    @Test
    void path_returnsACopy() {
        UnverifiedProof proof = UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE), List.of(List.of(0)));
        proof.path(0)[0] = 7;
        assertArrayEquals(new int[] {0}, proof.path(0));
    }

    @Test
    void decode_acceptsSeveralPathsSharingAttestations() {
        UnverifiedProof proof = UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE, ALICE_TO_BOB),
                List.of(List.of(0, 1), List.of(0)));
        assertEquals(2, UnverifiedProof.decode(proof.encoded()).pathCount());
    }

    @Test
    void refuses_theSamePathListedTwice() {
        // One path twice would verify as once, yet each copy gives the proof another id for the same grant.
        assertMalformed(() -> UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE, ALICE_TO_BOB),
                List.of(List.of(0, 1), List.of(0, 1))));
        assertMalformed(() -> UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE, ALICE_TO_BOB),
                List.of(List.of(0, 1), List.of(0), List.of(0, 1))));
    }

    @Test
    void refuses_anIndexOutOfRange() {
        assertMalformed(() -> UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE), List.of(List.of(1))));
        assertMalformed(() -> UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE), List.of(List.of(-1))));
    }

    @Test
    void refuses_anAttestationOnNoPath() {
        assertMalformed(() ->
                UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE, ALICE_TO_BOB), List.of(List.of(0))));
    }

    @Test
    void refuses_aDuplicateEntityOrAttestation() {
        assertMalformed(() -> UnverifiedProof.assemble(List.of(ALICE.entity(), ALICE.entity()), List.of(NS_TO_ALICE),
                List.of(List.of(0))));
        assertMalformed(() -> UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE, NS_TO_ALICE),
                List.of(List.of(0, 1))));
    }

    @Test
    void refuses_emptyPathsNoPathsNoAttestationsAndNoEntities() {
        assertMalformed(() -> UnverifiedProof.assemble(List.of(), List.of(NS_TO_ALICE), List.of(List.of(0))));
        assertMalformed(() -> UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE), List.of(List.of())));
        assertMalformed(() -> UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE), List.of()));
        assertMalformed(() -> UnverifiedProof.assemble(ENTITIES, List.of(), List.of(List.of(0))));
    }

    @Test
    void refuses_morePathsThanTheLimitAsTooLarge() {
        UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE, ALICE_TO_BOB), distinctPaths(Limits.MAX_PROOF_PATHS));
        assertTooLarge(() -> UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE, ALICE_TO_BOB),
                distinctPaths(Limits.MAX_PROOF_PATHS + 1)));
    }

    /** {@code n} different paths over attestations 0 and 1 (the binary digits of 2, 3, 4...): shape, not sense. */
    private static List<List<Integer>> distinctPaths(int n) {
        List<List<Integer>> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            paths.add(Integer.toBinaryString(i + 2).chars().map(c -> c - '0').boxed().toList());
        }
        return paths;
    }

    @Test
    void refuses_aPathLongerThanTheLimitAsTooLarge() {
        List<Integer> longest = Collections.nCopies(Limits.MAX_PATH_LENGTH, 0);
        UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE), List.of(longest));
        List<Integer> tooLong = Collections.nCopies(Limits.MAX_PATH_LENGTH + 1, 0);
        assertTooLarge(() -> UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE), List.of(tooLong)));
    }

    @Test
    void refuses_moreAttestationsThanTheLimitAsTooLarge() {
        List<Attestation> many = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i <= Limits.MAX_PROOF_ATTESTATIONS; i++) {
            many.add(grant().nonce("many-" + i).sign());
            indices.add(i);
        }
        assertTooLarge(() -> UnverifiedProof.assemble(ENTITIES, many, List.of(indices)));
    }

    @Test
    void refuses_moreEntitiesThanTheLimitAsTooLarge() {
        List<Entity> many = new ArrayList<>();
        for (int i = 0; i <= Limits.MAX_PROOF_ENTITIES; i++) {
            many.add(TestEntities.create("crowd-" + i).entity());
        }
        assertTooLarge(() -> UnverifiedProof.assemble(many, List.of(NS_TO_ALICE), List.of(List.of(0))));
    }

    @Test
    void refuses_wrongVersionAndWrongShape() {
        ASN1Sequence proof = Der.decodeSequence(
                UnverifiedProof.assemble(ENTITIES, List.of(NS_TO_ALICE), List.of(List.of(0))).encoded(),
                Limits.MAX_PROOF_BYTES, "proof");
        assertMalformed(() -> UnverifiedProof.decode(Der.encode(Fixtures.replace(proof, 0, new ASN1Integer(2)))));
        assertMalformed(() -> UnverifiedProof.decode(Der.encode(Fixtures.append(proof, Der.sequence()))));
        assertMalformed(() -> UnverifiedProof.decode(Der.encode(Fixtures.replace(proof, 3,
                Der.sequence(Der.sequence(new org.bouncycastle.asn1.DERUTF8String("0")))))));
        assertMalformed(() -> UnverifiedProof.decode(Der.encode(Fixtures.replace(proof, 1,
                Der.sequence(new ASN1Integer(1))))));
    }

    @Test
    void refuses_oversizeInputAsTooLarge() {
        byte[] big = Der.encode(Der.sequence(
                new org.bouncycastle.asn1.DEROctetString(new byte[Limits.MAX_PROOF_BYTES])));
        assertTooLarge(() -> UnverifiedProof.decode(big));
    }

    private static void assertMalformed(Executable call) {
        WaveException e = assertThrows(WaveException.class, call);
        assertEquals(ErrorCode.MALFORMED, e.code(), e.getMessage());
    }

    private static void assertTooLarge(Executable call) {
        WaveException e = assertThrows(WaveException.class, call);
        assertEquals(ErrorCode.TOO_LARGE, e.code(), e.getMessage());
    }
}
