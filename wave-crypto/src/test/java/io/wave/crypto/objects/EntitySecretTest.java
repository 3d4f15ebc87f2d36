package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static io.wave.crypto.objects.Fixtures.BOB;
import static io.wave.crypto.objects.Fixtures.replace;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.RevocationSecret;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.testing.Secrets;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.junit.jupiter.api.Test;

class EntitySecretTest {
    /** Positions in the EntitySecret SEQUENCE. */
    private static final int VERSION = 0;
    private static final int SIGNING_SEED = 1;
    private static final int DECRYPTION_KEY = 2;
    private static final int REVOCATION_SEED = 3;
    private static final int ENTITY = 4;

    @Test
    void plainEncoding_roundTripsEveryKey() {
        EntitySecret back = EntitySecret.decodePlain(ALICE.encodePlain());
        assertEquals(ALICE.id(), back.id());
        assertEquals(ALICE.entity(), back.entity());
        assertEquals(ALICE.signingKey(), back.signingKey());
        assertEquals(ALICE.decryptionKey(), back.decryptionKey());
        assertEquals(ALICE.entityRevocationSecret(), back.entityRevocationSecret());
        byte[] nonce = Fixtures.nonce("plain");
        assertEquals(ALICE.attestationRevocationSecret(nonce), back.attestationRevocationSecret(nonce));
        assertArrayEquals(ALICE.encodePlain(), back.encodePlain());
    }

    @Test
    void entityRevocationSecret_opensTheEntitysOwnCommitment() {
        assertEquals(ALICE.entity().revocation(), ALICE.entityRevocationSecret().commitment());
    }

    @Test
    void attestationRevocationSecrets_areDistinctPerNonceAndFromTheEntitySecret() {
        RevocationSecret a = ALICE.attestationRevocationSecret(Fixtures.nonce("a"));
        RevocationSecret b = ALICE.attestationRevocationSecret(Fixtures.nonce("b"));
        assertNotEquals(a, b);
        assertNotEquals(a, ALICE.entityRevocationSecret());
        assertEquals(a, ALICE.attestationRevocationSecret(Fixtures.nonce("a")));
    }

    @Test
    void decodePlain_refusesKeysThatAreNotTheEntitys() {
        ASN1Sequence alice = plain(ALICE);
        ASN1Sequence bob = plain(BOB);
        // Alice's keys around Bob's (validly self-signed) entity.
        assertMalformed(replace(alice, ENTITY, bob.getObjectAt(ENTITY)));
        // Each key swapped on its own.
        assertMalformed(replace(alice, SIGNING_SEED, bob.getObjectAt(SIGNING_SEED)));
        assertMalformed(replace(alice, DECRYPTION_KEY, bob.getObjectAt(DECRYPTION_KEY)));
        assertMalformed(replace(alice, REVOCATION_SEED, bob.getObjectAt(REVOCATION_SEED)));
    }

    @Test
    void decodePlain_refusesAnEntityWhoseSelfSignatureFails() {
        UnverifiedEntity forged = UnverifiedEntity.signed(ALICE.entity().body(), BOB.signingKey());
        ASN1Sequence crafted = replace(plain(ALICE), ENTITY, Der.decodeSequence(forged.encoded(), 4096, "entity"));
        WaveException e = assertThrows(WaveException.class, () -> EntitySecret.decodePlain(Der.encode(crafted)));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
    }

    @Test
    void decodePlain_refusesWrongVersionAndWrongLengths() {
        assertMalformed(replace(plain(ALICE), VERSION, new ASN1Integer(2)));
        assertMalformed(replace(plain(ALICE), SIGNING_SEED, new DEROctetString(new byte[31])));
        assertMalformed(replace(plain(ALICE), REVOCATION_SEED, new DEROctetString(new byte[33])));
        assertMalformed(replace(plain(ALICE), ENTITY, new DEROctetString(new byte[1])));
    }

    @Test
    void toString_neverShowsKeyMaterial() {
        String text = ALICE.toString();
        assertTrue(text.contains("redacted") && text.contains(ALICE.id().toString()), text);
        Secrets.assertNotLeaked(text, ALICE.signingKey().seed());
        Secrets.assertNotLeaked(text, ALICE.decryptionKey().bytes());
        Secrets.assertNotLeaked(text, ALICE.entityRevocationSecret().bytes());
        Secrets.assertNotLeaked(text, ((DEROctetString) plain(ALICE).getObjectAt(REVOCATION_SEED)).getOctets());
    }

    private static ASN1Sequence plain(EntitySecret s) {
        return Der.decodeSequence(s.encodePlain(), Limits.MAX_SECRET_BYTES, "secret");
    }

    private static void assertMalformed(ASN1Sequence crafted) {
        WaveException e = assertThrows(WaveException.class, () -> EntitySecret.decodePlain(Der.encode(crafted)));
        assertEquals(ErrorCode.MALFORMED, e.code(), e.getMessage());
    }
}
