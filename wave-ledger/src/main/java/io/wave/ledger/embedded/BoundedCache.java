package io.wave.ledger.embedded;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A cache of immutable values, bounded by emptying it when full: no eviction bookkeeping on the hot
 * path, and what is hot comes back within a few reads. Thread-safe.
 */
final class BoundedCache<K, V> {
    private final int capacity;
    private final ConcurrentHashMap<K, V> map;

    BoundedCache(int capacity) {
        this.capacity = capacity;
        this.map = new ConcurrentHashMap<>(Math.min(capacity, 4096));
    }

    V get(K key) {
        return map.get(key);
    }

    void put(K key, V value) {
        if (map.size() >= capacity) {
            map.clear();
        }
        map.put(key, value);
    }
}
