package io.serin.notifier.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;

/**
 * Before the notifier reads a partition it was just given, it reads its state back to the end: the
 * instance that had the partition may have delivered events this one is about to be handed again.
 */
@ApplicationScoped
@Identifier(CatchUpOnAssignment.NAME)
public class CatchUpOnAssignment implements KafkaConsumerRebalanceListener {

    static final String NAME = "serin-notifier-catch-up";
    private static final Logger LOG = Logger.getLogger(CatchUpOnAssignment.class);

    private final KafkaNotifierState state;

    CatchUpOnAssignment(KafkaNotifierState state) {
        this.state = state;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            state.awaitCaughtUp();
            LOG.debugf("state caught up before consuming %s", partitions);
        }
    }
}
