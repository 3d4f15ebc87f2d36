package io.wave.policy.vectors;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * Writes DER by hand, for the vectors that the real API refuses to build: attestations whose signature
 * is not their attester's, and proofs past a bound. Everything else is built with
 * {@link io.wave.crypto.objects.UnverifiedProof#assemble}; {@link VectorGenerator} checks that the two
 * agree byte for byte on an ordinary proof, so a hand-built vector differs from a real one only where it
 * means to.
 */
final class ProofDer {
    /** Context used when signing attestations: the wire contract, fixed by wave-crypto. */
    static final String ATTESTATION_SIG_DOMAIN = "wave.sig.attestation.v1";
    static final int SIGNATURE_LENGTH = 64;

    private ProofDer() {}

    /** {@code Proof ::= SEQUENCE { version 1, entities, attestations, paths }} from encoded parts. */
    static byte[] proof(List<byte[]> entities, List<byte[]> attestations, List<List<Integer>> paths) {
        byte[][] ps = new byte[paths.size()][];
        for (int p = 0; p < ps.length; p++) {
            byte[][] ix = paths.get(p).stream().map(i -> integer(i)).toArray(byte[][]::new);
            ps[p] = sequence(ix);
        }
        return sequence(integer(1), sequence(entities.toArray(byte[][]::new)),
                sequence(attestations.toArray(byte[][]::new)), sequence(ps));
    }

    /** The body of an encoded attestation ({@code SEQUENCE { body, signature }}): what its signature covers. */
    static byte[] attestationBody(byte[] attestation) {
        int header = headerLength(attestation, 0);
        int bodyLength = headerLength(attestation, header) + contentLength(attestation, header);
        return Arrays.copyOfRange(attestation, header, header + bodyLength);
    }

    /** The 64-byte signature of an encoded attestation. */
    static byte[] attestationSignature(byte[] attestation) {
        return Arrays.copyOfRange(attestation, attestation.length - SIGNATURE_LENGTH, attestation.length);
    }

    /** An attestation from a body and any 64 bytes as its signature. */
    static byte[] attestation(byte[] body, byte[] signature) {
        if (signature.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("a signature is 64 bytes");
        }
        return sequence(body, tlv(0x04, signature));
    }

    static byte[] sequence(byte[]... items) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] i : items) {
            content.writeBytes(i);
        }
        return tlv(0x30, content.toByteArray());
    }

    static byte[] integer(long v) {
        return tlv(0x02, BigInteger.valueOf(v).toByteArray());
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            byte[] len = BigInteger.valueOf(n).toByteArray();
            int skip = len[0] == 0 ? 1 : 0;
            out.write(0x80 | (len.length - skip));
            out.write(len, skip, len.length - skip);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** Bytes of the tag and length of the element at {@code pos}. */
    static int headerLength(byte[] der, int pos) {
        int first = der[pos + 1] & 0xff;
        return first < 0x80 ? 2 : 2 + (first & 0x7f);
    }

    /** Content length of the element at {@code pos}. */
    static int contentLength(byte[] der, int pos) {
        int first = der[pos + 1] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int len = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            len = (len << 8) | (der[pos + 2 + i] & 0xff);
        }
        return len;
    }
}
