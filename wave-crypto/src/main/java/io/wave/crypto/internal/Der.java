package io.wave.crypto.internal;

import io.wave.crypto.WaveException;
import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * Strict DER: the only way bytes from outside become ASN.1 in this project.
 *
 * <p>Before Bouncy Castle sees the bytes, an iterative scan checks every tag and length (definite,
 * minimal, inside its parent) and bounds the nesting depth, so a hostile input can neither recurse the
 * parser into a stack overflow nor hide BER in the corners. After parsing, the value is re-encoded and
 * must equal the input byte for byte: one encoding per value, so one hash per object.
 */
public final class Der {
    /** Deepest nesting any of our schemas uses is 9 (proof, list, attestation, body, caveats, caveat, ...). */
    public static final int MAX_DEPTH = 16;

    private Der() {}

    /** Decodes {@code bytes} as one canonical DER SEQUENCE of at most {@code maxLength} bytes. */
    public static ASN1Sequence decodeSequence(byte[] bytes, int maxLength, String what) {
        if (bytes == null || bytes.length == 0) {
            throw WaveException.malformed(what + ": empty input");
        }
        if (bytes.length > maxLength) {
            throw WaveException.tooLarge(what + " is " + bytes.length + " bytes; the limit is " + maxLength);
        }
        scan(bytes, what);
        ASN1Primitive obj;
        try (ASN1InputStream in = new ASN1InputStream(bytes)) {
            obj = in.readObject();
        } catch (IOException | RuntimeException e) {
            throw WaveException.malformed(what + ": not valid DER");
        }
        if (!(obj instanceof ASN1Sequence seq)) {
            throw WaveException.malformed(what + ": expected a SEQUENCE");
        }
        byte[] again;
        try {
            again = obj.getEncoded(ASN1Encoding.DER);
        } catch (IOException | RuntimeException e) {
            throw WaveException.malformed(what + ": not valid DER");
        }
        if (!Arrays.equals(again, bytes)) {
            throw WaveException.malformed(what + ": not canonical DER");
        }
        return seq;
    }

    /**
     * The offsets of the elements inside the constructed element that starts at {@code at}, as
     * {@code [start0, end0, start1, end1, ...]}. Only for bytes that {@link #decodeSequence} accepted:
     * their structure is known to be sound, and each slice is then the canonical encoding of its
     * element, so callers hash and verify slices of the input instead of re-encoding what they parsed.
     */
    public static int[] children(byte[] b, int at) {
        int end = end(b, at);
        int pos = contentStart(b, at);
        int[] out = new int[8];
        int n = 0;
        while (pos < end) {
            int e = end(b, pos);
            if (n + 2 > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = pos;
            out[n++] = e;
            pos = e;
        }
        return Arrays.copyOf(out, n);
    }

    /** The bytes of child {@code index} of the element starting at {@code at} (see {@link #children}). */
    public static byte[] child(byte[] b, int at, int index) {
        int[] c = children(b, at);
        return Arrays.copyOfRange(b, c[2 * index], c[2 * index + 1]);
    }

    private static int contentStart(byte[] b, int at) {
        int len = b[at + 1] & 0xff;
        return len < 0x80 ? at + 2 : at + 2 + (len & 0x7f);
    }

    private static int end(byte[] b, int at) {
        int len = b[at + 1] & 0xff;
        if (len < 0x80) {
            return at + 2 + len;
        }
        int n = len & 0x7f;
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[at + 2 + i] & 0xff);
        }
        return at + 2 + n + v;
    }

    /** The DER encoding of {@code value}. */
    public static byte[] encode(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding failed", e);
        }
    }

    /**
     * A SEQUENCE (tag 0x30) or explicit context tag (0xA0 | n) around elements that are already canonical
     * DER, by concatenation: for hot paths that wrap bytes they hold (a signed body, a proof) and should
     * not parse them again to do so.
     */
    public static byte[] wrap(int tag, byte[]... encodedElements) {
        int len = 0;
        for (byte[] e : encodedElements) {
            len += e.length;
        }
        int header = len < 0x80 ? 2 : len < 0x100 ? 3 : len < 0x10000 ? 4 : 5;
        byte[] out = new byte[header + len];
        out[0] = (byte) tag;
        if (len < 0x80) {
            out[1] = (byte) len;
        } else {
            int n = header - 2;
            out[1] = (byte) (0x80 | n);
            for (int i = 0; i < n; i++) {
                out[2 + i] = (byte) (len >>> (8 * (n - 1 - i)));
            }
        }
        int at = header;
        for (byte[] e : encodedElements) {
            System.arraycopy(e, 0, out, at, e.length);
            at += e.length;
        }
        return out;
    }

    /** Tag of a SEQUENCE, for {@link #wrap}. */
    public static final int SEQUENCE = 0x30;

    /** Tag of an explicit context-specific [n], for {@link #wrap}. */
    public static int explicit(int n) {
        return 0xA0 | n;
    }

    /** An OCTET STRING's encoding. */
    public static byte[] octetString(byte[] value) {
        byte[] w = wrap(SEQUENCE, value);
        w[0] = 0x04;
        return w;
    }

    public static DERSequence sequence(ASN1Encodable... items) {
        return new DERSequence(items);
    }

    public static DERSequence sequence(ASN1EncodableVector items) {
        return new DERSequence(items);
    }

    /**
     * Walks the TLV structure without recursion: one element at the top, definite minimal lengths,
     * single-byte tags, children exactly filling their parent, depth at most {@link #MAX_DEPTH}.
     */
    static void scan(byte[] b, String what) {
        int[] ends = new int[MAX_DEPTH + 1];
        int depth = 0;
        ends[0] = b.length;
        int pos = 0;
        boolean first = true;
        while (true) {
            while (depth > 0 && pos == ends[depth]) {
                depth--;
            }
            if (pos == ends[depth]) {
                if (depth == 0) {
                    if (first) {
                        throw WaveException.malformed(what + ": empty input");
                    }
                    return;
                }
            }
            if (depth == 0 && !first) {
                throw WaveException.malformed(what + ": trailing bytes after the object");
            }
            first = false;
            int limit = ends[depth];
            if (pos + 2 > limit) {
                throw WaveException.malformed(what + ": truncated");
            }
            int tag = b[pos++] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw WaveException.malformed(what + ": multi-byte tags are not used");
            }
            int len = b[pos++] & 0xff;
            if (len == 0x80) {
                throw WaveException.malformed(what + ": indefinite length is not DER");
            }
            if (len > 0x80) {
                int n = len & 0x7f;
                if (n > 3 || pos + n > limit) {
                    throw WaveException.malformed(what + ": bad length");
                }
                if (b[pos] == 0) {
                    throw WaveException.malformed(what + ": non-minimal length");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[pos++] & 0xff);
                }
                if (len < 0x80) {
                    throw WaveException.malformed(what + ": non-minimal length");
                }
            }
            if (len > limit - pos) {
                throw WaveException.malformed(what + ": truncated");
            }
            if ((tag & 0x20) != 0) {
                if (depth == MAX_DEPTH) {
                    throw WaveException.malformed(what + ": nested too deeply");
                }
                ends[++depth] = pos + len;
            } else {
                pos += len;
            }
        }
    }
}
