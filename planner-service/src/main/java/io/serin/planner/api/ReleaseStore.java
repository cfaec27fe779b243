package io.serin.planner.api;

import io.serin.planner.messaging.PlannerTopology;
import io.serin.planner.plan.ReleaseState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads release state from the planner's own store (interactive queries). With several planner
 * instances each serves the releases of its partitions; {@link #owner(String)} says who holds one.
 */
@ApplicationScoped
public class ReleaseStore {

    /** The store is not queryable right now (starting, rebalancing); the caller should retry. */
    public static class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Inject
    KafkaStreams streams;

    private ReadOnlyKeyValueStore<String, ReleaseState> store() {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(PlannerTopology.STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("release store not queryable (" + streams.state() + ")", e);
        }
    }

    public Optional<ReleaseState> get(String releaseId) {
        try {
            return Optional.ofNullable(store().get(releaseId));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("release store not queryable (" + streams.state() + ")", e);
        }
    }

    /** Up to {@code limit} releases of this instance's partitions, most recently updated first. */
    public List<ReleaseState> list(int limit) {
        List<ReleaseState> all = new ArrayList<>();
        try (KeyValueIterator<String, ReleaseState> it = store().all()) {
            it.forEachRemaining(kv -> all.add(kv.value));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("release store not queryable (" + streams.state() + ")", e);
        }
        all.sort((a, b) -> b.updatedAt().compareTo(a.updatedAt()));
        return all.subList(0, Math.min(limit, all.size()));
    }
}
