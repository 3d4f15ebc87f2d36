package io.wave.crypto.objects;

import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.RevocationSecret;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;

/**
 * A revocation: the published secret behind a commitment. It needs no signature: knowing the preimage
 * is the authority, and anyone can check it by hashing. It kills every object carrying the commitment.
 *
 * <pre>Revocation ::= SEQUENCE { version INTEGER (1), secret OCTET STRING (SIZE (32)) }</pre>
 */
public record Revocation(RevocationSecret secret) {
    public Revocation {
        Objects.requireNonNull(secret, "secret");
    }

    public RevocationCommitment commitment() {
        return secret.commitment();
    }

    public byte[] encode() {
        return Der.encode(Der.sequence(new ASN1Integer(Fields.VERSION), new DEROctetString(secret.bytes())));
    }

    public static Revocation decode(byte[] der) {
        DerReader r = new DerReader(Der.decodeSequence(der, Limits.MAX_REVOCATION_BYTES, "revocation"), "revocation");
        Fields.version(r);
        RevocationSecret s = RevocationSecret.of(r.octets("secret", RevocationSecret.LENGTH));
        r.end();
        return new Revocation(s);
    }
}
