package io.wave.crypto.objects;

import io.wave.crypto.CommandId;
import io.wave.crypto.EntityId;
import io.wave.crypto.internal.Der;
import java.util.Objects;
import java.util.Optional;
import java.security.SecureRandom;

/**
 * A trusted command: the sender's signature over its body has been checked. Whether the sender may
 * give it is a separate question, answered by its proof. Obtained only from
 * {@link UnverifiedCommand#verify(Entity)} or by signing.
 */
public final class Command {
    private final UnverifiedCommand source;

    Command(UnverifiedCommand source) {
        this.source = source;
    }

    /**
     * Signs {@code body} as {@code sender}, attaching {@code proof} when it is not null.
     *
     * @throws io.wave.crypto.WaveException BAD_ARGUMENT when the body names another sender, or the proof
     *     is not the one the body names
     */
    public static Command sign(CommandBody body, EntitySecret sender, UnverifiedProof proof) {
        Objects.requireNonNull(body, "body");
        if (!body.sender().equals(sender.id())) {
            throw io.wave.crypto.WaveException.badArgument("the command names sender " + body.sender()
                    + " but the key belongs to " + sender.id());
        }
        if (proof != null && !proof.id().equals(body.proof())) {
            throw io.wave.crypto.WaveException.badArgument("the command names proof " + body.proof()
                    + " but proof " + proof.id() + " was given");
        }
        byte[] bodyBytes = Der.encode(body.toAsn1());
        byte[] sig = sender.signingKey().sign(Domains.COMMAND_SIG, bodyBytes);
        return new Command(new UnverifiedCommand(body, bodyBytes, sig, proof));
    }

    /** A fresh nonce for a new command body. */
    public static byte[] newNonce(SecureRandom random) {
        byte[] n = new byte[CommandBody.NONCE_LENGTH];
        random.nextBytes(n);
        return n;
    }

    public CommandId id() {
        return source.id();
    }

    public CommandBody body() {
        return source.body();
    }

    public EntityId sender() {
        return source.body().sender();
    }

    /** The attached proof, if any. */
    public Optional<UnverifiedProof> proof() {
        return source.proof();
    }

    /** The wire form, with the proof attached when this command carries one. */
    public byte[] encoded() {
        return encode(true);
    }

    /** The wire form without the proof: for a device that already holds it. */
    public byte[] encodedWithoutProof() {
        return encode(false);
    }

    private byte[] encode(boolean withProof) {
        Optional<UnverifiedProof> p = source.proof();
        byte[] body = source.bodyBytes();
        byte[] sig = Der.octetString(source.signature());
        if (withProof && p.isPresent()) {
            return Der.wrap(Der.SEQUENCE, body, sig, Der.wrap(Der.explicit(0), p.get().encoded()));
        }
        return Der.wrap(Der.SEQUENCE, body, sig);
    }

    public UnverifiedCommand unverified() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command c && c.id().equals(id());
    }

    @Override
    public int hashCode() {
        return id().hashCode();
    }

    @Override
    public String toString() {
        return "Command[" + id() + " " + body().command() + " " + body().resource() + "]";
    }
}
