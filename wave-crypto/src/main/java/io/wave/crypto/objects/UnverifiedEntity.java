package io.wave.crypto.objects;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * An entity as it arrives: decoded strictly, its id computed, nothing yet trusted. Two ways lead to a
 * trusted {@link Entity}: {@link #verify()} checks the self-signature (proof that the holder of the
 * signing key made it; required wherever an entity is first stored or published), and
 * {@link #bindTo(EntityId)} checks that it is the very entity a verified object named by id.
 *
 * <pre>Entity ::= SEQUENCE { body EntityBody, signature OCTET STRING (SIZE (64)) }</pre>
 */
public final class UnverifiedEntity {
    private final byte[] encoded;
    private final EntityId id;
    private final EntityBody body;
    private final byte[] bodyBytes;
    private final byte[] signature;

    private UnverifiedEntity(byte[] encoded, EntityBody body, byte[] bodyBytes, byte[] signature) {
        this.encoded = encoded;
        this.id = new EntityId(Hash.sha3(Domains.ENTITY_ID, encoded));
        this.body = body;
        this.bodyBytes = bodyBytes;
        this.signature = signature;
    }

    /** Decodes a DER entity strictly. */
    public static UnverifiedEntity decode(byte[] der) {
        return fromAsn1(Der.decodeSequence(der, Limits.MAX_ENTITY_BYTES, "entity"), der.clone());
    }

    /**
     * From an already strictly decoded element whose canonical encoding is {@code encoded} (a slice of
     * bytes {@link Der#decodeSequence} accepted).
     */
    static UnverifiedEntity fromAsn1(ASN1Sequence seq, byte[] encoded) {
        if (encoded.length > Limits.MAX_ENTITY_BYTES) {
            throw WaveException.tooLarge("entity over " + Limits.MAX_ENTITY_BYTES + " bytes");
        }
        DerReader r = new DerReader(seq, "entity");
        ASN1Sequence bodySeq = r.sequence("body");
        byte[] sig = r.octets("signature", 64);
        r.end();
        return new UnverifiedEntity(encoded, EntityBody.fromAsn1(bodySeq), Der.child(encoded, 0, 0), sig);
    }

    static UnverifiedEntity signed(EntityBody body, io.wave.crypto.SigningKey key) {
        byte[] bodyBytes = Der.encode(body.toAsn1());
        byte[] sig = key.sign(Domains.ENTITY_SIG, bodyBytes);
        byte[] encoded = Der.encode(Der.sequence(body.toAsn1(), new org.bouncycastle.asn1.DEROctetString(sig)));
        return new UnverifiedEntity(encoded, body, bodyBytes, sig);
    }

    /** The id this entity would have: the hash of its complete encoding. Safe to read before trust. */
    public EntityId id() {
        return id;
    }

    /** Checks the self-signature. */
    public Entity verify() {
        if (!body.signingKey().isValid(Domains.ENTITY_SIG, bodyBytes, signature)) {
            throw new WaveException(ErrorCode.BAD_SIGNATURE, "entity " + id + ": self-signature does not verify");
        }
        return new Entity(this);
    }

    /**
     * Trusts this entity as the one a verified object referred to by {@code expected}: the id is a
     * collision-resistant hash of the whole signed encoding, so matching it binds keys, validity and
     * revocation commitment to what the referring signer meant. The self-signature adds nothing to
     * that binding, which is why proof verification does not pay for it.
     */
    public Entity bindTo(EntityId expected) {
        if (!id.equals(expected)) {
            throw WaveException.malformed("entity " + id + " is not the expected " + expected);
        }
        return new Entity(this);
    }

    EntityBody body() {
        return body;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    byte[] encodedNoCopy() {
        return encoded;
    }
}
