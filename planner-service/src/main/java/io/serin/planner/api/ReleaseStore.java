package io.serin.planner.api;

import io.serin.planner.messaging.PlannerTopology;
import io.serin.planner.plan.ReleaseState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads release state from the planner's store (interactive queries). With several planner
 * instances each holds the releases of its partitions; a release held elsewhere is read from the
 * instance Kafka Streams names as its owner ({@code application.server}), so any instance answers
 * for every release.
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

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "kafka-streams.application.server")
    Optional<String> applicationServer;

    @Inject
    io.serin.planner.config.PlannerConfig config;

    private volatile PeerClient peers;

    private PeerClient peers() {
        if (peers == null) {
            peers = new PeerClient(config.peers().token());
        }
        return peers;
    }

    private ReadOnlyKeyValueStore<String, ReleaseState> store() {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(PlannerTopology.STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("release store not queryable (" + streams.state() + ")", e);
        }
    }

    /** The release, from this instance's store or from the instance that holds it. */
    public Optional<ReleaseState> get(String releaseId) {
        Optional<HostInfo> owner = remoteOwner(releaseId);
        if (owner.isPresent()) {
            return peers().get(owner.get(), releaseId);
        }
        return getLocal(releaseId);
    }

    /** The release if this instance's store holds it. */
    public Optional<ReleaseState> getLocal(String releaseId) {
        try {
            return Optional.ofNullable(store().get(releaseId));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("release store not queryable (" + streams.state() + ")", e);
        }
    }

    /** Up to {@code limit} releases of every instance, most recently updated first. */
    public List<ReleaseState> list(int limit) {
        List<ReleaseState> all = new ArrayList<>(listLocal(limit));
        Optional<HostInfo> self = self();
        if (self.isPresent()) {
            for (StreamsMetadata peer : streams.streamsMetadataForStore(PlannerTopology.STORE)) {
                if (!peer.hostInfo().equals(self.get())) {
                    all.addAll(peers().list(peer.hostInfo(), limit));
                }
            }
        }
        all.sort((a, b) -> b.updatedAt().compareTo(a.updatedAt()));
        return all.subList(0, Math.min(limit, all.size()));
    }

    /** The instance holding {@code releaseId} if it is another one; empty for this one or a single instance. */
    private Optional<HostInfo> remoteOwner(String releaseId) {
        Optional<HostInfo> self = self();
        if (self.isEmpty()) {
            return Optional.empty();
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(PlannerTopology.STORE, releaseId,
                Serdes.String().serializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new Unavailable("no planner instance holds the partition of " + releaseId + " right now ("
                    + streams.state() + ")", null);
        }
        return owner.activeHost().equals(self.get()) ? Optional.empty() : Optional.of(owner.activeHost());
    }

    private Optional<HostInfo> self() {
        return applicationServer.filter(s -> !s.isBlank()).map(HostInfo::buildFromEndpoint);
    }

    /** Up to {@code limit} releases of this instance's partitions, most recently updated first. */
    public List<ReleaseState> listLocal(int limit) {
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
