package io.wave.policy;

import io.wave.crypto.EntityId;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.Entity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link AttestationSource}, indexed by subject. Thread-safe. */
public final class GrantGraph implements AttestationSource {
    private final Map<EntityId, List<Grant>> bySubject = new ConcurrentHashMap<>();
    private final Map<EntityId, Entity> entities = new ConcurrentHashMap<>();
    private final Map<io.wave.crypto.AttestationId, Grant> byId = new ConcurrentHashMap<>();

    public void add(Entity entity) {
        entities.put(entity.id(), entity);
    }

    /**
     * Adds a verified attestation; adding the same one twice has no effect.
     *
     * @throws io.wave.crypto.WaveException MALFORMED when it is not valid policy
     */
    public Grant add(Attestation attestation) {
        Grant g = Grant.of(attestation);
        if (byId.putIfAbsent(g.id(), g) == null) {
            bySubject.compute(g.subject(), (k, list) -> {
                List<Grant> l = list == null ? new ArrayList<>(2) : new ArrayList<>(list);
                l.add(g);
                return List.copyOf(l);
            });
        }
        return byId.get(g.id());
    }

    @Override
    public Collection<Grant> grantsTo(EntityId subject) {
        return bySubject.getOrDefault(subject, List.of());
    }

    @Override
    public Optional<Entity> entity(EntityId id) {
        return Optional.ofNullable(entities.get(id));
    }

    /** Every grant held, for listing the graph; a live view, safe to read while grants are added. */
    public Collection<Grant> grants() {
        return java.util.Collections.unmodifiableCollection(byId.values());
    }

    /** Every entity held; a live view, as {@link #grants()}. */
    public Collection<Entity> entities() {
        return java.util.Collections.unmodifiableCollection(entities.values());
    }

    public int attestationCount() {
        return byId.size();
    }

    public int entityCount() {
        return entities.size();
    }
}
