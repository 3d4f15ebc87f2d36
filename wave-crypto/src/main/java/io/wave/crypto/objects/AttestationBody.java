package io.wave.crypto.objects;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * What an attester grants a subject, and what the attester's signature covers.
 *
 * <pre>
 * AttestationBody ::= SEQUENCE {
 *   version        INTEGER (1),
 *   attester       OCTET STRING (SIZE (33)),   -- tagged hash, an EntityId
 *   subject        OCTET STRING (SIZE (33)),
 *   namespace      OCTET STRING (SIZE (33)),
 *   permissionSet  CHOICE { builtin UTF8String, entity OCTET STRING (SIZE (33)) },
 *   permissions    SEQUENCE OF UTF8String,     -- strictly ascending, 1..32
 *   resource       UTF8String,                 -- pattern, 1..256 characters
 *   indirections   INTEGER (0..255),
 *   notBefore      INTEGER,
 *   notAfter       INTEGER,
 *   caveats        SEQUENCE OF Caveat,         -- 0..16
 *   revocation     OCTET STRING (SIZE (32)),
 *   nonce          OCTET STRING (SIZE (16)),   -- makes each grant unique; labels its revocation secret
 *   extensions [0] EXPLICIT SEQUENCE OF Extension OPTIONAL }
 *
 * Caveat ::= SEQUENCE { kind INTEGER, ... }    -- 1: name, [0] min OPTIONAL, [1] max OPTIONAL
 *                                              -- 2: startMinute, endMinute
 *                                              -- 3: minConfidence (millionths)
 * </pre>
 *
 * The resource is kept as text here; its grammar is policy semantics and is checked by the policy engine.
 */
