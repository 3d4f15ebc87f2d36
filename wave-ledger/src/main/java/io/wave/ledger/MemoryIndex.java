package io.wave.ledger;

import io.wave.crypto.EntityId;
import io.wave.crypto.Hash;
import io.wave.crypto.RevocationCommitment;
import io.wave.crypto.objects.Entity;
import io.wave.crypto.objects.NameDeclaration;
import io.wave.policy.Grant;
import io.wave.policy.RevocationView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory log with the indexes proof building and revocation checks need, for backends whose
 * durable store is elsewhere (a chain's events, a server). Every object passes {@link LedgerObjects#check}
 * against what the index already holds. Thread-safe.
 */
public final class MemoryIndex {
    private final List<LedgerEntry> log = new ArrayList<>();
    private final Map<Hash, LedgerEntry> byId = new HashMap<>();
    private final Map<EntityId, Entity> entities = new HashMap<>();
    private final Map<EntityId, List<Grant>> to = new HashMap<>();
    private final Map<EntityId, List<Grant>> from = new HashMap<>();
    private final Set<RevocationCommitment> commitments = new HashSet<>();
    private final Set<RevocationCommitment> revoked = new HashSet<>();
    private final Map<String, List<NameDeclaration>> names = new HashMap<>();

    /**
     * Checks and appends an object, or returns the entry already holding it.
     *
     * @throws io.wave.crypto.WaveException as {@link LedgerObjects#check}
     */
    public synchronized LedgerEntry add(ObjectKind kind, byte[] der) {
        LedgerObject obj = LedgerObjects.check(kind, der, this::entityUnsynced, commitments::contains);
        LedgerEntry existing = byId.get(obj.id());
        if (existing != null) {
            return existing;
        }
        LedgerEntry e = new LedgerEntry(log.size(), kind, obj.der(), obj.id());
        log.add(e);
        byId.put(obj.id(), e);
        index(obj);
        return e;
    }

    private void index(LedgerObject obj) {
        if (obj.commitment() != null) {
            commitments.add(obj.commitment());
        }
        if (obj instanceof LedgerObject.EntityObject eo) {
            entities.put(eo.entity().id(), eo.entity());
        } else if (obj instanceof LedgerObject.AttestationObject ao) {
            to.computeIfAbsent(ao.grant().subject(), k -> new ArrayList<>()).add(ao.grant());
            from.computeIfAbsent(ao.grant().attester(), k -> new ArrayList<>()).add(ao.grant());
        } else if (obj instanceof LedgerObject.NameObject no) {
            names.computeIfAbsent(no.name().body().name(), k -> new ArrayList<>()).add(0, no.name());
        } else if (obj instanceof LedgerObject.RevocationObject ro) {
            revoked.add(ro.revocation().commitment());
        }
    }

    private Optional<Entity> entityUnsynced(EntityId id) {
        return Optional.ofNullable(entities.get(id));
    }

    /** Drops every entry at position {@code size} and after (a chain reorganisation rolled them back). */
    public synchronized void truncate(long size) {
        if (size >= log.size()) {
            return;
        }
        List<LedgerEntry> keep = new ArrayList<>(log.subList(0, (int) size));
        log.clear();
        byId.clear();
        entities.clear();
        to.clear();
        from.clear();
        commitments.clear();
        revoked.clear();
        names.clear();
        for (LedgerEntry e : keep) {
            add(e.kind(), e.der());
        }
    }

    public synchronized Optional<LedgerEntry> find(Hash id) {
        return Optional.ofNullable(byId.get(id));
    }

    public synchronized Optional<Entity> entity(EntityId id) {
        return entityUnsynced(id);
    }

    public synchronized List<Grant> grantsTo(EntityId subject) {
        return List.copyOf(to.getOrDefault(subject, List.of()));
    }

    public synchronized List<Grant> grantsFrom(EntityId attester) {
        return List.copyOf(from.getOrDefault(attester, List.of()));
    }

    public synchronized RevocationView.Status revocationStatus(RevocationCommitment c) {
        return revoked.contains(c) ? RevocationView.Status.REVOKED : RevocationView.Status.NOT_REVOKED;
    }

    /** Declarations of {@code name}, newest first, whose own commitment is not revoked. */
    public synchronized List<NameDeclaration> resolve(String name) {
        List<NameDeclaration> out = new ArrayList<>();
        for (NameDeclaration n : names.getOrDefault(name, List.of())) {
            if (!revoked.contains(n.body().revocation())) {
                out.add(n);
            }
        }
        return out;
    }

    public synchronized List<LedgerEntry> entries(long fromIndex, int max) {
        if (fromIndex < 0 || max < 0) {
            throw new IllegalArgumentException("negative position or count");
        }
        int start = (int) Math.min(fromIndex, log.size());
        return List.copyOf(log.subList(start, Math.min(log.size(), start + max)));
    }

    public synchronized long size() {
        return log.size();
    }
}
