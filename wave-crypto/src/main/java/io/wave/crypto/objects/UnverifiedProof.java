package io.wave.crypto.objects;

import io.wave.crypto.AttestationId;
import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.ProofId;
import io.wave.crypto.WaveException;
import io.wave.crypto.internal.Der;
import io.wave.crypto.internal.DerReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * A proof as it arrives: the attestations that link a namespace to a subject, grouped into paths, and
 * every entity on those paths, so that a verifier needs nothing else but a clock and a revocation view.
 * Decoding checks structure only (bounds, indices, no duplicates, nothing unused); the policy engine's
 * verifier decides what it proves. "No duplicates" covers paths too: a path listed twice proves nothing more
 * than once, but would give one authorization many proof ids (and many cache entries).
 *
 * <pre>
 * Proof ::= SEQUENCE {
 *   version      INTEGER (1),
 *   entities     SEQUENCE OF Entity,            -- 1..80, each at most once
 *   attestations SEQUENCE OF Attestation,       -- 1..64, each at most once, each on some path
 *   paths        SEQUENCE OF SEQUENCE OF INTEGER }  -- 1..16 paths of 1..16 indices into attestations,
 *                                                   -- from the namespace end to the subject end,
 *                                                   -- each path at most once
 * </pre>
 */
public final class UnverifiedProof {
    private final byte[] encoded;
    private final ProofId id;
    private final List<UnverifiedEntity> entities;
    private final List<UnverifiedAttestation> attestations;
    private final List<int[]> paths;

    private UnverifiedProof(byte[] encoded, List<UnverifiedEntity> entities, List<UnverifiedAttestation> attestations,
            List<int[]> paths) {
        this.encoded = encoded;
        this.id = new ProofId(Hash.sha3(Domains.PROOF_ID, encoded));
        this.entities = List.copyOf(entities);
        this.attestations = List.copyOf(attestations);
        this.paths = paths;
    }

    /**
     * Assembles a proof from trusted parts.
     *
     * @param paths each path lists attestation indices from the namespace end to the subject end
     */
    public static UnverifiedProof assemble(List<Entity> entities, List<Attestation> attestations,
            List<List<Integer>> paths) {
        ASN1EncodableVector ents = new ASN1EncodableVector();
        for (Entity e : entities) {
            ents.add(Der.decodeSequence(e.unverified().encodedNoCopy(), Limits.MAX_ENTITY_BYTES, "entity"));
        }
        ASN1EncodableVector atts = new ASN1EncodableVector();
        for (Attestation a : attestations) {
            atts.add(Der.decodeSequence(a.encoded(), Limits.MAX_ATTESTATION_BYTES, "attestation"));
        }
        ASN1EncodableVector ps = new ASN1EncodableVector();
        for (List<Integer> p : paths) {
            ASN1EncodableVector pv = new ASN1EncodableVector();
            for (int i : p) {
                pv.add(new ASN1Integer(i));
            }
            ps.add(Der.sequence(pv));
        }
        byte[] der = Der.encode(Der.sequence(new ASN1Integer(Fields.VERSION), Der.sequence(ents), Der.sequence(atts),
                Der.sequence(ps)));
        return decode(der);
    }

    public static UnverifiedProof decode(byte[] der) {
        ASN1Sequence seq = Der.decodeSequence(der, Limits.MAX_PROOF_BYTES, "proof");
        DerReader r = new DerReader(seq, "proof");
        Fields.version(r);
        ASN1Sequence entSeq = r.sequence("entities");
        ASN1Sequence attSeq = r.sequence("attestations");
        ASN1Sequence pathSeq = r.sequence("paths");
        r.end();
        if (entSeq.size() > Limits.MAX_PROOF_ENTITIES) {
            throw WaveException.tooLarge("proof: more than " + Limits.MAX_PROOF_ENTITIES + " entities");
        }
        if (attSeq.size() > Limits.MAX_PROOF_ATTESTATIONS) {
            throw WaveException.tooLarge("proof: more than " + Limits.MAX_PROOF_ATTESTATIONS + " attestations");
        }
        if (pathSeq.size() > Limits.MAX_PROOF_PATHS) {
            throw WaveException.tooLarge("proof: more than " + Limits.MAX_PROOF_PATHS + " paths");
        }
        if (entSeq.size() == 0 || attSeq.size() == 0 || pathSeq.size() == 0) {
            throw WaveException.malformed("proof: no entities, no attestations or no paths");
        }
        int[] top = Der.children(der, 0);
        int[] entSpans = Der.children(der, top[2]);
        int[] attSpans = Der.children(der, top[4]);
        List<UnverifiedEntity> entities = new ArrayList<>(entSeq.size());
        Set<EntityId> seenEntities = new HashSet<>();
        for (int i = 0; i < entSeq.size(); i++) {
            ASN1Sequence s = DerReader.sequenceOf(entSeq.getObjectAt(i), "proof entity");
            UnverifiedEntity ue = UnverifiedEntity.fromAsn1(s,
                    java.util.Arrays.copyOfRange(der, entSpans[2 * i], entSpans[2 * i + 1]));
            if (!seenEntities.add(ue.id())) {
                throw WaveException.malformed("proof: entity " + ue.id() + " appears twice");
            }
            entities.add(ue);
        }
        List<UnverifiedAttestation> attestations = new ArrayList<>(attSeq.size());
        Set<AttestationId> seenAtts = new HashSet<>();
        for (int i = 0; i < attSeq.size(); i++) {
            ASN1Sequence s = DerReader.sequenceOf(attSeq.getObjectAt(i), "proof attestation");
            UnverifiedAttestation ua = UnverifiedAttestation.fromAsn1(s,
                    java.util.Arrays.copyOfRange(der, attSpans[2 * i], attSpans[2 * i + 1]));
            if (!seenAtts.add(ua.id())) {
                throw WaveException.malformed("proof: attestation " + ua.id() + " appears twice");
            }
            attestations.add(ua);
        }
        List<int[]> paths = new ArrayList<>(pathSeq.size());
        Set<List<Integer>> seenPaths = new HashSet<>();
        boolean[] used = new boolean[attestations.size()];
        for (ASN1Encodable p : pathSeq) {
            ASN1Sequence ps = DerReader.sequenceOf(p, "proof path");
            if (ps.size() == 0) {
                throw WaveException.malformed("proof: empty path");
            }
            if (ps.size() > Limits.MAX_PATH_LENGTH) {
                throw WaveException.tooLarge("proof: a path longer than " + Limits.MAX_PATH_LENGTH + " hops");
            }
            int[] idx = new int[ps.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = (int) DerReader.integerOf(ps.getObjectAt(i), "proof path index", 0, attestations.size() - 1);
                used[idx[i]] = true;
            }
            if (!seenPaths.add(java.util.Arrays.stream(idx).boxed().toList())) {
                throw WaveException.malformed("proof: path " + paths.size() + " repeats an earlier path");
            }
            paths.add(idx);
        }
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                throw WaveException.malformed("proof: attestation " + i + " is on no path");
            }
        }
        return new UnverifiedProof(der.clone(), entities, attestations, paths);
    }

    public ProofId id() {
        return id;
    }

    public List<UnverifiedEntity> entities() {
        return entities;
    }

    public List<UnverifiedAttestation> attestations() {
        return attestations;
    }

    /** Number of paths. */
    public int pathCount() {
        return paths.size();
    }

    /** The attestation indices of path {@code i}, namespace end first (a copy). */
    public int[] path(int i) {
        return paths.get(i).clone();
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    public int size() {
        return encoded.length;
    }
}
