package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static io.wave.crypto.objects.Fixtures.BOB;
import static io.wave.crypto.objects.Fixtures.MALLORY;
import static io.wave.crypto.objects.Fixtures.grant;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.AttestationId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.RevocationSecret;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.testing.DeterministicRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.DEROctetString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AttestationTest {
    private static final Attestation GRANT = grant().sign();

    @Test
    void sign_thenVerifyWithTheAttester() {
        Attestation verified = GRANT.unverified().verify(ALICE.entity());
        assertEquals(GRANT, verified);
        assertEquals(ALICE.id(), verified.attester());
        assertEquals(BOB.id(), verified.subject());
        assertEquals(grant().body(), verified.body());
    }

    @Test
    void decode_thenVerify_roundTripsEveryField() {
        byte[] der = GRANT.encoded();
        UnverifiedAttestation u = UnverifiedAttestation.decode(der);
        assertEquals(GRANT.id(), u.id());
        assertEquals(ALICE.id(), u.attester());
        assertArrayEquals(der, u.encoded());
        Attestation a = u.verify(ALICE.entity());
        assertEquals(GRANT.body(), a.body());
        assertEquals(Fixtures.CAVEATS, a.body().caveats());
        assertEquals(Fixtures.YEAR_2025, a.validity());
        assertArrayEquals(der, a.encoded());
    }

    @Test
    void decode_roundTripsAPermissionSetNamedByEntity() {
        Attestation a = grant().permissionSet(new PermissionSetRef.ByEntity(Fixtures.NAMESPACE.id())).sign();
        AttestationBody body = UnverifiedAttestation.decode(a.encoded()).verify(ALICE.entity()).body();
        assertEquals(new PermissionSetRef.ByEntity(Fixtures.NAMESPACE.id()), body.permissionSet());
    }

    @Test
    void decode_roundTripsAGrantWithoutCaveats() {
        Attestation a = grant().caveats(List.of()).sign();
        assertEquals(List.of(), UnverifiedAttestation.decode(a.encoded()).verify(ALICE.entity()).body().caveats());
    }

    @Test
    void id_isTheHashOfTheWholeEncodingUnderTheAttestationDomain() {
        assertEquals(new AttestationId(Hash.sha3("wave.attestation.v1", GRANT.encoded())), GRANT.id());
        assertNotEquals(Hash.sha3("wave.entity.v1", GRANT.encoded()), GRANT.id().hash());
    }

    @Test
    void verify_rejectsAnEntityOtherThanTheNamedAttester() {
        WaveException e = assertThrows(WaveException.class, () -> GRANT.unverified().verify(BOB.entity()));
        assertEquals(ErrorCode.MALFORMED, e.code());
    }

    @Test
    void verify_rejectsATamperedSignature() {
        byte[] der = GRANT.encoded();
        der[der.length - 40] ^= 0x01;
        UnverifiedAttestation u = UnverifiedAttestation.decode(der);
        WaveException e = assertThrows(WaveException.class, () -> u.verify(ALICE.entity()));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
    }

    @Test
    void verify_rejectsAGrantInAlicesNameSignedByMallory() {
        UnverifiedAttestation forged = UnverifiedAttestation.decode(
                UnverifiedAttestation.signed(grant().body(), MALLORY.signingKey()).encoded());
        assertEquals(ALICE.id(), forged.attester());
        WaveException e = assertThrows(WaveException.class, () -> forged.verify(ALICE.entity()));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
    }

    @Test
    void verify_rejectsAliceSignatureMadeUnderAnotherDomain() {
        byte[] body = Der.encode(GRANT.body().toAsn1());
        byte[] sig = ALICE.signingKey().sign(Domains.NAME_SIG, body);
        byte[] der = Der.encode(Der.sequence(GRANT.body().toAsn1(), new DEROctetString(sig)));
        WaveException e = assertThrows(WaveException.class,
                () -> UnverifiedAttestation.decode(der).verify(ALICE.entity()));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
    }

    @Test
    void sign_refusesABodyNamingAnotherAttester() {
        AttestationBody body = grant().body();
        WaveException e = assertThrows(WaveException.class, () -> Attestation.sign(body, MALLORY));
        assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
    }

    @Test
    void revocationCommitment_isOpenedByTheAttestersDerivedSecret() {
        RevocationSecret secret = ALICE.attestationRevocationSecret(GRANT.body().nonce());
        assertEquals(secret.commitment(), GRANT.body().revocation());
        assertTrue(secret.opens(GRANT.body().revocation()));
        assertNotEquals(secret, ALICE.attestationRevocationSecret(Fixtures.nonce("another grant")));
        assertNotEquals(secret, BOB.attestationRevocationSecret(GRANT.body().nonce()));
    }

    @Test
    void newNonce_isSixteenBytesFromTheGivenRandom() {
        byte[] a = Attestation.newNonce(new DeterministicRandom("n"));
        assertEquals(AttestationBody.NONCE_LENGTH, a.length);
        assertArrayEquals(a, Attestation.newNonce(new DeterministicRandom("n")));
    }

    @Test
    void differentNonces_giveDifferentAttestationsForTheSameGrant() {
        assertNotEquals(GRANT.id(), grant().nonce("second").sign().id());
    }

    @Test
    void body_keepsItsOwnCopyOfTheNonce() {
        byte[] nonce = Fixtures.nonce("copy");
        Fixtures.Grant g = grant();
        g.nonce = nonce;
        AttestationBody body = g.body();
        nonce[0] ^= 1;
        body.nonce()[1] ^= 1;
        assertArrayEquals(Fixtures.nonce("copy"), body.nonce());
    }

    @Test
    void canonicalPermissions_sortsAndDeduplicates() {
        assertEquals(List.of("read", "status", "write"),
                AttestationBody.canonicalPermissions(List.of("write", "read", "status", "read")));
        assertEquals(List.of("read"), AttestationBody.canonicalPermissions(Set.of("read")));
    }

    @Test
    void body_refusesPermissionsOutOfOrderDuplicatedEmptyOrMisspelled() {
        assertMalformed(() -> grant().permissions("write", "read").body());
        assertMalformed(() -> grant().permissions("read", "read").body());
        assertMalformed(() -> grant().permissions().body());
        assertMalformed(() -> grant().permissions("Read").body());
        assertMalformed(() -> grant().permissions("read write").body());
        assertMalformed(() -> grant().permissions("a".repeat(33)).body());
        List<String> many = new ArrayList<>();
        for (int i = 0; i < Limits.MAX_PERMISSIONS + 1; i++) {
            many.add(String.format("p%02d", i));
        }
        Collections.sort(many);
        assertMalformed(() -> grant().permissions(many.toArray(String[]::new)).body());
        grant().permissions(many.subList(0, Limits.MAX_PERMISSIONS).toArray(String[]::new)).body();
    }

    @Test
    void body_boundsResourceIndirectionsCaveatsAndNonce() {
        assertMalformed(() -> grant().resource("").body());
        assertMalformed(() -> grant().resource("r".repeat(Limits.MAX_RESOURCE_CHARS + 1)).body());
        grant().resource("r".repeat(Limits.MAX_RESOURCE_CHARS)).body();
        Fixtures.Grant g = grant();
        g.indirections = Limits.MAX_INDIRECTIONS + 1;
        assertMalformed(g::body);
        g.indirections = -1;
        assertMalformed(g::body);
        List<Caveat> tooMany = Collections.nCopies(Limits.MAX_CAVEATS + 1, new Caveat.MinConfidence(1));
        assertEquals(ErrorCode.TOO_LARGE,
                assertThrows(WaveException.class, () -> grant().caveats(tooMany).body()).code());
        Fixtures.Grant shortNonce = grant();
        shortNonce.nonce = new byte[15];
        assertMalformed(shortNonce::body);
    }

    @Test
    void equalAttestations_haveEqualIds() {
        Attestation again = grant().sign();
        assertEquals(GRANT.id(), again.id(), "Ed25519 is deterministic, so the same grant signs the same");
        assertEquals(GRANT, again);
        assertEquals(GRANT.hashCode(), again.hashCode());
        assertTrue(GRANT.toString().contains(GRANT.id().toString()));
    }

    private static void assertMalformed(Executable call) {
        WaveException e = assertThrows(WaveException.class, call);
        assertEquals(ErrorCode.MALFORMED, e.code(), e.getMessage());
    }
}
