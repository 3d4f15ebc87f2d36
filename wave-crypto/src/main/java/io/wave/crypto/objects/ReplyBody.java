package io.wave.crypto.objects;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * What a device signs when it answers a command: which command (or refused payload) it answers, the
 * outcome code ({@code OK} or a stable reason), a line for a human, and the handler's results.
 *
 * <pre>
 * ReplyBody ::= SEQUENCE {
 *   version   INTEGER (1),
 *   device    OCTET STRING (SIZE (33)),
 *   inReplyTo OCTET STRING (SIZE (33)),   -- the command's id, or the payload id of what did not decode
 *   code      UTF8String,                 -- OK or an upper-case reason code
 *   detail    UTF8String,
 *   results   Params,
 *   timestamp INTEGER }                   -- milliseconds since the epoch
 * </pre>
 */
public record ReplyBody(EntityId device, Hash inReplyTo, String code, String detail,
        Map<String, ParamValue> results, Instant timestamp) {
    public static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    public static final String OK = "OK";

    public ReplyBody {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(inReplyTo, "inReplyTo");
        Objects.requireNonNull(timestamp, "timestamp");
        if (code == null || !CODE.matcher(code).matches()) {
            throw WaveException.malformed("a reply code is an upper-case word of up to 32 characters");
        }
        if (detail == null || detail.isEmpty() || detail.length() > Limits.MAX_DETAIL_CHARS) {
            throw WaveException.malformed("a reply's detail is 1 to " + Limits.MAX_DETAIL_CHARS + " characters");
        }
        results = Params.checked(results);
        timestamp = Instant.ofEpochMilli(timestamp.toEpochMilli());
    }

    /** A detail cut to what a reply carries, with control characters replaced: for text from handlers. */
    public static String clip(String detail) {
        if (detail == null || detail.isBlank()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(Math.min(detail.length(), Limits.MAX_DETAIL_CHARS));
        for (int i = 0; i < detail.length() && sb.length() < Limits.MAX_DETAIL_CHARS; i++) {
            char c = detail.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString();
    }

    public boolean ok() {
        return OK.equals(code);
    }

    /** The results that are numbers, as doubles. */
    public Map<String, Double> numbers() {
        Map<String, Double> out = new java.util.HashMap<>();
        Params.numbers(results).forEach((k, n) -> out.put(k, n.toDouble()));
        return out;
    }

    ASN1Sequence toAsn1() {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(Fields.VERSION));
        Fields.put(v, device);
        v.add(new DEROctetString(inReplyTo.tagged()));
        v.add(new DERUTF8String(code));
        v.add(new DERUTF8String(detail));
        v.add(Params.toAsn1((SortedMap<String, ParamValue>) results));
        v.add(new ASN1Integer(timestamp.toEpochMilli()));
        return Der.sequence(v);
    }

    static ReplyBody fromAsn1(ASN1Sequence seq) {
        DerReader r = new DerReader(seq, "reply");
        Fields.version(r);
        EntityId device = Fields.entityId(r, "device");
        Hash inReplyTo = Hash.fromTagged(r.octets("inReplyTo", Hash.TAGGED_LENGTH));
        String code = r.utf8("code", 32);
        String detail = r.utf8("detail", Limits.MAX_DETAIL_CHARS);
        SortedMap<String, ParamValue> results = Params.fromAsn1(r.sequence("results"), "reply");
        long ts = r.integer("timestamp", 0, Limits.MAX_EPOCH_SECONDS * 1000);
        r.end();
        return new ReplyBody(device, inReplyTo, code, detail, results, Instant.ofEpochMilli(ts));
    }
}
