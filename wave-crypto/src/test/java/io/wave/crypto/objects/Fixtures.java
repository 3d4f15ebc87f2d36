package io.wave.crypto.objects;

import io.wave.crypto.EntityId;
import io.wave.crypto.SigningKey;
import io.wave.crypto.Validity;
import io.wave.crypto.internal.Der;
import io.wave.crypto.testing.DeterministicRandom;
import io.wave.crypto.testing.TestEntities;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;

/**
 * The cast of the object tests: a building's namespace entity, Alice who administers it, Bob who is
 * granted access, and the tools to craft encodings that a signer of ours would never produce.
 */
final class Fixtures {
    static final EntitySecret NAMESPACE = TestEntities.create("building-42");
    static final EntitySecret ALICE = TestEntities.create("alice");
    static final EntitySecret BOB = TestEntities.create("bob");
    static final EntitySecret MALLORY = TestEntities.create("mallory");

    /** Calendar year 2025 UTC. */
    static final Validity YEAR_2025 = Validity.ofSeconds(1_735_689_600L, 1_767_225_599L);

    /** One caveat of each kind, with open and closed ends. */
    static final List<Caveat> CAVEATS = List.of(
            new Caveat.ParamRange("temperature", 15_000_000L, 25_500_000L),
            new Caveat.ParamRange("fanSpeed", Long.MIN_VALUE, 3_000_000L),
            new Caveat.ParamRange("volume", -2_500_000L, Long.MAX_VALUE),
            new Caveat.DailyWindow(22 * 60, 6 * 60),
            new Caveat.MinConfidence(900_000L));

    /** Positions of the fields in AttestationBody's SEQUENCE. */
    static final int A_VERSION = 0;
    static final int A_PERMISSION_SET = 4;
    static final int A_PERMISSIONS = 5;
    static final int A_RESOURCE = 6;
    static final int A_INDIRECTIONS = 7;
    static final int A_NOT_AFTER = 9;
    static final int A_CAVEATS = 10;
    static final int A_NONCE = 12;
    /** Positions of the fields in EntityBody's SEQUENCE. */
    static final int E_VERSION = 0;
    static final int E_SIGNING_KEY = 1;
    static final int E_NOT_BEFORE = 3;
    static final int E_NOT_AFTER = 4;

    private Fixtures() {}

    static byte[] nonce(String label) {
        return Attestation.newNonce(new DeterministicRandom("nonce/" + label));
    }

    /** Alice grants Bob "read" and "write" on the thermostats of floor 1, for 2025, under caveats. */
    static Grant grant() {
        return new Grant();
    }

    /** An attestation body under construction; every field starts at the story's default. */
    static final class Grant {
        EntitySecret attester = ALICE;
        EntityId subject = BOB.id();
        EntityId namespace = NAMESPACE.id();
        PermissionSetRef permissionSet = new PermissionSetRef.Builtin("device");
        List<String> permissions = List.of("read", "write");
        String resource = "floor1/room*/thermostat";
        int indirections = 2;
        Validity validity = YEAR_2025;
        List<Caveat> caveats = CAVEATS;
        byte[] nonce = Fixtures.nonce("grant");
        List<Extension> extensions = List.of();

        Grant attester(EntitySecret s) {
            attester = s;
            return this;
        }

        Grant permissions(String... p) {
            permissions = List.of(p);
            return this;
        }

        Grant resource(String r) {
            resource = r;
            return this;
        }

        Grant caveats(List<Caveat> c) {
            caveats = c;
            return this;
        }

        Grant nonce(String label) {
            nonce = Fixtures.nonce(label);
            return this;
        }

        Grant extensions(Extension... e) {
            extensions = List.of(e);
            return this;
        }

        Grant permissionSet(PermissionSetRef p) {
            permissionSet = p;
            return this;
        }

        AttestationBody body() {
            return new AttestationBody(attester.id(), subject, namespace, permissionSet, permissions, resource,
                    indirections, validity, caveats, attester.attestationRevocationSecret(nonce).commitment(), nonce,
                    extensions);
        }

        Attestation sign() {
            return Attestation.sign(body(), attester);
        }
    }

    // ---- crafting encodings our own signers never produce ----

    /** {@code seq} with element {@code index} replaced by {@code value}. */
    static ASN1Sequence replace(ASN1Sequence seq, int index, ASN1Encodable value) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        for (int i = 0; i < seq.size(); i++) {
            v.add(i == index ? value : seq.getObjectAt(i));
        }
        return Der.sequence(v);
    }

    /** {@code seq} with {@code value} appended. */
    static ASN1Sequence append(ASN1Sequence seq, ASN1Encodable value) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        for (ASN1Encodable e : seq) {
            v.add(e);
        }
        v.add(value);
        return Der.sequence(v);
    }

    /**
     * A complete attestation around a crafted body, correctly signed by {@code key}: whatever decoding
     * then refuses, it refuses for the body's sake, not for a bad signature.
     */
    static byte[] signedAttestation(ASN1Sequence body, SigningKey key) {
        byte[] sig = key.sign(Domains.ATTESTATION_SIG, Der.encode(body));
        return Der.encode(Der.sequence(body, new DEROctetString(sig)));
    }

    /** A complete entity around a crafted body, correctly self-signed by {@code key}. */
    static byte[] signedEntity(ASN1Sequence body, SigningKey key) {
        byte[] sig = key.sign(Domains.ENTITY_SIG, Der.encode(body));
        return Der.encode(Der.sequence(body, new DEROctetString(sig)));
    }

    /** The content of the outermost TLV of {@code der}, without its tag and length. */
    static byte[] content(byte[] der) {
        int header = (der[1] & 0x80) == 0 ? 2 : 2 + (der[1] & 0x7f);
        return java.util.Arrays.copyOfRange(der, header, der.length);
    }

    /** {@code header} followed by the content of {@code der}'s outermost TLV. */
    static byte[] reframe(byte[] der, int... header) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int h : header) {
            out.write(h);
        }
        out.writeBytes(content(der));
        return out.toByteArray();
    }

    /** {@code der} with the single occurrence of {@code find} replaced by {@code with} (same length). */
    static byte[] patch(byte[] der, byte[] find, byte[] with) {
        if (find.length != with.length) {
            throw new IllegalArgumentException("a patch keeps lengths so the DER stays well formed");
        }
        int at = -1;
        for (int i = 0; i + find.length <= der.length; i++) {
            if (java.util.Arrays.equals(der, i, i + find.length, find, 0, find.length)) {
                if (at >= 0) {
                    throw new IllegalArgumentException("pattern occurs twice");
                }
                at = i;
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("pattern not found");
        }
        byte[] out = der.clone();
        System.arraycopy(with, 0, out, at, with.length);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
