package io.wave.crypto.objects;

import io.wave.crypto.EncryptionKey;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.Validity;
import io.wave.crypto.VerifyingKey;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;

/**
 * What an entity says about itself, and what its self-signature covers.
 *
 * <pre>
 * EntityBody ::= SEQUENCE {
 *   version        INTEGER (1),
 *   signingKey     OCTET STRING (SIZE (32)),   -- Ed25519
 *   encryptionKey  OCTET STRING (SIZE (32)),   -- X25519
 *   notBefore      INTEGER,                    -- seconds since the epoch
 *   notAfter       INTEGER,
 *   revocation     OCTET STRING (SIZE (32)),   -- commitment
 *   extensions [0] EXPLICIT SEQUENCE OF Extension OPTIONAL }
 * </pre>
 */
public record EntityBody(VerifyingKey signingKey, EncryptionKey encryptionKey, Validity validity,
        RevocationCommitment revocation, List<Extension> extensions) {
    public EntityBody {
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(encryptionKey, "encryptionKey");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(revocation, "revocation");
        extensions = List.copyOf(extensions);
        Fields.checkEpoch(validity);
    }

    ASN1Sequence toAsn1() {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(Fields.VERSION));
        v.add(new DEROctetString(signingKey.encoded()));
        v.add(new DEROctetString(encryptionKey.encoded()));
        Fields.put(v, validity);
        v.add(new DEROctetString(revocation.bytes()));
        Extension.writeOptional(v, extensions);
        return Der.sequence(v);
    }

    static EntityBody fromAsn1(ASN1Sequence seq) {
        DerReader r = new DerReader(seq, "entity");
        Fields.version(r);
        VerifyingKey sk = VerifyingKey.of(r.octets("signing key", VerifyingKey.LENGTH));
        EncryptionKey ek = EncryptionKey.of(r.octets("encryption key", EncryptionKey.LENGTH));
        Validity validity = Fields.validity(r);
        RevocationCommitment rc = Fields.commitment(r);
        List<Extension> ext = Extension.readOptional(r, "entity");
        r.end();
        return new EntityBody(sk, ek, validity, rc, ext);
    }
}
