package io.wave.crypto.internal;

import io.wave.crypto.WaveException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.BERTags;

/**
 * Reads the fields of one SEQUENCE in order, each with its bounds, and insists that nothing is left
 * over. Every failure is a {@link WaveException} naming the field.
 */
public final class DerReader {
    private final ASN1Sequence seq;
    private final String what;
    private int index;

    public DerReader(ASN1Sequence seq, String what) {
        this.seq = seq;
        this.what = what;
    }

    public static DerReader of(ASN1Encodable e, String what) {
        return new DerReader(sequenceOf(e, what), what);
    }

    public static ASN1Sequence sequenceOf(ASN1Encodable e, String what) {
        if (!(e instanceof ASN1Sequence s)) {
            throw WaveException.malformed(what + ": expected a SEQUENCE");
        }
        return s;
    }

    public boolean hasNext() {
        return index < seq.size();
    }

    private ASN1Encodable next(String field) {
        if (index >= seq.size()) {
            throw WaveException.malformed(what + ": missing " + field);
        }
        return seq.getObjectAt(index++);
    }

    public ASN1Encodable any(String field) {
        return next(field);
    }

    public long integer(String field, long min, long max) {
        return integerOf(next(field), what + ": " + field, min, max);
    }

    /** An INTEGER within {@code [min, max]}. */
    public static long integerOf(ASN1Encodable e, String field, long min, long max) {
        if (!(e instanceof ASN1Integer i)) {
            throw WaveException.malformed(field + " must be an INTEGER");
        }
        BigInteger v = i.getValue();
        if (v.bitLength() > 63 || v.longValue() < min || v.longValue() > max) {
            throw WaveException.malformed(field + " out of range [" + min + ", " + max + "]");
        }
        return v.longValue();
    }

    public byte[] octets(String field, int exactLength) {
        byte[] v = octets(field, exactLength, exactLength);
        return v;
    }

    public byte[] octets(String field, int minLength, int maxLength) {
        if (!(next(field) instanceof ASN1OctetString o)) {
            throw WaveException.malformed(what + ": " + field + " must be an OCTET STRING");
        }
        byte[] v = o.getOctets();
        if (v.length < minLength || v.length > maxLength) {
            throw WaveException.malformed(what + ": " + field + " must be "
                    + (minLength == maxLength ? minLength + " bytes" : minLength + " to " + maxLength + " bytes"));
        }
        return v;
    }

    public String utf8(String field, int maxChars) {
        return utf8Of(next(field), what + ": " + field, maxChars);
    }

    /** A UTF8String of at most {@code maxChars}, without control characters. */
    public static String utf8Of(ASN1Encodable e, String field, int maxChars) {
        if (!(e instanceof ASN1UTF8String u)) {
            throw WaveException.malformed(field + " must be a UTF8String");
        }
        // Decode the bytes ourselves, before anything asks BC for the string: BC's getString() throws
        // IllegalArgumentException on invalid UTF-8, which must surface as MALFORMED.
        byte[] enc = Der.encode(u);
        int header = (enc[1] & 0x80) == 0 ? 2 : 2 + (enc[1] & 0x7f);
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(enc, header, enc.length - header)).toString();
        } catch (CharacterCodingException ex) {
            throw WaveException.malformed(field + " is not valid UTF-8");
        }
        if (s.isEmpty() || s.length() > maxChars) {
            throw WaveException.malformed(field + " must be 1 to " + maxChars + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw WaveException.malformed(field + " holds a control character");
            }
        }
        return s;
    }

    public ASN1Sequence sequence(String field) {
        if (!(next(field) instanceof ASN1Sequence s)) {
            throw WaveException.malformed(what + ": " + field + " must be a SEQUENCE");
        }
        return s;
    }

    /**
     * The next element when it is {@code [tagNo]} (explicitly tagged, context class); otherwise null and
     * nothing is consumed.
     */
    public ASN1Encodable optionalTagged(int tagNo) {
        if (index < seq.size() && seq.getObjectAt(index) instanceof ASN1TaggedObject t
                && t.getTagClass() == BERTags.CONTEXT_SPECIFIC && t.getTagNo() == tagNo && t.isExplicit()) {
            index++;
            return t.getExplicitBaseObject();
        }
        return null;
    }

    public static ASN1ObjectIdentifier oid(ASN1Encodable e, String field) {
        if (!(e instanceof ASN1ObjectIdentifier o)) {
            throw WaveException.malformed(field + " must be an OBJECT IDENTIFIER");
        }
        return o;
    }

    public static boolean bool(ASN1Encodable e, String field) {
        if (!(e instanceof ASN1Boolean b)) {
            throw WaveException.malformed(field + " must be a BOOLEAN");
        }
        return b.isTrue();
    }

    /** Asserts that every field was read. */
    public void end() {
        if (index != seq.size()) {
            throw WaveException.malformed(what + ": unexpected field at position " + index);
        }
    }
}
