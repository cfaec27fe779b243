package io.serin.notifier.messaging;

import io.serin.notifier.notify.Lease;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The partitions of the release event log this instance owns, as leases the lanes check before
 * posting, with the deliveries under way for each. Giving a partition up lapses its lease, so
 * queued deliveries are dropped (the new owner reads them again from the committed offset), and
 * waits for the ones already posting to be recorded, so the new owner's catch-up sees them.
 */
@ApplicationScoped
public class PartitionLeases {

    private static final Logger LOG = Logger.getLogger(PartitionLeases.class);

    private static final class Grant implements Lease {
        private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
        private volatile boolean held = true;

        @Override
        public boolean held() {
            return held;
        }
    }

    private final Map<TopicPartition, Grant> grants = new ConcurrentHashMap<>();

    void grant(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> grants.computeIfAbsent(p, ignored -> new Grant()));
    }

    /**
     * The lease of a record's partition. Records only arrive from assigned partitions, so one not
     * granted yet (no rebalance callback seen) is granted now rather than silently dropped.
     */
    Lease lease(TopicPartition partition) {
        return grants.computeIfAbsent(partition, ignored -> new Grant());
    }

    /** Remembers {@code delivery} as under way for the lease's partition until it completes. */
    void track(Lease lease, CompletableFuture<?> delivery) {
        if (lease instanceof Grant grant) {
            grant.pending.add(delivery);
            delivery.whenComplete((ignored, failure) -> grant.pending.remove(delivery));
        }
    }

    /** Lapses the leases and waits up to {@code patience} for their deliveries under way to finish. */
    void revoke(Collection<TopicPartition> partitions, Duration patience) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            Grant grant = grants.remove(partition);
            if (grant != null) {
                grant.held = false;
                pending.addAll(grant.pending);
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("giving up %s with %d deliveries still under way after %s; the new owner may find them "
                    + "uncertain and post them again", partitions,
                    pending.stream().filter(f -> !f.isDone()).count(), patience);
        } catch (ExecutionException e) {
            // a delivery that failed is one the new owner redoes; nothing to wait for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
