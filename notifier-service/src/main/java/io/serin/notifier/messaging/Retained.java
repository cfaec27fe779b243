package io.serin.notifier.messaging;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;

/**
 * A map whose entries remember when they were last written, so that memory can follow the state
 * topics' retention: without eviction, every delivery ever made would stay on the heap.
 */
final class Retained<V> {

    private record Entry<V>(V value, Instant at) {
    }

    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();

    Optional<V> get(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::value);
    }

    void put(String key, V value, Instant at) {
        entries.put(key, new Entry<>(value, at));
    }

    /** Keeps what {@code choose} prefers of the current and the new value, stamped with the later time. */
    void merge(String key, V value, Instant at, BinaryOperator<V> choose) {
        entries.merge(key, new Entry<>(value, at), (current, candidate) -> new Entry<>(
                choose.apply(current.value(), candidate.value()),
                current.at().isAfter(candidate.at()) ? current.at() : candidate.at()));
    }

    void remove(String key) {
        entries.remove(key);
    }

    /** Drops every entry last written before {@code cutoff}; returns how many. */
    int evictOlderThan(Instant cutoff) {
        int before = entries.size();
        entries.values().removeIf(e -> e.at().isBefore(cutoff));
        return before - entries.size();
    }

    int size() {
        return entries.size();
    }
}
