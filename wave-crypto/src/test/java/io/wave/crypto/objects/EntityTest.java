package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static io.wave.crypto.objects.Fixtures.BOB;
import static io.wave.crypto.objects.Fixtures.E_NOT_AFTER;
import static io.wave.crypto.objects.Fixtures.E_NOT_BEFORE;
import static io.wave.crypto.objects.Fixtures.E_SIGNING_KEY;
import static io.wave.crypto.objects.Fixtures.E_VERSION;
import static io.wave.crypto.objects.Fixtures.replace;
import static io.wave.crypto.objects.Fixtures.signedEntity;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.testing.DeterministicRandom;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTest {
    private static final Entity ALICE_ENTITY = ALICE.entity();

    @Test
    void decode_thenVerify_givesBackTheSameEntity() {
        byte[] der = ALICE_ENTITY.encoded();
        UnverifiedEntity u = UnverifiedEntity.decode(der);
        assertEquals(ALICE.id(), u.id());
        assertArrayEquals(der, u.encoded());
        Entity e = u.verify();
        assertEquals(ALICE_ENTITY, e);
        assertEquals(ALICE.signingKey().verifyingKey(), e.signingKey());
        assertEquals(ALICE.decryptionKey().publicKey(), e.encryptionKey());
        assertEquals(ALICE.entityRevocationSecret().commitment(), e.revocation());
        assertEquals(ALICE_ENTITY.validity(), e.validity());
        assertEquals(List.of(), e.extensions());
        assertArrayEquals(der, e.unverified().encoded());
    }

    @Test
    void id_isTheHashOfTheWholeEncodingUnderTheEntityDomain() {
        assertEquals(new EntityId(Hash.sha3("wave.entity.v1", ALICE_ENTITY.encoded())), ALICE.id());
        assertTrue(ALICE_ENTITY.toString().contains(ALICE.id().toString()));
    }

    @Test
    void verify_rejectsTamperedSelfSignature() {
        byte[] der = ALICE_ENTITY.encoded();
        der[der.length - 10] ^= 0x04;
        UnverifiedEntity u = UnverifiedEntity.decode(der);
        assertNotEquals(ALICE.id(), u.id());
        assertEquals(ErrorCode.BAD_SIGNATURE, assertThrows(WaveException.class, u::verify).code());
    }

    @Test
    void verify_rejectsABodySignedByAnotherKey() {
        // Mallory copies Alice's keys into a body and signs it himself: the self-signature must fail.
        UnverifiedEntity forged = UnverifiedEntity.signed(ALICE_ENTITY.body(), Fixtures.MALLORY.signingKey());
        UnverifiedEntity arrived = UnverifiedEntity.decode(forged.encoded());
        assertEquals(ErrorCode.BAD_SIGNATURE, assertThrows(WaveException.class, arrived::verify).code());
    }

    @Test
    void verify_rejectsASignatureMadeForAnotherKindOfObject() {
        byte[] body = io.wave.crypto.internal.Der.encode(ALICE_ENTITY.body().toAsn1());
        byte[] sig = ALICE.signingKey().sign(Domains.ATTESTATION_SIG, body);
        byte[] der = io.wave.crypto.internal.Der.encode(
                io.wave.crypto.internal.Der.sequence(ALICE_ENTITY.body().toAsn1(), new DEROctetString(sig)));
        assertEquals(ErrorCode.BAD_SIGNATURE,
                assertThrows(WaveException.class, () -> UnverifiedEntity.decode(der).verify()).code());
    }

    @Test
    void bindTo_trustsTheEntityAVerifiedObjectNamed() {
        Entity bound = UnverifiedEntity.decode(ALICE_ENTITY.encoded()).bindTo(ALICE.id());
        assertEquals(ALICE_ENTITY, bound);
    }

    @Test
    void bindTo_refusesAnotherId() {
        UnverifiedEntity u = UnverifiedEntity.decode(ALICE_ENTITY.encoded());
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, () -> u.bindTo(BOB.id())).code());
    }

    @Test
    void create_refusesValidityOutside1970To9999() {
        Validity tooLate = Validity.ofSeconds(0, Limits.MAX_EPOCH_SECONDS + 1);
        WaveException e = assertThrows(WaveException.class,
                () -> EntitySecret.create(new DeterministicRandom("late"), tooLate));
        assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
        Validity tooEarly = Validity.ofSeconds(-1, 10);
        assertEquals(ErrorCode.BAD_ARGUMENT, assertThrows(WaveException.class,
                () -> EntitySecret.create(new DeterministicRandom("early"), tooEarly)).code());
    }

    @Test
    void decode_keepsANonCriticalExtension() {
        Extension ext = new Extension("1.3.6.1.4.1.55555.1", false, new byte[] {1, 2, 3});
        EntityBody body = new EntityBody(ALICE.signingKey().verifyingKey(), ALICE.decryptionKey().publicKey(),
                ALICE_ENTITY.validity(), ALICE_ENTITY.revocation(), List.of(ext));
        byte[] der = UnverifiedEntity.signed(body, ALICE.signingKey()).encoded();
        Entity e = UnverifiedEntity.decode(der).verify();
        assertEquals(List.of(ext), e.extensions());
        assertNotEquals(ALICE.id(), e.id(), "extensions are part of what the id covers");
    }

    @Test
    void decode_refusesAnUnknownCriticalExtension() {
        Extension ext = new Extension("1.3.6.1.4.1.55555.2", true, new byte[] {1});
        EntityBody body = new EntityBody(ALICE.signingKey().verifyingKey(), ALICE.decryptionKey().publicKey(),
                ALICE_ENTITY.validity(), ALICE_ENTITY.revocation(), List.of(ext));
        byte[] der = UnverifiedEntity.signed(body, ALICE.signingKey()).encoded();
        assertMalformed(der);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 2, 1L << 40})
    void decode_refusesVersionsOtherThanOne(long version) {
        assertMalformed(signedEntity(replace(body(), E_VERSION, new ASN1Integer(version)), ALICE.signingKey()));
    }

    @Test
    void decode_refusesValidityEndingBeforeItStarts() {
        long notBefore = ALICE_ENTITY.validity().notBefore().getEpochSecond();
        ASN1Sequence b = replace(body(), E_NOT_AFTER, new ASN1Integer(notBefore - 1));
        assertMalformed(signedEntity(b, ALICE.signingKey()));
    }

    @Test
    void decode_refusesTimesOutside1970To9999() {
        assertMalformed(signedEntity(replace(body(), E_NOT_AFTER, new ASN1Integer(Limits.MAX_EPOCH_SECONDS + 1)),
                ALICE.signingKey()));
        assertMalformed(signedEntity(replace(body(), E_NOT_BEFORE, new ASN1Integer(-1)), ALICE.signingKey()));
    }

    @Test
    void decode_refusesAKeyOfTheWrongLength() {
        assertMalformed(signedEntity(replace(body(), E_SIGNING_KEY, new DEROctetString(new byte[31])),
                ALICE.signingKey()));
    }

    @Test
    void decode_refusesAShortSignature() {
        ASN1Sequence outer = io.wave.crypto.internal.Der.decodeSequence(ALICE_ENTITY.encoded(), 4096, "entity");
        byte[] sig = ((DEROctetString) outer.getObjectAt(1)).getOctets();
        byte[] der = io.wave.crypto.internal.Der.encode(io.wave.crypto.internal.Der.sequence(outer.getObjectAt(0),
                new DEROctetString(java.util.Arrays.copyOf(sig, 63))));
        assertMalformed(der);
    }

    private static ASN1Sequence body() {
        return ALICE_ENTITY.body().toAsn1();
    }

    private static void assertMalformed(byte[] der) {
        WaveException e = assertThrows(WaveException.class, () -> UnverifiedEntity.decode(der));
        assertEquals(ErrorCode.MALFORMED, e.code(), e.getMessage());
    }
}
