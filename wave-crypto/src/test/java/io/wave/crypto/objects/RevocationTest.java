package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.junit.jupiter.api.Test;

class RevocationTest {
    private static final Attestation GRANT = Fixtures.grant().sign();

    @Test
    void revokingAGrant_publishesTheSecretBehindItsCommitment() {
        Revocation r = new Revocation(ALICE.attestationRevocationSecret(GRANT.body().nonce()));
        assertEquals(GRANT.body().revocation(), r.commitment());
        Revocation back = Revocation.decode(r.encode());
        assertEquals(r, back);
        assertEquals(GRANT.body().revocation(), back.commitment());
        assertTrue(back.secret().opens(GRANT.body().revocation()));
    }

    @Test
    void revokingAnEntity_publishesItsEntitySecret() {
        Revocation r = Revocation.decode(new Revocation(ALICE.entityRevocationSecret()).encode());
        assertEquals(ALICE.entity().revocation(), r.commitment());
    }

    @Test
    void decode_refusesWrongVersionLengthOrShape() {
        byte[] secret = ALICE.entityRevocationSecret().bytes();
        refuse(Der.sequence(new ASN1Integer(2), new DEROctetString(secret)));
        refuse(Der.sequence(new ASN1Integer(1), new DEROctetString(new byte[31])));
        refuse(Der.sequence(new ASN1Integer(1)));
        refuse(Der.sequence(new ASN1Integer(1), new DEROctetString(secret), new ASN1Integer(0)));
        refuse(Der.sequence(new DEROctetString(secret), new ASN1Integer(1)));
    }

    @Test
    void decode_refusesOversizeInputAsTooLarge() {
        byte[] big = Der.encode(Der.sequence(new ASN1Integer(1),
                new DEROctetString(new byte[Limits.MAX_REVOCATION_BYTES])));
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(WaveException.class, () -> Revocation.decode(big)).code());
    }

    private static void refuse(org.bouncycastle.asn1.ASN1Sequence seq) {
        byte[] der = Der.encode(seq);
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, () -> Revocation.decode(der)).code());
    }
}
