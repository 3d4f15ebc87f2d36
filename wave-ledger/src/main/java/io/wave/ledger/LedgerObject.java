package io.wave.ledger;

import io.wave.crypto.Hash;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.objects.Revocation;
import io.wave.policy.Grant;

/** A verified object, as a ledger accepts and indexes it. Obtained only from {@link LedgerObjects#check}. */
public sealed interface LedgerObject {
    ObjectKind kind();

    Hash id();

    byte[] der();

    /** The commitment whose opening kills this object; null for a revocation. */
    RevocationCommitment commitment();

    record EntityObject(Entity entity) implements LedgerObject {
        public ObjectKind kind() {
            return ObjectKind.ENTITY;
        }

        public Hash id() {
            return entity.id().hash();
        }

        public byte[] der() {
            return entity.encoded();
        }

        public RevocationCommitment commitment() {
            return entity.revocation();
        }
    }

    record AttestationObject(Grant grant) implements LedgerObject {
        public Attestation attestation() {
            return grant.attestation();
        }

        public ObjectKind kind() {
            return ObjectKind.ATTESTATION;
        }

        public Hash id() {
            return grant.id().hash();
        }

        public byte[] der() {
            return grant.attestation().encoded();
        }

        public RevocationCommitment commitment() {
            return grant.attestation().body().revocation();
        }
    }

    record NameObject(NameDeclaration name) implements LedgerObject {
        public ObjectKind kind() {
            return ObjectKind.NAME;
        }

        public Hash id() {
            return name.id().hash();
        }

        public byte[] der() {
            return name.encoded();
        }

        public RevocationCommitment commitment() {
            return name.body().revocation();
        }
    }

    record RevocationObject(Revocation revocation, Hash id) implements LedgerObject {
        public ObjectKind kind() {
            return ObjectKind.REVOCATION;
        }

        public byte[] der() {
            return revocation.encode();
        }

        public RevocationCommitment commitment() {
            return null;
        }
    }
}
