package io.serin.notifier.messaging;

import io.serin.notifier.config.NotifierConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;

/**
 * Partitions changing hands. Before the notifier reads a partition it was just given, it reads its
 * state back to the end: the instance that had the partition may have delivered events this one is
 * about to be handed again. Before it lets one go, it fences the deliveries queued for it and waits
 * (bounded) for those being posted to be recorded, so that the next owner's catch-up sees them.
 */
@ApplicationScoped
@Identifier(PartitionHandover.NAME)
public class PartitionHandover implements KafkaConsumerRebalanceListener {

    static final String NAME = "serin-notifier-handover";
    private static final Logger LOG = Logger.getLogger(PartitionHandover.class);

    private final KafkaNotifierState state;
    private final PartitionLeases leases;
    private final NotifierConfig config;

    PartitionHandover(KafkaNotifierState state, PartitionLeases leases, NotifierConfig config) {
        this.state = state;
        this.leases = leases;
        this.config = config;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            leases.grant(partitions);
            long started = System.nanoTime();
            state.awaitCaughtUp();
            LOG.infof("assigned %s; state caught up in %d ms", partitions, (System.nanoTime() - started) / 1_000_000);
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            leases.revoke(partitions, config.revokeTimeout());
            LOG.infof("gave up %s", partitions);
        }
    }
}
