package io.serin.notifier.messaging;

import io.serin.notifier.notify.Lease;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionLeasesTest {

    private static final TopicPartition P0 = new TopicPartition("serin.release.events", 0);
    private static final TopicPartition P1 = new TopicPartition("serin.release.events", 1);

    private final PartitionLeases leases = new PartitionLeases();

    @Test
    void lapsesTheLeasesOfRevokedPartitionsOnly() {
        leases.grant(List.of(P0, P1));
        Lease zero = leases.lease(P0);
        Lease one = leases.lease(P1);

        leases.revoke(List.of(P0), Duration.ofSeconds(1));

        assertThat(zero.held()).isFalse();
        assertThat(one.held()).isTrue();
        assertThat(leases.lease(P0).held()).as("a new assignment gets a new lease").isTrue();
    }

    @Test
    void waitsForDeliveriesUnderWayBeforeGivingAPartitionUp() {
        Lease lease = leases.lease(P0);
        CompletableFuture<Void> posting = new CompletableFuture<>();
        leases.track(lease, posting);
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> posting.complete(null));

        long started = System.nanoTime();
        leases.revoke(List.of(P0), Duration.ofSeconds(10));

        assertThat(posting).isDone();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void givesAPartitionUpAfterItsPatienceEvenWhenADeliveryIsStuck() {
        Lease lease = leases.lease(P0);
        leases.track(lease, new CompletableFuture<>());

        long started = System.nanoTime();
        leases.revoke(List.of(P0), Duration.ofMillis(200));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(200),
                Duration.ofSeconds(5));
        assertThat(lease.held()).isFalse();
    }
}
