package io.wave.policy;

import io.wave.crypto.EntityId;
import io.wave.crypto.objects.Entity;
import java.util.Collection;
import java.util.Optional;

/**
 * The grant graph a proof builder searches: files today, the ledger and the agent's index later.
 * Implementations hand out only verified objects.
 */
public interface AttestationSource {
    /** Every known grant whose subject is {@code subject}. */
    Collection<Grant> grantsTo(EntityId subject);

    /** A known entity. */
    Optional<Entity> entity(EntityId id);
}
