package io.wave.testnet.story;

import io.wave.crypto.EntityId;
import io.wave.crypto.Validity;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.PermissionSetRef;
import io.wave.crypto.objects.Revocation;
import io.wave.crypto.objects.UnverifiedProof;
import io.wave.device.CommandClient;
import io.wave.device.ServingCheck;
import io.wave.ledger.ObjectKind;
import io.wave.policy.Caveats;
import io.wave.policy.Policy;
import io.wave.policy.ProofBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Someone in a story: an entity with a name, who grants, revokes and sends commands. */
public final class Actor {
    private final Network net;
    private final String name;
    private final EntitySecret secret;
    /** Proofs this actor holds, by policy: built from the ledger at the first send, then kept (a live session). */
    private final Map<String, UnverifiedProof> proofs = new HashMap<>();
    private CommandClient client;

    Actor(Network net, String name, EntitySecret secret) {
        this.net = net;
        this.name = name;
        this.secret = secret;
    }

    public String name() {
        return name;
    }

    public EntityId id() {
        return secret.id();
    }

    /** Starts a grant from this actor to {@code subject}; {@link GrantBuilder#publish()} puts it on the ledger. */
    public GrantBuilder grants(Actor subject) {
        return new GrantBuilder(subject);
    }

    /** Revokes a grant this actor made, on the ledger. */
    public void revokes(Grant grant) {
        if (grant.attester() != this) {
            throw new IllegalArgumentException(name + " cannot revoke " + grant + ": only its attester can");
        }
        net.revoke(new Revocation(secret.attestationRevocationSecret(grant.attestation().body().nonce())));
    }

    /** Revokes this actor's own entity: every grant from or to it stops counting. */
    public void revokesItself() {
        net.revoke(new Revocation(secret.entityRevocationSecret()));
    }

    /** Drops the proofs this actor holds, so the next send builds them again from the ledger. */
    public synchronized void forgetsProofs() {
        proofs.clear();
    }

    /** A command to the device called {@code device}; finish it with one of {@link Send}'s expectations. */
    public Send sends(String device, String command) {
        return new Send(this, net.testnet().device(device), command);
    }

    // ---------------------------------------------------------------- for Send

    Network network() {
        return net;
    }

    synchronized CommandClient client() {
        if (client == null) {
            // As a user's client: unpinned sends accept a reply only from an entity granted device:serve.
            client = CommandClient.connect(secret, net.testnet().broker(), net.clock(), net.random(),
                    ServingCheck.fromLedger(net.ledger(), net.clock()));
        }
        return client;
    }

    /** The proof this actor holds for {@code policy}, built from the ledger when it holds none; null when none exists. */
    synchronized UnverifiedProof proof(String policy) {
        UnverifiedProof p = proofs.get(policy);
        if (p == null) {
            ProofBuilder.Result r = ProofBuilder.create(net.ledger().attestationSource(), net.clock(),
                    net.ledger().revocationView()).build(id(), List.of(Policy.parse(policy)));
            if (r instanceof ProofBuilder.Found f) {
                p = f.proof();
                proofs.put(policy, p);
            }
        }
        return p;
    }

    synchronized void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public String toString() {
        return name + " (" + id() + ")";
    }

    /** A grant being written: permissions, resource, caveats, re-delegation and lifetime. */
    public final class GrantBuilder {
        private final Actor subject;
        private String permissionSet;
        private final List<String> permissions = new ArrayList<>();
        private String resource;
        private final List<String> caveats = new ArrayList<>();
        private int indirections;
        private Duration validFor = Duration.ofDays(1);

        private GrantBuilder(Actor subject) {
            this.subject = Objects.requireNonNull(subject, "subject");
        }

        /** {@code pset:perm[,perm...]}, e.g. {@code device:actuate,read}. */
        public GrantBuilder permissions(String spec) {
            int colon = spec.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("permissions are written pset:perm[,perm], not " + spec);
            }
            permissionSet = spec.substring(0, colon);
            permissions.addAll(List.of(spec.substring(colon + 1).split(",")));
            return this;
        }

        /** The resource pattern under the network's namespace, e.g. {@code building1/floor1/*}. */
        public GrantBuilder on(String resourcePattern) {
            this.resource = resourcePattern;
            return this;
        }

        /** A caveat in the CLI's syntax, e.g. {@code setpoint in [18,26]}. */
        public GrantBuilder caveat(String caveat) {
            caveats.add(caveat);
            return this;
        }

        /** How many further hops the subject may delegate (default 0: none). */
        public GrantBuilder redelegable(int hops) {
            this.indirections = hops;
            return this;
        }

        /** From now for {@code d} (default a day). */
        public GrantBuilder validFor(Duration d) {
            this.validFor = d;
            return this;
        }

        /** Signs the grant and publishes it on the ledger. */
        public Grant publish() {
            if (permissionSet == null || resource == null) {
                throw new IllegalStateException("a grant needs permissions(...) and on(...)");
            }
            long now = net.clock().instant().getEpochSecond();
            Validity v = Validity.ofSeconds(now - 5, now + Math.max(1, validFor.toSeconds()));
            byte[] nonce = Attestation.newNonce(net.random());
            Attestation a;
            try {
                a = Attestation.sign(new AttestationBody(secret.id(), subject.id(), net.testnet().namespace(),
                        new PermissionSetRef.Builtin(permissionSet), permissions, resource, indirections, v,
                        caveats.stream().map(Caveats::parse).toList(), secret.attestationRevocationSecret(nonce).commitment(),
                        nonce, List.of()), secret);
            } catch (WaveException e) {
                throw new IllegalArgumentException(name + " cannot grant " + subject.name() + ": " + e.getMessage(), e);
            }
            net.ledger().publish(ObjectKind.ATTESTATION, a.encoded());
            return new Grant(Actor.this, subject, a);
        }
    }
}