public record AttestationBody(EntityId attester, EntityId subject, EntityId namespace, PermissionSetRef permissionSet,
        List<String> permissions, String resource, int indirections, Validity validity, List<Caveat> caveats,
        RevocationCommitment revocation, byte[] nonce, List<Extension> extensions) {

    public static final int NONCE_LENGTH = 16;
    /** Permission names: a lowercase word. */
    public static final Pattern PERMISSION = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public AttestationBody {
        Objects.requireNonNull(attester, "attester");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(permissionSet, "permissionSet");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(revocation, "revocation");
        permissions = List.copyOf(permissions);
        caveats = List.copyOf(caveats);
        extensions = List.copyOf(extensions);
        nonce = Objects.requireNonNull(nonce, "nonce").clone();
        if (nonce.length != NONCE_LENGTH) {
            throw WaveException.malformed("an attestation nonce is " + NONCE_LENGTH + " bytes");
        }
        if (permissions.isEmpty() || permissions.size() > Limits.MAX_PERMISSIONS) {
            throw WaveException.malformed("an attestation grants 1 to " + Limits.MAX_PERMISSIONS + " permissions");
        }
        for (int i = 0; i < permissions.size(); i++) {
            String p = permissions.get(i);
            if (!PERMISSION.matcher(p).matches()) {
                throw WaveException.malformed("permission '" + p + "' is not a lowercase word");
            }
            if (i > 0 && permissions.get(i - 1).compareTo(p) >= 0) {
                throw WaveException.malformed("permissions must be sorted and unique");
            }
        }
        if (resource.isEmpty() || resource.length() > Limits.MAX_RESOURCE_CHARS) {
            throw WaveException.malformed("a resource is 1 to " + Limits.MAX_RESOURCE_CHARS + " characters");
        }
        if (indirections < 0 || indirections > Limits.MAX_INDIRECTIONS) {
            throw WaveException.malformed("indirections lie in [0, " + Limits.MAX_INDIRECTIONS + "]");
        }
        if (caveats.size() > Limits.MAX_CAVEATS) {
            throw WaveException.tooLarge("more than " + Limits.MAX_CAVEATS + " caveats");
        }
        Fields.checkEpoch(validity);
    }

    /** Sorts and de-duplicates permission names, the form the body requires. */
    public static List<String> canonicalPermissions(java.util.Collection<String> names) {
        return List.copyOf(new java.util.TreeSet<>(names));
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttestationBody b && b.attester.equals(attester) && b.subject.equals(subject)
                && b.namespace.equals(namespace) && b.permissionSet.equals(permissionSet)
                && b.permissions.equals(permissions) && b.resource.equals(resource) && b.indirections == indirections
                && b.validity.equals(validity) && b.caveats.equals(caveats) && b.revocation.equals(revocation)
                && Arrays.equals(b.nonce, nonce) && b.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(attester, subject, namespace, resource, Arrays.hashCode(nonce));
    }

    ASN1Sequence toAsn1() {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(Fields.VERSION));
        Fields.put(v, attester);
        Fields.put(v, subject);
        Fields.put(v, namespace);
        if (permissionSet instanceof PermissionSetRef.Builtin b) {
            v.add(new DERUTF8String(b.name()));
        } else {
            v.add(new DEROctetString(((PermissionSetRef.ByEntity) permissionSet).entity().hash().tagged()));
        }
        ASN1EncodableVector perms = new ASN1EncodableVector();
        for (String p : permissions) {
            perms.add(new DERUTF8String(p));
        }
        v.add(Der.sequence(perms));
        v.add(new DERUTF8String(resource));
        v.add(new ASN1Integer(indirections));
        Fields.put(v, validity);
        ASN1EncodableVector cav = new ASN1EncodableVector();
        for (Caveat c : caveats) {
            cav.add(caveatToAsn1(c));
        }
        v.add(Der.sequence(cav));
        v.add(new DEROctetString(revocation.bytes()));
        v.add(new DEROctetString(nonce));
        Extension.writeOptional(v, extensions);
        return Der.sequence(v);
    }

    static AttestationBody fromAsn1(ASN1Sequence seq) {
        DerReader r = new DerReader(seq, "attestation");
        Fields.version(r);
        EntityId attester = Fields.entityId(r, "attester");
        EntityId subject = Fields.entityId(r, "subject");
        EntityId namespace = Fields.entityId(r, "namespace");
        ASN1Encodable ps = r.any("permission set");
        PermissionSetRef pset;
        if (ps instanceof ASN1UTF8String) {
            pset = new PermissionSetRef.Builtin(DerReader.utf8Of(ps, "permission set", 32));
        } else if (ps instanceof ASN1OctetString os) {
            pset = new PermissionSetRef.ByEntity(new EntityId(Hash.fromTagged(os.getOctets())));
        } else {
            throw WaveException.malformed("attestation: permission set must be a name or an entity id");
        }
        ASN1Sequence permSeq = r.sequence("permissions");
        if (permSeq.size() > Limits.MAX_PERMISSIONS) {
            throw WaveException.tooLarge("attestation: more than " + Limits.MAX_PERMISSIONS + " permissions");
        }
        List<String> perms = new ArrayList<>(permSeq.size());
        for (ASN1Encodable p : permSeq) {
            perms.add(DerReader.utf8Of(p, "permission", Limits.MAX_PERMISSION_CHARS));
        }
        String resource = r.utf8("resource", Limits.MAX_RESOURCE_CHARS);
        int indirections = (int) r.integer("indirections", 0, Limits.MAX_INDIRECTIONS);
        Validity validity = Fields.validity(r);
        ASN1Sequence cavSeq = r.sequence("caveats");
        if (cavSeq.size() > Limits.MAX_CAVEATS) {
            throw WaveException.tooLarge("attestation: more than " + Limits.MAX_CAVEATS + " caveats");
        }
        List<Caveat> caveats = new ArrayList<>(cavSeq.size());
        for (ASN1Encodable c : cavSeq) {
            caveats.add(caveatFromAsn1(c));
        }
        var rc = Fields.commitment(r);
        byte[] nonce = r.octets("nonce", NONCE_LENGTH);
        List<Extension> ext = Extension.readOptional(r, "attestation");
        r.end();
        return new AttestationBody(attester, subject, namespace, pset, perms, resource, indirections, validity,
                caveats, rc, nonce, ext);
    }

    static ASN1Sequence caveatToAsn1(Caveat c) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        if (c instanceof Caveat.ParamRange p) {
            v.add(new ASN1Integer(Caveat.KIND_PARAM_RANGE));
            v.add(new DERUTF8String(p.param()));
            if (p.hasMin()) {
                v.add(new DERTaggedObject(true, 0, new ASN1Integer(p.minMicros())));
            }
            if (p.hasMax()) {
                v.add(new DERTaggedObject(true, 1, new ASN1Integer(p.maxMicros())));
            }
        } else if (c instanceof Caveat.DailyWindow w) {
            v.add(new ASN1Integer(Caveat.KIND_DAILY_WINDOW));
            v.add(new ASN1Integer(w.startMinute()));
            v.add(new ASN1Integer(w.endMinute()));
        } else {
            v.add(new ASN1Integer(Caveat.KIND_MIN_CONFIDENCE));
            v.add(new ASN1Integer(((Caveat.MinConfidence) c).micros()));
        }
        return Der.sequence(v);
    }

    static Caveat caveatFromAsn1(ASN1Encodable e) {
        DerReader r = DerReader.of(e, "caveat");
        int kind = (int) r.integer("kind", 0, Integer.MAX_VALUE);
        Caveat c;
        switch (kind) {
            case Caveat.KIND_PARAM_RANGE -> {
                String name = r.utf8("parameter", 32);
                long min = Long.MIN_VALUE;
                long max = Long.MAX_VALUE;
                ASN1Encodable lo = r.optionalTagged(0);
                if (lo != null) {
                    min = DerReader.integerOf(lo, "caveat minimum", Long.MIN_VALUE + 1, Long.MAX_VALUE - 1);
                }
                ASN1Encodable hi = r.optionalTagged(1);
                if (hi != null) {
                    max = DerReader.integerOf(hi, "caveat maximum", Long.MIN_VALUE + 1, Long.MAX_VALUE - 1);
                }
                c = new Caveat.ParamRange(name, min, max);
            }
            case Caveat.KIND_DAILY_WINDOW -> c = new Caveat.DailyWindow(
                    (int) r.integer("start minute", 0, 1439), (int) r.integer("end minute", 0, 1440));
            case Caveat.KIND_MIN_CONFIDENCE -> c = new Caveat.MinConfidence(r.integer("confidence", 0, Caveat.MICROS));
            default -> throw WaveException.malformed(
                    "unknown caveat kind " + kind + ": a caveat must be understood to be honoured");
        }
        r.end();
        return c;
    }
}
