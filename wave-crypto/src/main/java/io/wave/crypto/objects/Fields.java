package io.wave.crypto.objects;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.DerReader;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;

/** Field codecs shared by the signed objects, so each is written and read one way. */
final class Fields {
    static final int VERSION = 1;

    private Fields() {}

    static void version(DerReader r) {
        long v = r.integer("version", 0, Integer.MAX_VALUE);
        if (v != VERSION) {
            throw WaveException.malformed("unsupported version " + v);
        }
    }

    static EntityId entityId(DerReader r, String field) {
        return new EntityId(Hash.fromTagged(r.octets(field, Hash.TAGGED_LENGTH)));
    }

    static void put(ASN1EncodableVector v, EntityId id) {
        v.add(new DEROctetString(id.hash().tagged()));
    }

    static Validity validity(DerReader r) {
        long nb = r.integer("notBefore", 0, Limits.MAX_EPOCH_SECONDS);
        long na = r.integer("notAfter", 0, Limits.MAX_EPOCH_SECONDS);
        if (na < nb) {
            throw WaveException.malformed("validity ends before it starts");
        }
        return Validity.ofSeconds(nb, na);
    }

    static void put(ASN1EncodableVector v, Validity validity) {
        v.add(new ASN1Integer(validity.notBefore().getEpochSecond()));
        v.add(new ASN1Integer(validity.notAfter().getEpochSecond()));
    }

    static RevocationCommitment commitment(DerReader r) {
        return RevocationCommitment.of(r.octets("revocation commitment", RevocationCommitment.LENGTH));
    }

    static void checkEpoch(Validity validity) {
        if (validity.notAfter().getEpochSecond() > Limits.MAX_EPOCH_SECONDS
                || validity.notBefore().getEpochSecond() < 0) {
            throw WaveException.badArgument("validity must lie between 1970 and 9999");
        }
    }
}
