package io.wave.crypto.objects;

import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERTaggedObject;

/**
 * A forward-compatible field on a signed object, as in X.509: {@code SEQUENCE { id OID, critical
 * BOOLEAN DEFAULT FALSE, value OCTET STRING }}. No extension is defined yet, so a critical one is
 * always refused: a verifier must never honour an object whose meaning it does not fully understand.
 * Non-critical ones are kept (they are signed) and otherwise ignored.
 */
public record Extension(String oid, boolean critical, byte[] value) {
    /** Bounds what an object may carry in extensions. */
    public static final int MAX_EXTENSIONS = 8;
    public static final int MAX_VALUE_BYTES = 1024;

    public Extension {
        Objects.requireNonNull(oid, "oid");
        value = Objects.requireNonNull(value, "value").clone();
        if (value.length > MAX_VALUE_BYTES) {
            throw WaveException.tooLarge("extension value over " + MAX_VALUE_BYTES + " bytes");
        }
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Extension e && e.oid.equals(oid) && e.critical == critical && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(oid, critical, Arrays.hashCode(value));
    }

    /** Reads the optional {@code [0] SEQUENCE OF Extension} that closes a signed body. */
    static List<Extension> readOptional(DerReader r, String what) {
        ASN1Encodable tagged = r.optionalTagged(0);
        if (tagged == null) {
            return List.of();
        }
        if (!(tagged instanceof ASN1Sequence list) || list.size() == 0) {
            throw WaveException.malformed(what + ": extensions, when present, are a non-empty SEQUENCE");
        }
        if (list.size() > MAX_EXTENSIONS) {
            throw WaveException.tooLarge(what + ": more than " + MAX_EXTENSIONS + " extensions");
        }
        List<Extension> out = new ArrayList<>(list.size());
        for (ASN1Encodable e : list) {
            DerReader er = DerReader.of(e, what + " extension");
            ASN1ObjectIdentifier id = DerReader.oid(er.any("id"), what + " extension id");
            boolean critical = false;
            ASN1Encodable next = er.any("critical or value");
            if (next instanceof ASN1Boolean b) {
                if (!b.isTrue()) {
                    throw WaveException.malformed(what + ": critical FALSE must be omitted in DER");
                }
                critical = true;
                next = er.any("value");
            }
            if (!(next instanceof org.bouncycastle.asn1.ASN1OctetString os)) {
                throw WaveException.malformed(what + ": extension value must be an OCTET STRING");
            }
            er.end();
            if (critical) {
                throw WaveException.malformed(what + ": unknown critical extension " + id.getId());
            }
            out.add(new Extension(id.getId(), false, os.getOctets()));
        }
        return List.copyOf(out);
    }

    static void writeOptional(ASN1EncodableVector v, List<Extension> extensions) {
        if (extensions.isEmpty()) {
            return;
        }
        ASN1EncodableVector list = new ASN1EncodableVector();
        for (Extension e : extensions) {
            ASN1EncodableVector ev = new ASN1EncodableVector();
            ev.add(new ASN1ObjectIdentifier(e.oid));
            if (e.critical) {
                ev.add(ASN1Boolean.TRUE);
            }
            ev.add(new DEROctetString(e.value));
            list.add(Der.sequence(ev));
        }
        v.add(new DERTaggedObject(true, 0, Der.sequence(list)));
    }
}
