package io.wave.crypto.objects;

import static io.wave.crypto.objects.Fixtures.ALICE;
import static io.wave.crypto.objects.Fixtures.A_CAVEATS;
import static io.wave.crypto.objects.Fixtures.A_INDIRECTIONS;
import static io.wave.crypto.objects.Fixtures.A_NONCE;
import static io.wave.crypto.objects.Fixtures.A_NOT_AFTER;
import static io.wave.crypto.objects.Fixtures.A_PERMISSIONS;
import static io.wave.crypto.objects.Fixtures.A_PERMISSION_SET;
import static io.wave.crypto.objects.Fixtures.A_RESOURCE;
import static io.wave.crypto.objects.Fixtures.A_VERSION;
import static io.wave.crypto.objects.Fixtures.append;
import static io.wave.crypto.objects.Fixtures.concat;
import static io.wave.crypto.objects.Fixtures.grant;
import static io.wave.crypto.objects.Fixtures.reframe;
import static io.wave.crypto.objects.Fixtures.replace;
import static io.wave.crypto.objects.Fixtures.signedAttestation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.testing.DerBytes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every way in for outside bytes refuses anything but the one canonical encoding of a well-formed
 * object, and refuses it with a {@link WaveException} carrying the right code: never another exception.
 */
class StrictDecodingTest {
    private static final Attestation GRANT = grant().sign();

    /** One decoder per object kind, with a valid encoding of that kind and its size limit. */
    private record Kind(String name, Function<byte[], ?> decode, byte[] valid, int limit) {}

    private static List<Kind> kinds() {
        Entity alice = ALICE.entity();
        UnverifiedProof proof = UnverifiedProof.assemble(List.of(alice, Fixtures.BOB.entity()), List.of(GRANT),
                List.of(List.of(0)));
        NameDeclaration name = NameDeclaration.sign(new NameDeclaration.Body(ALICE.id(), Fixtures.BOB.id(),
                "bob.floor1.building42", Fixtures.YEAR_2025, ALICE.entityRevocationSecret().commitment()), ALICE);
        return List.of(
                new Kind("entity", UnverifiedEntity::decode, alice.encoded(), Limits.MAX_ENTITY_BYTES),
                new Kind("attestation", UnverifiedAttestation::decode, GRANT.encoded(), Limits.MAX_ATTESTATION_BYTES),
                new Kind("proof", UnverifiedProof::decode, proof.encoded(), Limits.MAX_PROOF_BYTES),
                new Kind("name declaration", NameDeclaration::decode, name.encoded(), Limits.MAX_NAME_BYTES),
                new Kind("revocation", Revocation::decode, new Revocation(ALICE.entityRevocationSecret()).encode(),
                        Limits.MAX_REVOCATION_BYTES),
                new Kind("entity secret", EntitySecret::decodePlain, ALICE.encodePlain(), Limits.MAX_SECRET_BYTES));
    }

    @TestFactory
    Stream<DynamicTest> everyDecoder_acceptsItsOwnEncoding() {
        return kinds().stream().map(k -> dynamicTest(k.name(), () -> k.decode().apply(k.valid())));
    }

