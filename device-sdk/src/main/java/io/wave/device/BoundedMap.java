package io.wave.device;

import java.util.LinkedHashMap;
import java.util.Map;

/** A thread-safe map that forgets its least recently used entry beyond a fixed size. */
final class BoundedMap<K, V> {
    private final LinkedHashMap<K, V> map;

    BoundedMap(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.map = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    synchronized void put(K key, V value) {
        map.put(key, value);
    }

    synchronized V remove(K key) {
        return map.remove(key);
    }

    synchronized void clear() {
        map.clear();
    }

    synchronized int size() {
        return map.size();
    }
}
