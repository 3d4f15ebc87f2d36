package io.wave.crypto.internal;

import static io.wave.crypto.testing.DerBytes.nestedSequences;
import static io.wave.crypto.testing.DerBytes.wrap;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.testing.VectorFile;
import java.util.Arrays;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The strict DER gate every object passes through; schema rules are tested with the objects. */
class DerTest {

    @TestFactory
    Stream<DynamicTest> strictDerVectors() {
        return VectorFile.load("/vectors/strict-der.txt").stream().map(v -> dynamicTest(v.name(), () -> {
            byte[] input = v.hex("input");
            String expect = v.get("expect");
            if (expect.equals("OK")) {
                ASN1Sequence seq = Der.decodeSequence(input, 1024, "vector");
                assertArrayEquals(input, Der.encode(seq));
            } else {
                WaveException e = assertThrows(WaveException.class, () -> Der.decodeSequence(input, 1024, "vector"));
                assertEquals(ErrorCode.valueOf(expect), e.code(), e.getMessage());
            }
        }));
    }

    @Test
    void decodeSequence_acceptsExactlyTheLimit_andRefusesOneByteMore() {
        byte[] atLimit = Der.encode(Der.sequence(new DEROctetString(new byte[95])));
        assertEquals(99, atLimit.length);
        assertArrayEquals(atLimit, Der.encode(Der.decodeSequence(atLimit, 99, "x")));
        WaveException e = assertThrows(WaveException.class, () -> Der.decodeSequence(atLimit, 98, "x"));
        assertEquals(ErrorCode.TOO_LARGE, e.code());
    }

    @Test
    void decodeSequence_refusesNull() {
        assertEquals(ErrorCode.MALFORMED,
                assertThrows(WaveException.class, () -> Der.decodeSequence(null, 10, "x")).code());
    }

    @Test
    void decodeSequence_acceptsMaxDepth_andRefusesOneLevelMore() {
        Der.decodeSequence(nestedSequences(Der.MAX_DEPTH), 1 << 20, "x");
        WaveException e = assertThrows(WaveException.class,
                () -> Der.decodeSequence(nestedSequences(Der.MAX_DEPTH + 1), 1 << 20, "x"));
        assertEquals(ErrorCode.MALFORMED, e.code());
    }

    @Test
    void decodeSequence_refusesAHundredThousandNestedSequences_withoutRecursing() {
        byte[] bomb = nestedSequences(100_000);
        WaveException e = assertThrows(WaveException.class, () -> Der.decodeSequence(bomb, bomb.length, "x"));
        assertEquals(ErrorCode.MALFORMED, e.code());
        assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());
    }

    @Test
    void decodeSequence_refusesDeepNestingOfContextTags() {
        // [0] { [0] { ... } }: constructed context tags nest like SEQUENCEs and are bounded the same way.
        byte[] inner = {0x02, 0x01, 0x01};
        for (int i = 0; i < 40; i++) {
            inner = wrap(0xa0, inner);
        }
        byte[] outer = wrap(0x30, inner);
        assertEquals(ErrorCode.MALFORMED,
                assertThrows(WaveException.class, () -> Der.decodeSequence(outer, 1 << 20, "x")).code());
    }

    @Test
    void nestedSequences_buildsWhatWrappingWouldBuild() {
        byte[] byWrapping = new byte[0];
        for (int i = 0; i < 300; i++) {
            byWrapping = wrap(0x30, byWrapping);
        }
        assertArrayEquals(byWrapping, nestedSequences(300));
    }

    @Test
    void children_sliceAcceptedInputIntoTheCanonicalEncodingsOfItsElements() {
        // Children with short (2), one-byte (0x81) and two-byte (0x82) length forms, and a nested one.
        ASN1Sequence seq = Der.sequence(new ASN1Integer(1), new DEROctetString(new byte[200]),
                new DEROctetString(new byte[300]), Der.sequence(new ASN1Integer(2), new DEROctetString(new byte[130])));
        byte[] der = Der.encode(seq);
        Der.decodeSequence(der, der.length, "x");
        int[] spans = Der.children(der, 0);
        assertEquals(2 * seq.size(), spans.length);
        for (int i = 0; i < seq.size(); i++) {
            assertArrayEquals(Der.encode(seq.getObjectAt(i)), Der.child(der, 0, i), "child " + i);
            assertArrayEquals(Der.encode(seq.getObjectAt(i)), Arrays.copyOfRange(der, spans[2 * i], spans[2 * i + 1]));
        }
        assertEquals(der.length, spans[spans.length - 1]);
        int[] nested = Der.children(der, spans[6]);
        assertArrayEquals(Der.encode(new DEROctetString(new byte[130])),
                Arrays.copyOfRange(der, nested[2], nested[3]));
        assertEquals(0, Der.children(Der.encode(Der.sequence()), 0).length);
    }

    @Test
    void encode_isTheInverseOfDecode() {
        byte[] der = Der.encode(Der.sequence(new ASN1Integer(1), new DEROctetString(new byte[300])));
        assertArrayEquals(der, Der.encode(Der.decodeSequence(der, der.length, "x")));
    }

    @Test
    void wrap_encodesLikeBouncyCastleAcrossEveryLengthForm() throws Exception {
        for (int n : new int[] {0, 1, 125, 126, 127, 128, 200, 253, 254, 255, 256, 65_531, 65_532, 65_535, 70_000}) {
            byte[] content = new byte[n];
            Arrays.fill(content, (byte) 7);
            assertArrayEquals(new DEROctetString(content).getEncoded("DER"), Der.octetString(content), "length " + n);
            byte[] inner = Der.octetString(content);
            byte[] small = Der.encode(new ASN1Integer(n));
            byte[] viaBc = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new DEROctetString(content), new ASN1Integer(n)}).getEncoded("DER");
            assertArrayEquals(viaBc, Der.wrap(Der.SEQUENCE, inner, small), "sequence around " + n);
            byte[] tagged = new org.bouncycastle.asn1.DERTaggedObject(true, 0, new DEROctetString(content)).getEncoded("DER");
            assertArrayEquals(tagged, Der.wrap(Der.explicit(0), inner), "tagged " + n);
        }
    }
}
