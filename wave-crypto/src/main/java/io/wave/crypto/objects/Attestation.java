package io.wave.crypto.objects;

import io.wave.crypto.AttestationId;
import io.wave.crypto.EntityId;
import io.wave.crypto.Validity;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A trusted attestation: the attester's signature over its body has been checked against the
 * attester's entity. Obtained only from {@link UnverifiedAttestation#verify(Entity)} or by signing.
 */
public final class Attestation {
    private final UnverifiedAttestation source;

    Attestation(UnverifiedAttestation source) {
        this.source = source;
    }

    /**
     * Signs {@code body} as {@code attester}.
     *
     * @throws io.wave.crypto.WaveException BAD_ARGUMENT when the body names another attester
     */
    public static Attestation sign(AttestationBody body, EntitySecret attester) {
        Objects.requireNonNull(body, "body");
        if (!body.attester().equals(attester.id())) {
            throw io.wave.crypto.WaveException.badArgument("the body names attester " + body.attester()
                    + " but the key belongs to " + attester.id());
        }
        return new Attestation(UnverifiedAttestation.signed(body, attester.signingKey()));
    }

    /** A fresh nonce for a new attestation body. */
    public static byte[] newNonce(SecureRandom random) {
        byte[] n = new byte[AttestationBody.NONCE_LENGTH];
        random.nextBytes(n);
        return n;
    }

    public AttestationId id() {
        return source.id();
    }

    public AttestationBody body() {
        return source.body();
    }

    public EntityId attester() {
        return source.body().attester();
    }

    public EntityId subject() {
        return source.body().subject();
    }

    public Validity validity() {
        return source.body().validity();
    }

    public byte[] encoded() {
        return source.encoded();
    }

    public UnverifiedAttestation unverified() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attestation a && a.id().equals(id());
    }

    @Override
    public int hashCode() {
        return id().hashCode();
    }

    @Override
    public String toString() {
        return "Attestation[" + id() + "]";
    }
}
