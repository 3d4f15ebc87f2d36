package io.wave.crypto.objects;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.Hash;
import io.wave.crypto.NameId;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * A signed, human-readable name for an entity ({@code alice.acme}), declared by an attester.
 *
 * <pre>
 * NameDeclaration ::= SEQUENCE {
 *   body SEQUENCE {
 *     version    INTEGER (1),
 *     attester   OCTET STRING (SIZE (33)),
 *     subject    OCTET STRING (SIZE (33)),
 *     name       UTF8String,                  -- dot-separated lowercase labels, up to 253 characters
 *     notBefore  INTEGER,
 *     notAfter   INTEGER,
 *     revocation OCTET STRING (SIZE (32)) },
 *   signature OCTET STRING (SIZE (64)) }
 * </pre>
 *
 * Decoding yields the declaration with its signature unchecked; {@link #verify(Entity)} checks it.
 */
public final class NameDeclaration {
    public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /** The signed content of a name declaration. */
    public record Body(EntityId attester, EntityId subject, String name, Validity validity,
            RevocationCommitment revocation) {
        public Body {
            Objects.requireNonNull(attester, "attester");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(validity, "validity");
            Objects.requireNonNull(revocation, "revocation");
            if (name == null || name.length() > Limits.MAX_NAME_CHARS || !NAME.matcher(name).matches()) {
                throw WaveException.malformed("a name is dot-separated lowercase labels, up to "
                        + Limits.MAX_NAME_CHARS + " characters");
            }
            Fields.checkEpoch(validity);
        }

        ASN1Sequence toAsn1() {
            ASN1EncodableVector v = new ASN1EncodableVector();
            v.add(new ASN1Integer(Fields.VERSION));
            Fields.put(v, attester);
            Fields.put(v, subject);
            v.add(new DERUTF8String(name));
            Fields.put(v, validity);
            v.add(new DEROctetString(revocation.bytes()));
            return Der.sequence(v);
        }
    }

    private final byte[] encoded;
    private final NameId id;
    private final Body body;
    private final byte[] bodyBytes;
    private final byte[] signature;
    private final boolean verified;

    private NameDeclaration(byte[] encoded, Body body, byte[] bodyBytes, byte[] signature, boolean verified) {
        this.encoded = encoded;
        this.id = new NameId(Hash.sha3(Domains.NAME_ID, encoded));
        this.body = body;
        this.bodyBytes = bodyBytes;
        this.signature = signature;
        this.verified = verified;
    }

    public static NameDeclaration sign(Body body, EntitySecret attester) {
        if (!body.attester().equals(attester.id())) {
            throw WaveException.badArgument("the declaration names another attester");
        }
        byte[] bodyBytes = Der.encode(body.toAsn1());
        byte[] sig = attester.signingKey().sign(Domains.NAME_SIG, bodyBytes);
        byte[] encoded = Der.encode(Der.sequence(body.toAsn1(), new DEROctetString(sig)));
        return new NameDeclaration(encoded, body, bodyBytes, sig, true);
    }

    /** Decodes strictly; the result is unverified until {@link #verify(Entity)}. */
    public static NameDeclaration decode(byte[] der) {
        ASN1Sequence seq = Der.decodeSequence(der, Limits.MAX_NAME_BYTES, "name declaration");
        DerReader r = new DerReader(seq, "name declaration");
        ASN1Sequence bodySeq = r.sequence("body");
        byte[] sig = r.octets("signature", 64);
        r.end();
        DerReader b = new DerReader(bodySeq, "name declaration");
        Fields.version(b);
        EntityId attester = Fields.entityId(b, "attester");
        EntityId subject = Fields.entityId(b, "subject");
        String name = b.utf8("name", Limits.MAX_NAME_CHARS);
        Validity validity = Fields.validity(b);
        RevocationCommitment rc = Fields.commitment(b);
        b.end();
        return new NameDeclaration(der.clone(), new Body(attester, subject, name, validity, rc), Der.child(der, 0, 0),
                sig, false);
    }

    /** Checks the attester's signature and returns the verified declaration. */
    public NameDeclaration verify(Entity attester) {
        if (!attester.id().equals(body.attester())) {
            throw WaveException.malformed("name declaration " + id + " names another attester");
        }
        if (!attester.signingKey().isValid(Domains.NAME_SIG, bodyBytes, signature)) {
            throw new WaveException(ErrorCode.BAD_SIGNATURE, "name declaration " + id + ": signature does not verify");
        }
        return verified ? this : new NameDeclaration(encoded, body, bodyBytes, signature, true);
    }

    public boolean isVerified() {
        return verified;
    }

    public NameId id() {
        return id;
    }

    public EntityId attester() {
        return body.attester();
    }

    /** The declared content; only meaningful once {@link #isVerified()}. */
    public Body body() {
        if (!verified) {
            throw new IllegalStateException("name declaration not verified");
        }
        return body;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    /** The body as decoded, trusted or not: for this package's checks that decoding loses nothing. */
    Body decodedBody() {
        return body;
    }
}
