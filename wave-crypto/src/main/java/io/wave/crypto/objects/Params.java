package io.wave.crypto.objects;

import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import io.wave.crypto.objects.ParamValue.Number;
import io.wave.crypto.objects.ParamValue.Text;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERUTF8String;

/** The one codec of {@link ParamValue} maps, shared by commands and replies. */
final class Params {
    private Params() {}

    /** Checks names and count, and returns an unmodifiable sorted copy: the one order they are encoded in. */
    static SortedMap<String, ParamValue> checked(Map<String, ParamValue> params) {
        Objects.requireNonNull(params, "params");
        if (params.size() > Limits.MAX_COMMAND_PARAMS) {
            throw WaveException.tooLarge("more than " + Limits.MAX_COMMAND_PARAMS + " parameters");
        }
        TreeMap<String, ParamValue> out = new TreeMap<>();
        for (Map.Entry<String, ParamValue> e : params.entrySet()) {
            if (e.getKey() == null || !Caveat.PARAM_NAME.matcher(e.getKey()).matches()) {
                throw WaveException.malformed("parameter name '" + e.getKey() + "' is not a word of up to 32 characters");
            }
            out.put(e.getKey(), Objects.requireNonNull(e.getValue(), "value"));
        }
        return Collections.unmodifiableSortedMap(out);
    }

    static ASN1Sequence toAsn1(SortedMap<String, ParamValue> params) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        for (Map.Entry<String, ParamValue> e : params.entrySet()) {
            ASN1Encodable value = e.getValue() instanceof Number n ? new ASN1Integer(n.micros())
                    : new DERUTF8String(((Text) e.getValue()).value());
            v.add(Der.sequence(new DERUTF8String(e.getKey()), value));
        }
        return Der.sequence(v);
    }

    static SortedMap<String, ParamValue> fromAsn1(ASN1Sequence seq, String what) {
        if (seq.size() > Limits.MAX_COMMAND_PARAMS) {
            throw WaveException.tooLarge(what + ": more than " + Limits.MAX_COMMAND_PARAMS + " parameters");
        }
        TreeMap<String, ParamValue> out = new TreeMap<>();
        String previous = null;
        for (ASN1Encodable e : seq) {
            DerReader r = DerReader.of(e, what + " parameter");
            String name = r.utf8("name", 32);
            if (!Caveat.PARAM_NAME.matcher(name).matches()) {
                throw WaveException.malformed(what + ": parameter name '" + name + "' is not a word");
            }
            if (previous != null && previous.compareTo(name) >= 0) {
                throw WaveException.malformed(what + ": parameters must be sorted by name, each once");
            }
            previous = name;
            ASN1Encodable value = r.any("value");
            r.end();
            if (value instanceof ASN1Integer) {
                out.put(name, new Number(DerReader.integerOf(value, what + ": " + name, Long.MIN_VALUE, Long.MAX_VALUE)));
            } else {
                out.put(name, new Text(DerReader.utf8Of(value, what + ": " + name, Limits.MAX_PARAM_TEXT_CHARS)));
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** The entries that are numbers, exactly (unmodifiable). */
    static Map<String, Number> numbers(Map<String, ParamValue> params) {
        TreeMap<String, Number> out = new TreeMap<>();
        params.forEach((k, v) -> {
            if (v instanceof Number n) {
                out.put(k, n);
            }
        });
        return Collections.unmodifiableMap(out);
    }
}
