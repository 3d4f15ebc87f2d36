package io.wave.policy.testing;

import io.wave.crypto.EntityId;
import io.wave.crypto.Validity;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.AttestationBody;
import io.wave.crypto.objects.Caveat;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Extension;
import io.wave.crypto.objects.PermissionSetRef;
import io.wave.crypto.testing.DeterministicRandom;
import io.wave.policy.Caveats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Signs attestations for tests with the real API, deterministically: the nonce (and so the revocation
 * commitment, the encoding and the id) is a function of the label alone, so the same label gives the
 * same attestation on every run, whatever else a test builds before it.
 *
 * <pre>
 * Attestation a = GrantBuilder.grant("ns->alice", ns, alice.id()).in(ns.id())
 *         .permissions("device", "read", "actuate").resource("building1/*").indirections(1).sign();
 * </pre>
 */
public final class GrantBuilder {
    /** 2026-01-01T12:00:00Z: the instant that tests and golden vectors treat as now. */
    public static final long NOW = 1_767_268_800L;
    /** 2025-01-01T00:00:00Z to 2027-01-01T00:00:00Z: the default validity of a grant, around {@link #NOW}. */
    public static final Validity AROUND_NOW = Validity.ofSeconds(1_735_689_600L, 1_798_761_600L);

    private final String label;
    private final EntitySecret attester;
    private final EntityId subject;
    private EntityId namespace;
    private PermissionSetRef permissionSet = new PermissionSetRef.Builtin("device");
    private List<String> permissions = List.of("actuate", "read");
    private String resource = "*";
    private int indirections;
    private Validity validity = AROUND_NOW;
    private final List<Caveat> caveats = new ArrayList<>();
    private final List<Extension> extensions = new ArrayList<>();

    private GrantBuilder(String label, EntitySecret attester, EntityId subject) {
        this.label = Objects.requireNonNull(label, "label");
        this.attester = Objects.requireNonNull(attester, "attester");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.namespace = attester.id();
    }

    /**
     * A grant from {@code attester} to {@code subject}: {@code device:actuate,read} on everything in the
     * attester's own namespace, no re-delegation, valid {@link #AROUND_NOW}, until told otherwise.
     */
    public static GrantBuilder grant(String label, EntitySecret attester, EntityId subject) {
        return new GrantBuilder(label, attester, subject);
    }

    /** The namespace the grant is in (by default the attester's own). */
    public GrantBuilder in(EntityId ns) {
        this.namespace = Objects.requireNonNull(ns);
        return this;
    }

    /** Permissions of a built-in set, in any order. */
    public GrantBuilder permissions(String builtinSet, String... names) {
        this.permissionSet = new PermissionSetRef.Builtin(builtinSet);
        this.permissions = AttestationBody.canonicalPermissions(List.of(names));
        return this;
    }

    /** Permissions of a set defined by an entity. */
    public GrantBuilder permissions(EntityId set, String... names) {
        this.permissionSet = new PermissionSetRef.ByEntity(set);
        this.permissions = AttestationBody.canonicalPermissions(List.of(names));
        return this;
    }

    /** The resource pattern, as signed: not checked here, so tests can sign bad grammar on purpose. */
    public GrantBuilder resource(String pattern) {
        this.resource = pattern;
        return this;
    }

    public GrantBuilder indirections(int n) {
        this.indirections = n;
        return this;
    }

    public GrantBuilder validity(long notBefore, long notAfter) {
        return validity(Validity.ofSeconds(notBefore, notAfter));
    }

    public GrantBuilder validity(Validity v) {
        this.validity = Objects.requireNonNull(v);
        return this;
    }

    /** A caveat as users write it, e.g. {@code setpoint in [18,26]}. */
    public GrantBuilder caveat(String text) {
        caveats.add(Caveats.parse(text));
        return this;
    }

    public GrantBuilder extension(Extension e) {
        extensions.add(e);
        return this;
    }

    /** The nonce this grant gets: a function of its label. */
    public byte[] nonce() {
        return Attestation.newNonce(new DeterministicRandom("wave.test.policy.grant/" + label));
    }

    public AttestationBody body() {
        byte[] nonce = nonce();
        return new AttestationBody(attester.id(), subject, namespace, permissionSet, permissions, resource, indirections,
                validity, caveats, attester.attestationRevocationSecret(nonce).commitment(), nonce, extensions);
    }

    public Attestation sign() {
        return Attestation.sign(body(), attester);
    }
}
