package io.wave.crypto.objects;

import io.wave.crypto.EntityId;
import io.wave.crypto.internal.Der;

/**
 * A trusted reply: the device's signature over its body has been checked. Obtained only from
 * {@link UnverifiedReply#verify(Entity)} or by signing.
 */
public final class Reply {
    private final UnverifiedReply source;
    private final Entity device;

    Reply(UnverifiedReply source, Entity device) {
        this.source = source;
        this.device = device;
    }

    /**
     * Signs {@code body} as {@code device}.
     *
     * @throws io.wave.crypto.WaveException BAD_ARGUMENT when the body names another device
     */
    public static Reply sign(ReplyBody body, EntitySecret device) {
        if (!body.device().equals(device.id())) {
            throw io.wave.crypto.WaveException.badArgument("the reply names device " + body.device()
                    + " but the key belongs to " + device.id());
        }
        byte[] bodyBytes = Der.encode(body.toAsn1());
        byte[] sig = device.signingKey().sign(Domains.REPLY_SIG, bodyBytes);
        Entity entity = device.entity();
        byte[] encoded = Der.wrap(Der.SEQUENCE, bodyBytes, Der.octetString(sig), entity.unverified().encodedNoCopy());
        return new Reply(new UnverifiedReply(encoded, body, bodyBytes, sig, entity.unverified()), entity);
    }

    public ReplyBody body() {
        return source.body();
    }

    public EntityId device() {
        return device.id();
    }

    public Entity deviceEntity() {
        return device;
    }

    public boolean ok() {
        return source.body().ok();
    }

    public byte[] encoded() {
        return source.encodedNoCopy().clone();
    }

    @Override
    public String toString() {
        return "Reply[" + body().code() + " to " + body().inReplyTo() + "]";
    }
}
