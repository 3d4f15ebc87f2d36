package io.wave.crypto.objects;

import io.wave.crypto.DecryptionKey;
import io.wave.crypto.EntityId;
import io.wave.crypto.RevocationSecret;
import io.wave.crypto.SigningKey;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;

/**
 * Everything an entity's holder keeps private: the signing and decryption keys and the seed from which
 * its revocation secrets derive, together with its public entity. Not a record: it never prints.
 *
 * <pre>
 * EntitySecret ::= SEQUENCE {
 *   version        INTEGER (1),
 *   signingSeed    OCTET STRING (SIZE (32)),
 *   decryptionKey  OCTET STRING (SIZE (32)),
 *   revocationSeed OCTET STRING (SIZE (32)),
 *   entity         Entity }
 * </pre>
 *
 * At rest it is sealed by {@link SecretBox} unless the user explicitly chose otherwise.
 */
public final class EntitySecret {
    public static final int SEED_LENGTH = 32;
    private static final byte[] ENTITY_LABEL = "entity".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ATTESTATION_LABEL = "attestation".getBytes(StandardCharsets.US_ASCII);

    private final SigningKey signingKey;
    private final DecryptionKey decryptionKey;
    private final byte[] revocationSeed;
    private final Entity entity;

    private EntitySecret(SigningKey signingKey, DecryptionKey decryptionKey, byte[] revocationSeed, Entity entity) {
        this.signingKey = signingKey;
        this.decryptionKey = decryptionKey;
        this.revocationSeed = revocationSeed;
        this.entity = entity;
    }

    /** Creates a new entity with fresh keys, valid over {@code validity}. */
    public static EntitySecret create(SecureRandom random, Validity validity) {
        Objects.requireNonNull(random, "random");
        SigningKey sk = SigningKey.generate(random);
        DecryptionKey dk = DecryptionKey.generate(random);
        byte[] seed = new byte[SEED_LENGTH];
        random.nextBytes(seed);
        return assemble(sk, dk, seed, validity);
    }

    private static EntitySecret assemble(SigningKey sk, DecryptionKey dk, byte[] seed, Validity validity) {
        RevocationSecret rs = RevocationSecret.derive(seed, ENTITY_LABEL);
        EntityBody body = new EntityBody(sk.verifyingKey(), dk.publicKey(), validity, rs.commitment(), List.of());
        Entity entity = UnverifiedEntity.signed(body, sk).verify();
        return new EntitySecret(sk, dk, seed, entity);
    }

    public EntityId id() {
        return entity.id();
    }

    public Entity entity() {
        return entity;
    }

    public SigningKey signingKey() {
        return signingKey;
    }

    public DecryptionKey decryptionKey() {
        return decryptionKey;
    }

    /** The secret that revokes this entity itself. */
    public RevocationSecret entityRevocationSecret() {
        return RevocationSecret.derive(revocationSeed, ENTITY_LABEL);
    }

    /** The secret behind the commitment of an attestation this entity makes with {@code nonce}. */
    public RevocationSecret attestationRevocationSecret(byte[] nonce) {
        byte[] label = new byte[ATTESTATION_LABEL.length + nonce.length];
        System.arraycopy(ATTESTATION_LABEL, 0, label, 0, ATTESTATION_LABEL.length);
        System.arraycopy(nonce, 0, label, ATTESTATION_LABEL.length, nonce.length);
        return RevocationSecret.derive(revocationSeed, label);
    }

    /** The secret behind the commitment of a name declaration this entity makes for {@code subject}. */
    public RevocationSecret nameRevocationSecret(String name, EntityId subject) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] s = subject.hash().tagged();
        byte[] label = new byte[5 + n.length + 1 + s.length];
        System.arraycopy("name:".getBytes(StandardCharsets.US_ASCII), 0, label, 0, 5);
        System.arraycopy(n, 0, label, 5, n.length);
        System.arraycopy(s, 0, label, 6 + n.length, s.length);
        return RevocationSecret.derive(revocationSeed, label);
    }

    /** The plaintext DER encoding. Handle as a secret. */
    public byte[] encodePlain() {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(Fields.VERSION));
        v.add(new DEROctetString(signingKey.seed()));
        v.add(new DEROctetString(decryptionKey.bytes()));
        v.add(new DEROctetString(revocationSeed));
        v.add(Der.decodeSequence(entity.unverified().encodedNoCopy(), Limits.MAX_ENTITY_BYTES, "entity"));
        return Der.encode(Der.sequence(v));
    }

    /**
     * Decodes a plaintext secret and checks that its keys are the entity's keys.
     *
     * @throws WaveException MALFORMED when the keys and the entity disagree
     */
    public static EntitySecret decodePlain(byte[] der) {
        ASN1Sequence seq = Der.decodeSequence(der, Limits.MAX_SECRET_BYTES, "entity secret");
        DerReader r = new DerReader(seq, "entity secret");
        Fields.version(r);
        SigningKey sk = SigningKey.fromSeed(r.octets("signing key", SigningKey.SEED_LENGTH));
        DecryptionKey dk = DecryptionKey.fromBytes(r.octets("decryption key", DecryptionKey.LENGTH));
        byte[] seed = r.octets("revocation seed", SEED_LENGTH);
        ASN1Sequence entSeq = r.sequence("entity");
        r.end();
        Entity entity = UnverifiedEntity.fromAsn1(entSeq, Der.child(der, 0, 4)).verify();
        if (!entity.signingKey().equals(sk.verifyingKey()) || !entity.encryptionKey().equals(dk.publicKey())
                || !entity.revocation().equals(RevocationSecret.derive(seed, ENTITY_LABEL).commitment())) {
            throw WaveException.malformed("entity secret: keys do not belong to the entity they carry");
        }
        return new EntitySecret(sk, dk, seed, entity);
    }

    @Override
    public String toString() {
        return "EntitySecret[redacted, id=" + id() + "]";
    }
}
