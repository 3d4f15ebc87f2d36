package io.wave.crypto.objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wave.crypto.Pem;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERTaggedObject;

/**
 * Coverage-guided fuzzing (Jazzer) of every decoder of this module. The property: a decoder either refuses
 * with a {@link WaveException} or returns an object whose parsed fields re-encode to exactly the bytes it
 * was given (strict DER: one encoding per value). Anything else a decoder throws is a finding.
 *
 * <p>Under {@code mvn test} each target replays its committed inputs ({@code DecoderFuzzTestInputs/<target>/}
 * under the test resources) and stops; with {@code JAZZER_FUZZ=1} one target fuzzes (docs/fuzzing.md).
 */
class DecoderFuzzTest {

    @FuzzTest
    void entity(byte[] der) {
        UnverifiedEntity e = decoded(UnverifiedEntity::decode, der);
        if (e != null) {
            assertArrayEquals(der, reencode(e));
        }
    }

    @FuzzTest
    void entitySecret(byte[] der) {
        EntitySecret s = decoded(EntitySecret::decodePlain, der);
        if (s != null) {
            assertArrayEquals(der, s.encodePlain());
        }
    }

    @FuzzTest
    void attestation(byte[] der) {
        UnverifiedAttestation a = decoded(UnverifiedAttestation::decode, der);
        if (a != null) {
            assertArrayEquals(der, reencode(a));
        }
    }

    @FuzzTest
    void nameDeclaration(byte[] der) {
        NameDeclaration n = decoded(NameDeclaration::decode, der);
        if (n != null) {
            assertArrayEquals(der, Der.wrap(Der.SEQUENCE, Der.encode(n.decodedBody().toAsn1()), Der.child(der, 0, 1)));
        }
    }

    @FuzzTest
    void revocation(byte[] der) {
        Revocation r = decoded(Revocation::decode, der);
        if (r != null) {
            assertArrayEquals(der, r.encode());
        }
    }

    @FuzzTest
    void proof(byte[] der) {
        UnverifiedProof p = decoded(UnverifiedProof::decode, der);
        if (p != null) {
            assertArrayEquals(der, reencode(p));
        }
    }

    @FuzzTest
    void command(byte[] der) {
        UnverifiedCommand c = decoded(UnverifiedCommand::decode, der);
        if (c != null) {
            ASN1EncodableVector v = new ASN1EncodableVector();
            v.add(c.body().toAsn1());
            v.add(new DEROctetString(c.signature()));
            c.proof().ifPresent(p -> v.add(new DERTaggedObject(true, 0, asn1(reencode(p)))));
            assertArrayEquals(der, Der.encode(Der.sequence(v)));
        }
    }

    @FuzzTest
    void reply(byte[] der) {
        UnverifiedReply r = decoded(UnverifiedReply::decode, der);
        if (r != null) {
            assertArrayEquals(der, Der.wrap(Der.SEQUENCE, Der.encode(r.body().toAsn1()), Der.child(der, 0, 1),
                    reencode(r.deviceEntity())));
        }
    }

    /**
     * PEM is not canonical (comments, line breaks, CRLF), so the property is weaker: what decodes re-armours
     * to text that decodes to the same blocks.
     */
    @FuzzTest
    void pem(byte[] content) {
        List<Pem.Block> blocks = decoded(c -> Pem.decodeFile(c, Pem.PROOF), content);
        if (blocks == null || (content.length > 0 && content[0] == 0x30)) {
            return;
        }
        StringBuilder again = new StringBuilder();
        for (Pem.Block b : blocks) {
            again.append(Pem.encode(b.type(), b.der()));
        }
        List<Pem.Block> back = Pem.decodeAll(again.toString());
        assertEquals(blocks.size(), back.size());
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(blocks.get(i).type(), back.get(i).type());
            assertArrayEquals(blocks.get(i).der(), back.get(i).der());
        }
        assertEquals(again.toString(), new String(again.toString().getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8));
    }

    // ---- re-encoding from the parsed fields, not from the bytes kept ----

    private static byte[] reencode(UnverifiedEntity e) {
        byte[] kept = e.encodedNoCopy();
        return Der.wrap(Der.SEQUENCE, Der.encode(e.body().toAsn1()), Der.child(kept, 0, 1));
    }

    private static byte[] reencode(UnverifiedAttestation a) {
        byte[] kept = a.encoded();
        return Der.wrap(Der.SEQUENCE, Der.encode(a.body().toAsn1()), Der.child(kept, 0, 1));
    }

    private static byte[] reencode(UnverifiedProof p) {
        ASN1EncodableVector entities = new ASN1EncodableVector();
        for (UnverifiedEntity e : p.entities()) {
            entities.add(asn1(reencode(e)));
        }
        ASN1EncodableVector attestations = new ASN1EncodableVector();
        for (UnverifiedAttestation a : p.attestations()) {
            attestations.add(asn1(reencode(a)));
        }
        ASN1EncodableVector paths = new ASN1EncodableVector();
        for (int i = 0; i < p.pathCount(); i++) {
            List<ASN1Encodable> hops = new ArrayList<>();
            for (int index : p.path(i)) {
                hops.add(new ASN1Integer(index));
            }
            paths.add(Der.sequence(hops.toArray(ASN1Encodable[]::new)));
        }
        return Der.encode(Der.sequence(new ASN1Integer(Fields.VERSION), Der.sequence(entities),
                Der.sequence(attestations), Der.sequence(paths)));
    }

    private static ASN1Sequence asn1(byte[] der) {
        return Der.decodeSequence(der, der.length, "re-encoded");
    }

    /** The decoded value, or null when the decoder refused with the typed error; anything else propagates. */
    private static <T> T decoded(Function<byte[], T> decoder, byte[] input) {
        try {
            return decoder.apply(input);
        } catch (WaveException refused) {
            return null;
        }
    }
}
