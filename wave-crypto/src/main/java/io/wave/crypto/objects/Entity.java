package io.wave.crypto.objects;

import io.wave.crypto.EncryptionKey;
import io.wave.crypto.EntityId;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.Validity;
import io.wave.crypto.VerifyingKey;
import java.util.List;

/**
 * A trusted entity: a key holder (person, service, device, model) with an Ed25519 signing key, an
 * X25519 encryption key, a validity window and a revocation commitment, identified by the hash of its
 * public encoding. Obtained only from {@link UnverifiedEntity#verify()} or
 * {@link UnverifiedEntity#bindTo(EntityId)}.
 */
public final class Entity {
    private final UnverifiedEntity source;

    Entity(UnverifiedEntity source) {
        this.source = source;
    }

    public EntityId id() {
        return source.id();
    }

    public VerifyingKey signingKey() {
        return source.body().signingKey();
    }

    public EncryptionKey encryptionKey() {
        return source.body().encryptionKey();
    }

    public Validity validity() {
        return source.body().validity();
    }

    public RevocationCommitment revocation() {
        return source.body().revocation();
    }

    public List<Extension> extensions() {
        return source.body().extensions();
    }

    public EntityBody body() {
        return source.body();
    }

    /** The canonical DER encoding (a copy). */
    public byte[] encoded() {
        return source.encoded();
    }

    /** The same entity in its untrusted form, e.g. to embed in a file. */
    public UnverifiedEntity unverified() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entity e && e.id().equals(id());
    }

    @Override
    public int hashCode() {
        return id().hashCode();
    }

    @Override
    public String toString() {
        return "Entity[" + id() + "]";
    }
}
