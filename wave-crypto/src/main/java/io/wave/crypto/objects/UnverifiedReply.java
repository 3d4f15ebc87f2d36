package io.wave.crypto.objects;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * A device's reply as it arrives: decoded strictly, signature unchecked. It carries the device's entity
 * so that a client that has never met the device can check it; whether that device is the one the
 * client meant is the client's question ({@link #deviceEntity()} gives the id to compare).
 *
 * <pre>Reply ::= SEQUENCE { body ReplyBody, signature OCTET STRING (SIZE (64)), device Entity }</pre>
 */
public final class UnverifiedReply {
    private final byte[] encoded;
    private final ReplyBody body;
    private final byte[] bodyBytes;
    private final byte[] signature;
    private final UnverifiedEntity device;

    UnverifiedReply(byte[] encoded, ReplyBody body, byte[] bodyBytes, byte[] signature, UnverifiedEntity device) {
        this.encoded = encoded;
        this.body = body;
        this.bodyBytes = bodyBytes;
        this.signature = signature;
        this.device = device;
    }

    public static UnverifiedReply decode(byte[] der) {
        ASN1Sequence seq = Der.decodeSequence(der, Limits.MAX_REPLY_BYTES, "reply");
        DerReader r = new DerReader(seq, "reply");
        ASN1Sequence bodySeq = r.sequence("body");
        byte[] sig = r.octets("signature", 64);
        ASN1Sequence entitySeq = r.sequence("device");
        r.end();
        int[] top = Der.children(der, 0);
        ReplyBody body = ReplyBody.fromAsn1(bodySeq);
        UnverifiedEntity device = UnverifiedEntity.fromAsn1(entitySeq, Arrays.copyOfRange(der, top[4], top[5]));
        if (!device.id().equals(body.device())) {
            throw WaveException.malformed("reply: the attached entity " + device.id() + " is not the signing device "
                    + body.device());
        }
        return new UnverifiedReply(der.clone(), body, Arrays.copyOfRange(der, top[0], top[1]), sig, device);
    }

    /** What the reply claims to answer; safe to read before trust, to match it to a pending command. */
    public Hash inReplyTo() {
        return body.inReplyTo();
    }

    /** The device's entity as attached; verify it (or bind it to an expected id) before use. */
    public UnverifiedEntity deviceEntity() {
        return device;
    }

    /**
     * Checks that {@code device} signed this reply.
     *
     * @throws WaveException BAD_SIGNATURE when it did not, MALFORMED when it is another entity
     */
    public Reply verify(Entity device) {
        if (!device.id().equals(body.device())) {
            throw WaveException.malformed("reply names device " + body.device() + ", not " + device.id());
        }
        if (!device.signingKey().isValid(Domains.REPLY_SIG, bodyBytes, signature)) {
            throw new WaveException(ErrorCode.BAD_SIGNATURE, "reply to " + body.inReplyTo() + ": signature does not verify");
        }
        return new Reply(this, device);
    }

    ReplyBody body() {
        return body;
    }

    byte[] encodedNoCopy() {
        return encoded;
    }
}
