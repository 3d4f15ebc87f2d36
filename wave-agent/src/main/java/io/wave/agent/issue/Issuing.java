package io.wave.agent.issue;

import io.wave.crypto.EntityId;
import io.wave.crypto.RevocationSecret;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.Caveat;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.crypto.objects.Revocation;
import io.wave.policy.Policy;
import java.security.SecureRandom;
import java.util.List;

/**
 * What an entity issues, signed with its secret: attestations, name declarations, revocations. One way
 * for the CLI (secrets in files) and the agent (secrets in its keystore), so both make the same objects.
 */
public final class Issuing {
    private Issuing() {}

    /**
     * Signs a grant of {@code policy} to {@code subject}, with a fresh nonce whose revocation secret only the
     * attester can derive.
     *
     * @throws WaveException BAD_ARGUMENT when {@code indirections} is out of range
     */
    public static Attestation grant(EntitySecret attester, EntityId subject, Policy policy, int indirections,
            Validity validity, List<Caveat> caveats, SecureRandom random) {
        if (indirections < 0 || indirections > Limits.MAX_INDIRECTIONS) {
            throw WaveException.badArgument("indirections must lie in [0, " + Limits.MAX_INDIRECTIONS + "], not "
                    + indirections);
        }
        byte[] nonce = Attestation.newNonce(random);
        AttestationBody body = new AttestationBody(attester.id(), subject, policy.namespace(), policy.permissionSet(),
                policy.permissionList(), policy.resource().toString(), indirections, validity, caveats,
                attester.attestationRevocationSecret(nonce).commitment(), nonce, List.of());
        return Attestation.sign(body, attester);
    }

    /**
     * Signs a declaration of {@code name} for {@code subject}.
     *
     * @throws WaveException BAD_ARGUMENT when {@code name} is not a name
     */
    public static NameDeclaration name(EntitySecret attester, EntityId subject, String name, Validity validity) {
        NameDeclaration.Body body;
        try {
            body = new NameDeclaration.Body(attester.id(), subject, name, validity,
                    attester.nameRevocationSecret(name, subject).commitment());
        } catch (WaveException e) {
            throw WaveException.badArgument(e.getMessage());
        }
        return NameDeclaration.sign(body, attester);
    }

    /**
     * The revocation of an attestation {@code attester} made.
     *
     * @throws WaveException BAD_ARGUMENT when it was not made by this key
     */
    public static Revocation revokeAttestation(EntitySecret attester, Attestation a) {
        if (!a.body().attester().equals(attester.id())) {
            throw WaveException.badArgument("attestation " + a.id() + " was made by " + a.body().attester()
                    + ", not by " + attester.id() + ": only its attester can revoke it");
        }
        RevocationSecret secret = attester.attestationRevocationSecret(a.body().nonce());
        if (!secret.opens(a.body().revocation())) {
            throw WaveException.badArgument("attestation " + a.id() + " was not made with this key's revocation seed");
        }
        return new Revocation(secret);
    }

    /** The revocation of the entity itself. */
    public static Revocation revokeEntity(EntitySecret entity) {
        return new Revocation(entity.entityRevocationSecret());
    }

    /** The revocation of {@code attester}'s declaration of {@code name} for {@code subject}. */
    public static Revocation revokeName(EntitySecret attester, String name, EntityId subject) {
        return new Revocation(attester.nameRevocationSecret(name, subject));
    }
}
