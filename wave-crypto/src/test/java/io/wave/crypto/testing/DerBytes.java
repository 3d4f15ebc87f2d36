package io.wave.crypto.testing;

import java.io.ByteArrayOutputStream;

/** Hand-built DER for tests that need encodings no ASN.1 library would produce on request. */
public final class DerBytes {
    private DerBytes() {}

    /** One TLV with a minimal definite length. */
    public static byte[] wrap(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /**
     * {@code depth} SEQUENCEs, each holding the next, innermost empty. Built in linear time (lengths
     * first, then headers outside in), so a test can afford a hundred thousand levels.
     */
    public static byte[] nestedSequences(int depth) {
        int[] contentLength = new int[depth];
        int len = 0;
        for (int i = depth - 1; i >= 0; i--) {
            contentLength[i] = len;
            len += headerLength(len);
        }
        byte[] out = new byte[len];
        int pos = 0;
        for (int i = 0; i < depth; i++) {
            int n = contentLength[i];
            out[pos++] = 0x30;
            int extra = headerLength(n) - 2;
            if (extra == 0) {
                out[pos++] = (byte) n;
            } else {
                out[pos++] = (byte) (0x80 | extra);
                for (int b = extra - 1; b >= 0; b--) {
                    out[pos++] = (byte) (n >> (8 * b));
                }
            }
        }
        return out;
    }

    private static int headerLength(int contentLength) {
        return contentLength < 0x80 ? 2 : contentLength < 0x100 ? 3 : contentLength < 0x10000 ? 4 : 5;
    }
}