    @TestFactory
    Stream<DynamicTest> everyDecoder_refusesEveryTruncation() {
        return kinds().stream().map(k -> dynamicTest(k.name(), () -> {
            for (int len = 0; len < k.valid().length; len++) {
                expect(ErrorCode.MALFORMED, k, java.util.Arrays.copyOf(k.valid(), len), "truncated to " + len);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyDecoder_refusesTrailingBytes() {
        return kinds().stream().map(k -> dynamicTest(k.name(), () -> {
            // Refused by the structural scan itself, not only by the re-encoding comparison behind it.
            expect(ErrorCode.MALFORMED, "trailing bytes", k, concat(k.valid(), new byte[] {0}), "a trailing zero");
            expect(ErrorCode.MALFORMED, "trailing bytes", k, concat(k.valid(), new byte[] {0x30, 0x00}),
                    "a trailing empty SEQUENCE");
            expect(ErrorCode.MALFORMED, k, concat(k.valid(), k.valid()), "the object twice");
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyDecoder_refusesNonMinimalAndIndefiniteLengths() {
        return kinds().stream().map(k -> dynamicTest(k.name(), () -> {
            int n = Fixtures.content(k.valid()).length;
            if (n < 0x80) {
                expect(ErrorCode.MALFORMED, "non-minimal length", k, reframe(k.valid(), 0x30, 0x81, n),
                        "0x81 for a short length");
            } else if (n < 0x100) {
                expect(ErrorCode.MALFORMED, "non-minimal length", k, reframe(k.valid(), 0x30, 0x82, 0, n),
                        "0x82 with a leading zero");
            } else {
                expect(ErrorCode.MALFORMED, "non-minimal length", k,
                        reframe(k.valid(), 0x30, 0x83, 0, n >> 8, n & 0xff),
                        "0x83 with a leading zero");
            }
            expect(ErrorCode.MALFORMED, "indefinite length", k,
                    concat(reframe(k.valid(), 0x30, 0x80), new byte[] {0, 0}),
                    "indefinite length");
            // Re-framing with the minimal header must give back the original: the checks above are
            // about the length form alone.
            assertArrayEquals(k.valid(), DerBytes.wrap(0x30, Fixtures.content(k.valid())));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyDecoder_refusesInputOverItsLimitAsTooLarge() {
        return kinds().stream().map(k -> dynamicTest(k.name(), () -> {
            // Well-formed DER one byte over the limit: the size bound is checked before anything else.
            byte[] over = sequenceOfSize(k.limit() + 1);
            assertEquals(k.limit() + 1, over.length);
            expect(ErrorCode.TOO_LARGE, k, over, "one byte over the limit");
            expect(ErrorCode.TOO_LARGE, k, new byte[k.limit() * 4], "garbage far over the limit");
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyDecoder_refusesDeepNestingAsMalformed_withoutOverflowingTheStack() {
        return kinds().stream().map(k -> dynamicTest(k.name(), () -> {
            int depth = 10_000;
            byte[] bomb = DerBytes.nestedSequences(depth);
            while (bomb.length > k.limit()) {
                depth /= 2;
                bomb = DerBytes.nestedSequences(depth);
            }
            expect(ErrorCode.MALFORMED, "nested too deeply", k, bomb, depth + " nested SEQUENCEs");
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyDecoder_refusesEmptyAndNonSequenceInput() {
        return kinds().stream().map(k -> dynamicTest(k.name(), () -> {
            expect(ErrorCode.MALFORMED, k, new byte[0], "empty input");
            expect(ErrorCode.MALFORMED, k, new byte[] {0x30, 0x00}, "an empty SEQUENCE");
            expect(ErrorCode.MALFORMED, k, Fixtures.content(k.valid()), "the content without its header");
            expect(ErrorCode.MALFORMED, k, "-----BEGIN".getBytes(StandardCharsets.US_ASCII), "PEM text");
        }));
    }

    @Test
    void proofOfTenThousandNestedSequences_isMalformed() {
        byte[] bomb = DerBytes.nestedSequences(10_000);
        assertEquals(ErrorCode.MALFORMED,
                assertThrows(WaveException.class, () -> UnverifiedProof.decode(bomb)).code());
    }

    // ---- attestation schema rules, each on a correctly signed body ----

    @Test
    void attestation_refusesVersionsOtherThanOne() {
        refuse(ErrorCode.MALFORMED, "unsupported version", replace(body(), A_VERSION, new ASN1Integer(2)));
        refuse(ErrorCode.MALFORMED, "unsupported version", replace(body(), A_VERSION, new ASN1Integer(0)));
        refuse(ErrorCode.MALFORMED, replace(body(), A_VERSION, new ASN1Integer(-1)));
    }

    @Test
    void attestation_refusesAnUnknownCriticalExtension() {
        Attestation a = grant().extensions(new Extension("1.3.6.1.4.1.55555.7", true, new byte[] {9})).sign();
        WaveException e = expectAttestation(ErrorCode.MALFORMED, a.encoded());
        assertTrue(e.getMessage().contains("unknown critical extension 1.3.6.1.4.1.55555.7"), e.getMessage());
    }

    @Test
    void attestation_keepsANonCriticalExtension() {
        Extension ext = new Extension("1.3.6.1.4.1.55555.8", false, "hint".getBytes(StandardCharsets.US_ASCII));
        Attestation a = grant().extensions(ext).sign();
        Attestation back = UnverifiedAttestation.decode(a.encoded()).verify(ALICE.entity());
        assertEquals(List.of(ext), back.body().extensions());
        assertEquals(a.id(), back.id());
    }

    @Test
    void attestation_refusesCriticalFalseWrittenOut() {
        // DER omits a BOOLEAN that equals its DEFAULT; writing critical FALSE is a second encoding.
        ASN1Sequence ext = Der.sequence(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.9"), ASN1Boolean.FALSE,
                new DEROctetString(new byte[] {1}));
        refuse(ErrorCode.MALFORMED, "critical FALSE", append(body(), new DERTaggedObject(true, 0, Der.sequence(ext))));
    }

    @Test
    void attestation_refusesMalformedExtensionLists() {
        refuse(ErrorCode.MALFORMED, append(body(), new DERTaggedObject(true, 0, Der.sequence())));
        ASN1Sequence ext = extension("1.3.6.1.4.1.55555.10");
        refuse(ErrorCode.MALFORMED, append(body(), new DERTaggedObject(true, 1, Der.sequence(ext))));
        refuse(ErrorCode.MALFORMED, append(body(), new DERTaggedObject(true, 0, Der.sequence(
                Der.sequence(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.11"), new ASN1Integer(1))))));
        refuse(ErrorCode.MALFORMED, append(body(), new DERTaggedObject(true, 0, Der.sequence(
                Der.sequence(new DERUTF8String("not an oid"), new DEROctetString(new byte[1]))))));
        ASN1EncodableVector nine = new ASN1EncodableVector();
        for (int i = 0; i < Extension.MAX_EXTENSIONS + 1; i++) {
            nine.add(extension("1.3.6.1.4.1.55555.20." + i));
        }
        refuse(ErrorCode.TOO_LARGE, append(body(), new DERTaggedObject(true, 0, Der.sequence(nine))));
    }

    @Test
    void attestation_refusesAnythingAfterTheExtensions() {
        ASN1Sequence ext = extension("1.3.6.1.4.1.55555.12");
        ASN1Sequence withExt = append(body(), new DERTaggedObject(true, 0, Der.sequence(ext)));
        refuse(ErrorCode.MALFORMED, append(withExt, new ASN1Integer(0)));
        refuse(ErrorCode.MALFORMED, append(body(), new ASN1Integer(0)));
    }

    @Test
    void attestation_refusesAnUnknownCaveatKind() {
        refuse(ErrorCode.MALFORMED, "unknown caveat kind 4", withCaveat(Der.sequence(new ASN1Integer(4))));
        refuse(ErrorCode.MALFORMED, "unknown caveat kind 0", withCaveat(Der.sequence(new ASN1Integer(0))));
        refuse(ErrorCode.MALFORMED, withCaveat(Der.sequence(new ASN1Integer(4), new ASN1Integer(1))));
        refuse(ErrorCode.MALFORMED, withCaveat(Der.sequence()));
    }

    @Test
    void attestation_refusesMalformedCaveats() {
        // A daily window of one minute past midnight's end, a window of zero length, and one that names
        // the whole day.
        refuse(ErrorCode.MALFORMED, withCaveat(caveat(2, 0, 1441)));
        refuse(ErrorCode.MALFORMED, withCaveat(caveat(2, 60, 60)));
        refuse(ErrorCode.MALFORMED, withCaveat(caveat(2, 0, 1440)));
        // A confidence above 1, a range with no bound, a range upside down, an extra field.
        refuse(ErrorCode.MALFORMED, withCaveat(Der.sequence(new ASN1Integer(3), new ASN1Integer(1_000_001))));
        refuse(ErrorCode.MALFORMED, withCaveat(Der.sequence(new ASN1Integer(1), new DERUTF8String("speed"))));
        refuse(ErrorCode.MALFORMED, withCaveat(Der.sequence(new ASN1Integer(1), new DERUTF8String("speed"),
                new DERTaggedObject(true, 0, new ASN1Integer(5)), new DERTaggedObject(true, 1, new ASN1Integer(4)))));
        refuse(ErrorCode.MALFORMED, withCaveat(caveat(3, 5, 5)));
        // Bounds out of order: [1] before [0].
        refuse(ErrorCode.MALFORMED, withCaveat(Der.sequence(new ASN1Integer(1), new DERUTF8String("speed"),
                new DERTaggedObject(true, 1, new ASN1Integer(9)), new DERTaggedObject(true, 0, new ASN1Integer(4)))));
        // An implicitly tagged bound is a different encoding.
        refuse(ErrorCode.MALFORMED, withCaveat(Der.sequence(new ASN1Integer(1), new DERUTF8String("speed"),
                new DERTaggedObject(false, 0, new ASN1Integer(4)))));
    }

    @Test
    void attestation_refusesUnsortedOrDuplicatePermissions() {
        refuse(ErrorCode.MALFORMED, "sorted and unique", replace(body(), A_PERMISSIONS,
                Der.sequence(new DERUTF8String("write"), new DERUTF8String("read"))));
        refuse(ErrorCode.MALFORMED, "sorted and unique", replace(body(), A_PERMISSIONS,
                Der.sequence(new DERUTF8String("read"), new DERUTF8String("read"))));
        refuse(ErrorCode.MALFORMED, replace(body(), A_PERMISSIONS, Der.sequence()));
        refuse(ErrorCode.MALFORMED, replace(body(), A_PERMISSIONS, Der.sequence(new DEROctetString(new byte[] {'r'}))));
    }

    @Test
    void attestation_refusesMorePermissionsOrCaveatsThanTheLimitAsTooLarge() {
        ASN1EncodableVector perms = new ASN1EncodableVector();
        for (int i = 0; i < Limits.MAX_PERMISSIONS + 1; i++) {
            perms.add(new DERUTF8String(String.format("p%02d", i)));
        }
        refuse(ErrorCode.TOO_LARGE, replace(body(), A_PERMISSIONS, Der.sequence(perms)));
        ASN1EncodableVector cavs = new ASN1EncodableVector();
        for (int i = 0; i < Limits.MAX_CAVEATS + 1; i++) {
            cavs.add(Der.sequence(new ASN1Integer(3), new ASN1Integer(i)));
        }
        refuse(ErrorCode.TOO_LARGE, replace(body(), A_CAVEATS, Der.sequence(cavs)));
    }

    @Test
    void attestation_refusesInvalidUtf8InTheResource() {
        // Sign a resource with a recognisable run, then swap bytes of the run for ones that are not
        // UTF-8; lengths stay, so the DER stays well formed and only the text is wrong.
        byte[] der = grant().resource("floor1/XXXX").sign().encoded();
        byte[] marker = "XXXX".getBytes(StandardCharsets.US_ASCII);
        for (byte[] bad : List.of(new byte[] {(byte) 0xff, 'X', 'X', 'X'}, new byte[] {'X', (byte) 0xc3, '(', 'X'},
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80, 'X'}, new byte[] {'X', 'X', 'X', (byte) 0xe2})) {
            WaveException e = expectAttestation(ErrorCode.MALFORMED, Fixtures.patch(der, marker, bad));
            assertTrue(e.getMessage().contains("resource is not valid UTF-8"), e.getMessage());
        }
    }

    @Test
    void attestation_refusesControlCharactersInTheResource() {
        refuse(ErrorCode.MALFORMED, replace(body(), A_RESOURCE, new DERUTF8String("floor1/\u0000/x")));
        refuse(ErrorCode.MALFORMED, replace(body(), A_RESOURCE, new DERUTF8String("floor1\n")));
    }

    @Test
    void attestation_refusesFieldsOfTheWrongTypeOrRange() {
        refuse(ErrorCode.MALFORMED, replace(body(), A_PERMISSION_SET, new ASN1Integer(1)));
        refuse(ErrorCode.MALFORMED, replace(body(), A_PERMISSION_SET, new DERUTF8String("Not-A-Set")));
        refuse(ErrorCode.MALFORMED, replace(body(), A_PERMISSION_SET, new DEROctetString(new byte[33])));
        refuse(ErrorCode.MALFORMED, replace(body(), A_RESOURCE, new DEROctetString(new byte[] {'x'})));
        refuse(ErrorCode.MALFORMED, replace(body(), A_INDIRECTIONS, new ASN1Integer(Limits.MAX_INDIRECTIONS + 1)));
        refuse(ErrorCode.MALFORMED, replace(body(), A_NOT_AFTER, new ASN1Integer(0)));
        refuse(ErrorCode.MALFORMED, replace(body(), A_NONCE, new DEROctetString(new byte[15])));
        refuse(ErrorCode.MALFORMED, replace(body(), A_NONCE, new DERBitString(new byte[16])));
        refuse(ErrorCode.MALFORMED, replace(body(), 1, new DEROctetString(new byte[32])));
    }

    @Test
    void attestation_refusesAMissingField() {
        ASN1EncodableVector v = new ASN1EncodableVector();
        ASN1Sequence b = body();
        for (int i = 0; i < b.size() - 1; i++) {
            v.add(b.getObjectAt(i));
        }
        refuse(ErrorCode.MALFORMED, Der.sequence(v));
    }

    @Test
    void attestation_refusesASignatureOfTheWrongLength() {
        for (int len : new int[] {0, 63, 65}) {
            byte[] der = Der.encode(Der.sequence(body(), new DEROctetString(new byte[len])));
            expectAttestation(ErrorCode.MALFORMED, der);
        }
        expectAttestation(ErrorCode.MALFORMED, Der.encode(Der.sequence(body())));
        expectAttestation(ErrorCode.MALFORMED, Der.encode(Der.sequence(new DEROctetString(new byte[64]), body())));
    }

    private static ASN1Sequence body() {
        return GRANT.body().toAsn1();
    }

    /** A caveat of {@code kind} with integer fields. */
    private static ASN1Sequence caveat(int kind, long... fields) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(kind));
        for (long f : fields) {
            v.add(new ASN1Integer(f));
        }
        return Der.sequence(v);
    }

    /** A non-critical extension with a one-byte value. */
    private static ASN1Sequence extension(String oid) {
        return Der.sequence(new ASN1ObjectIdentifier(oid), new DEROctetString(new byte[1]));
    }

    private static ASN1Sequence withCaveat(ASN1Encodable caveat) {
        return replace(body(), A_CAVEATS, Der.sequence(caveat));
    }

    private static void refuse(ErrorCode code, ASN1Sequence craftedBody) {
        expectAttestation(code, signedAttestation(craftedBody, ALICE.signingKey()));
    }

    /** As {@link #refuse(ErrorCode, ASN1Sequence)}, and the refusal names {@code reason}. */
    private static void refuse(ErrorCode code, String reason, ASN1Sequence craftedBody) {
        WaveException e = expectAttestation(code, signedAttestation(craftedBody, ALICE.signingKey()));
        assertTrue(e.getMessage().contains(reason), "refused, but not because of " + reason + ": " + e.getMessage());
    }

    private static WaveException expectAttestation(ErrorCode code, byte[] der) {
        WaveException e = assertThrows(WaveException.class, () -> UnverifiedAttestation.decode(der));
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private static void expect(ErrorCode code, Kind k, byte[] input, String what) {
        expect(code, null, k, input, what);
    }

    /** Decoding {@code input} throws a WaveException with {@code code} (and naming {@code reason}, if given). */
    private static void expect(ErrorCode code, String reason, Kind k, byte[] input, String what) {
        try {
            k.decode().apply(input);
        } catch (WaveException e) {
            assertEquals(code, e.code(), k.name() + ", " + what + ": " + e.getMessage());
            if (reason != null) {
                assertTrue(e.getMessage().contains(reason), k.name() + ", " + what + ": " + e.getMessage());
            }
            return;
        } catch (Throwable t) {
            fail(k.name() + ", " + what + ": threw " + t + " instead of WaveException", t);
        }
        fail(k.name() + ", " + what + ": was accepted");
    }

    /** A well-formed SEQUENCE { OCTET STRING } of exactly {@code size} bytes. */
    private static byte[] sequenceOfSize(int size) {
        for (int content = size - 8; content <= size; content++) {
            byte[] der = Der.encode(Der.sequence(new DEROctetString(new byte[content])));
            if (der.length == size) {
                return der;
            }
        }
        throw new IllegalStateException("no SEQUENCE of size " + size);
    }
}
