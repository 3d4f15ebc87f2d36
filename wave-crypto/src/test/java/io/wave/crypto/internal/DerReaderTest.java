package io.wave.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.testing.DerBytes;
import java.io.IOException;
import java.math.BigInteger;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DerReaderTest {

    /** A UTF8String holding exactly {@code hex} as content, as a decoder would see it. */
    private static ASN1Encodable utf8Raw(String hex) throws IOException {
        byte[] content = HexFormat.of().parseHex(hex);
        return ASN1Primitive.fromByteArray(DerBytes.wrap(0x0c, content));
    }

    @Test
    void utf8Of_acceptsMultilingualText() throws IOException {
        assertEquals("h\u00e9llo \u4e16\u754c \uD83D\uDD11",
                DerReader.utf8Of(new DERUTF8String("h\u00e9llo \u4e16\u754c \uD83D\uDD11"), "f", 32));
        assertEquals("abc", DerReader.utf8Of(utf8Raw("616263"), "f", 3));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "ff",             // never valid in UTF-8
        "c328",           // lead byte followed by ASCII
        "e282",           // truncated three-byte sequence
        "c0af",           // overlong encoding of '/'
        "eda080",         // UTF-16 surrogate encoded as UTF-8
        "f4908080",       // beyond U+10FFFF
        "61ff62",         // invalid byte between valid ones
    })
    void utf8Of_rejectsInvalidUtf8AsMalformed(String hex) throws IOException {
        ASN1Encodable e = utf8Raw(hex);
        WaveException ex = assertThrows(WaveException.class, () -> DerReader.utf8Of(e, "resource", 256));
        assertEquals(ErrorCode.MALFORMED, ex.code());
    }

    @Test
    void utf8Of_rejectsControlCharactersEmptyAndOverlong() {
        assertMalformed(() -> DerReader.utf8Of(new DERUTF8String("a\u0007b"), "f", 32));
        assertMalformed(() -> DerReader.utf8Of(new DERUTF8String("a\nb"), "f", 32));
        assertMalformed(() -> DerReader.utf8Of(new DERUTF8String("a\u0085b"), "f", 32));
        assertMalformed(() -> DerReader.utf8Of(new DERUTF8String(""), "f", 32));
        assertMalformed(() -> DerReader.utf8Of(new DERUTF8String("abcd"), "f", 3));
        assertMalformed(() -> DerReader.utf8Of(new DEROctetString(new byte[] {0x61}), "f", 3));
    }

    @Test
    void integerOf_enforcesItsRange() {
        assertEquals(5, DerReader.integerOf(new ASN1Integer(5), "f", 0, 5));
        assertMalformed(() -> DerReader.integerOf(new ASN1Integer(6), "f", 0, 5));
        assertMalformed(() -> DerReader.integerOf(new ASN1Integer(-1), "f", 0, 5));
        ASN1Integer twoTo63 = new ASN1Integer(BigInteger.ONE.shiftLeft(63));
        ASN1Integer twoTo64 = new ASN1Integer(BigInteger.ONE.shiftLeft(64));
        assertMalformed(() -> DerReader.integerOf(twoTo63, "f", 0, Long.MAX_VALUE));
        assertMalformed(() -> DerReader.integerOf(twoTo64, "f", 0, Long.MAX_VALUE));
        assertEquals(Long.MIN_VALUE + 1,
                DerReader.integerOf(new ASN1Integer(Long.MIN_VALUE + 1), "f", Long.MIN_VALUE + 1, 0));
        assertMalformed(() -> DerReader.integerOf(new DEROctetString(new byte[1]), "f", 0, 5));
    }

    @Test
    void reader_consumesInOrder_andInsistsNothingIsLeft() {
        DerReader r = DerReader.of(Der.sequence(new ASN1Integer(1), new DEROctetString(new byte[4]),
                new DERTaggedObject(true, 1, new ASN1Integer(7))), "thing");
        assertEquals(1, r.integer("version", 0, 9));
        assertMalformed(() -> new DerReader(Der.sequence(new ASN1Integer(1)), "thing").octets("x", 4));
        assertEquals(4, r.octets("nonce", 4).length);
        assertNull(r.optionalTagged(0), "a different tag number is not consumed");
        assertMalformed(r::end);
        assertEquals(7, DerReader.integerOf(r.optionalTagged(1), "seven", 0, 9));
        r.end();
        assertMalformed(() -> r.integer("missing", 0, 1));
    }

    @Test
    void octets_enforceLengthBounds() {
        assertMalformed(() -> DerReader.of(Der.sequence(new DEROctetString(new byte[3])), "t").octets("x", 4));
        assertMalformed(() -> DerReader.of(Der.sequence(new DEROctetString(new byte[9])), "t").octets("x", 4, 8));
        assertEquals(8, DerReader.of(Der.sequence(new DEROctetString(new byte[8])), "t").octets("x", 4, 8).length);
    }

    @Test
    void of_refusesWhatIsNotASequence() {
        assertMalformed(() -> DerReader.of(new ASN1Integer(1), "t"));
    }

    private static void assertMalformed(org.junit.jupiter.api.function.Executable call) {
        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, call).code());
    }
}
