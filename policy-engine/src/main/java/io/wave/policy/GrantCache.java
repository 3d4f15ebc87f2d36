package io.wave.policy;

import io.wave.crypto.AttestationId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded cache of verified, parsed attestations by id. Safe because an id is the hash of the
 * complete signed encoding: the same id means the same bytes, whose signature was already checked.
 * Validity and revocation are never cached; they are checked on every verification.
 */
public final class GrantCache {
    /** A device that sees a few thousand grants keeps them all; the bound stops a flood of new ones. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final Map<AttestationId, Grant> map;

    public GrantCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.map = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<AttestationId, Grant> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized Grant get(AttestationId id) {
        return map.get(id);
    }

    public synchronized void put(Grant grant) {
        map.put(grant.id(), grant);
    }

    public synchronized int size() {
        return map.size();
    }

    public synchronized void clear() {
        map.clear();
    }
}
