package io.wave.crypto.objects;

import io.wave.crypto.AttestationId;
import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;

/**
 * An attestation as it arrives: decoded strictly, id computed, signature unchecked. Only the attester
 * id may be read before trust, to find the key to verify with; everything else is reached through the
 * {@link Attestation} that {@link #verify(Entity)} returns.
 *
 * <pre>Attestation ::= SEQUENCE { body AttestationBody, signature OCTET STRING (SIZE (64)) }</pre>
 */
public final class UnverifiedAttestation {
    private final byte[] encoded;
    private final AttestationId id;
    private final AttestationBody body;
    private final byte[] bodyBytes;
    private final byte[] signature;

    private UnverifiedAttestation(byte[] encoded, AttestationBody body, byte[] bodyBytes, byte[] signature) {
        this.encoded = encoded;
        this.id = new AttestationId(Hash.sha3(Domains.ATTESTATION_ID, encoded));
        this.body = body;
        this.bodyBytes = bodyBytes;
        this.signature = signature;
    }

    public static UnverifiedAttestation decode(byte[] der) {
        return fromAsn1(Der.decodeSequence(der, Limits.MAX_ATTESTATION_BYTES, "attestation"), der.clone());
    }

    static UnverifiedAttestation fromAsn1(ASN1Sequence seq, byte[] encoded) {
        if (encoded.length > Limits.MAX_ATTESTATION_BYTES) {
            throw WaveException.tooLarge("attestation over " + Limits.MAX_ATTESTATION_BYTES + " bytes");
        }
        DerReader r = new DerReader(seq, "attestation");
        ASN1Sequence bodySeq = r.sequence("body");
        byte[] sig = r.octets("signature", 64);
        r.end();
        return new UnverifiedAttestation(encoded, AttestationBody.fromAsn1(bodySeq), Der.child(encoded, 0, 0), sig);
    }

    static UnverifiedAttestation signed(AttestationBody body, io.wave.crypto.SigningKey key) {
        ASN1Sequence b = body.toAsn1();
        byte[] bodyBytes = Der.encode(b);
        byte[] sig = key.sign(Domains.ATTESTATION_SIG, bodyBytes);
        byte[] encoded = Der.encode(Der.sequence(b, new DEROctetString(sig)));
        return new UnverifiedAttestation(encoded, body, bodyBytes, sig);
    }

    public AttestationId id() {
        return id;
    }

    /** Who claims to have signed this; the one field worth reading before verification. */
    public EntityId attester() {
        return body.attester();
    }

    /**
     * Checks that {@code attester} is the entity this attestation names and that its key signed it.
     *
     * @throws WaveException BAD_SIGNATURE when the signature does not verify, MALFORMED when the
     *     entity is not the named attester
     */
    public Attestation verify(Entity attester) {
        if (!attester.id().equals(body.attester())) {
            throw WaveException.malformed("attestation " + id + " names attester " + body.attester()
                    + ", not " + attester.id());
        }
        if (!attester.signingKey().isValid(Domains.ATTESTATION_SIG, bodyBytes, signature)) {
            throw new WaveException(ErrorCode.BAD_SIGNATURE, "attestation " + id + ": signature does not verify");
        }
        return new Attestation(this);
    }

    AttestationBody body() {
        return body;
    }

    public byte[] encoded() {
        return encoded.clone();
    }
}
