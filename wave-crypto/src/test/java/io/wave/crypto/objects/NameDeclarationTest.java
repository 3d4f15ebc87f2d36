package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static io.wave.crypto.objects.Fixtures.BOB;
import static io.wave.crypto.objects.Fixtures.MALLORY;
import static io.wave.crypto.objects.Fixtures.YEAR_2025;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.NameId;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameDeclarationTest {
    private static final NameDeclaration.Body BODY = new NameDeclaration.Body(ALICE.id(), BOB.id(),
            "thermostat-3.floor1.building42", YEAR_2025, ALICE.entityRevocationSecret().commitment());
    private static final NameDeclaration SIGNED = NameDeclaration.sign(BODY, ALICE);

    @Test
    void sign_thenDecode_thenVerify_givesBackTheBody() {
        assertTrue(SIGNED.isVerified());
        NameDeclaration decoded = NameDeclaration.decode(SIGNED.encoded());
        assertFalse(decoded.isVerified());
        assertEquals(SIGNED.id(), decoded.id());
        assertEquals(ALICE.id(), decoded.attester());
        NameDeclaration verified = decoded.verify(ALICE.entity());
        assertTrue(verified.isVerified());
        assertEquals(BODY, verified.body());
        assertArrayEquals(SIGNED.encoded(), verified.encoded());
        assertSame(SIGNED, SIGNED.verify(ALICE.entity()));
    }

    @Test
    void id_isTheHashOfTheEncodingUnderTheNameDomain() {
        assertEquals(new NameId(Hash.sha3("wave.name.v1", SIGNED.encoded())), SIGNED.id());
    }

    @Test
    void body_isUnreadableUntilVerified() {
        NameDeclaration decoded = NameDeclaration.decode(SIGNED.encoded());
        assertThrows(IllegalStateException.class, decoded::body);
    }

    @Test
    void verify_rejectsAnotherAttester() {
        NameDeclaration decoded = NameDeclaration.decode(SIGNED.encoded());
        assertEquals(ErrorCode.MALFORMED,
                assertThrows(WaveException.class, () -> decoded.verify(BOB.entity())).code());
    }

    @Test
    void verify_rejectsATamperedSignature() {
        byte[] der = SIGNED.encoded();
        der[der.length - 5] ^= 0x10;
        NameDeclaration decoded = NameDeclaration.decode(der);
        assertEquals(ErrorCode.BAD_SIGNATURE,
                assertThrows(WaveException.class, () -> decoded.verify(ALICE.entity())).code());
    }

    @Test
    void verify_rejectsANameMalloryDeclaredInAlicesName() {
        byte[] body = Der.encode(BODY.toAsn1());
        byte[] sig = MALLORY.signingKey().sign(Domains.NAME_SIG, body);
        NameDeclaration decoded =
                NameDeclaration.decode(Der.encode(Der.sequence(BODY.toAsn1(), new DEROctetString(sig))));
        assertEquals(ErrorCode.BAD_SIGNATURE,
                assertThrows(WaveException.class, () -> decoded.verify(ALICE.entity())).code());
    }

    @Test
    void verify_rejectsAnAttestationSignatureOverTheSameBytes() {
        byte[] body = Der.encode(BODY.toAsn1());
        byte[] sig = ALICE.signingKey().sign(Domains.ATTESTATION_SIG, body);
        NameDeclaration decoded =
                NameDeclaration.decode(Der.encode(Der.sequence(BODY.toAsn1(), new DEROctetString(sig))));
        assertEquals(ErrorCode.BAD_SIGNATURE,
                assertThrows(WaveException.class, () -> decoded.verify(ALICE.entity())).code());
    }

    @Test
    void sign_refusesABodyNamingAnotherAttester() {
        assertEquals(ErrorCode.BAD_ARGUMENT,
                assertThrows(WaveException.class, () -> NameDeclaration.sign(BODY, MALLORY)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Alice", "alice_b", "-alice", "alice-", "a..b", ".a", "a.", "al ice", "caf\u00e9",
        "alice.", "xn--.a"})
    void body_refusesNamesThatAreNotDotSeparatedLowercaseLabels(String name) {
        assertMalformed(name);
    }

    @Test
    void body_boundsLabelAndNameLength() {
        String label63 = "a".repeat(63);
        new NameDeclaration.Body(ALICE.id(), BOB.id(), label63, YEAR_2025, BODY.revocation());
        assertMalformed("a".repeat(64));
        String longest = String.join(".", label63, label63, label63, "a".repeat(61));
        assertEquals(Limits.MAX_NAME_CHARS, longest.length());
        new NameDeclaration.Body(ALICE.id(), BOB.id(), longest, YEAR_2025, BODY.revocation());
        assertMalformed(longest + "a");
        assertMalformed(null);
    }

    @Test
    void decode_refusesABadNameEvenWhenSigned() {
        // Patch an uppercase letter into a signed name: same length, so only the name rule fails.
        byte[] der = Fixtures.patch(SIGNED.encoded(), "floor1".getBytes(StandardCharsets.US_ASCII),
                "Floor1".getBytes(StandardCharsets.US_ASCII));
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, () -> NameDeclaration.decode(der)).code());
    }

    @Test
    void decode_refusesWrongVersionAndWrongTypes() {
        ASN1Sequence body = BODY.toAsn1();
        refuse(Fixtures.replace(body, 0, new ASN1Integer(2)));
        refuse(Fixtures.replace(body, 3, new DEROctetString("bob".getBytes(StandardCharsets.US_ASCII))));
        refuse(Fixtures.replace(body, 3, new DERUTF8String("bob\u0000.x")));
        refuse(Fixtures.append(body, new ASN1Integer(0)));
    }

    private static void refuse(ASN1Sequence body) {
        byte[] sig = ALICE.signingKey().sign(Domains.NAME_SIG, Der.encode(body));
        byte[] der = Der.encode(Der.sequence(body, new DEROctetString(sig)));
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, () -> NameDeclaration.decode(der)).code());
    }

    private static void assertMalformed(String name) {
        WaveException e = assertThrows(WaveException.class,
                () -> new NameDeclaration.Body(ALICE.id(), BOB.id(), name, YEAR_2025, BODY.revocation()));
        assertEquals(ErrorCode.MALFORMED, e.code());
    }
}
