package io.serin.notifier.messaging;

import io.serin.notifier.config.NotifierConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creating and describing the notifier's own compacted topics. */
final class StateTopics {

    private static final Logger LOG = Logger.getLogger(StateTopics.class);

    private StateTopics() {
    }

    static void create(Admin admin, NotifierConfig.State settings) {
        Map<String, String> configs = Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                        + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(settings.retention().toMillis()));
        List<NewTopic> topics = List.of(settings.deliveriesTopic(), settings.releasesTopic()).stream()
                .map(t -> new NewTopic(t, settings.partitions(), settings.replicationFactor()).configs(configs))
                .toList();
        admin.createTopics(topics).values().forEach((name, created) -> {
            try {
                created.get(30, TimeUnit.SECONDS);
                LOG.infof("created state topic %s", name);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create state topic " + name + ": " + e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating state topic " + name);
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot create state topic " + name + ": timed out");
            }
        });
    }

    /** The state topics' partitions; right after creation the metadata may lag, so this waits for it. */
    static List<TopicPartition> partitions(Admin admin, NotifierConfig.State settings) {
        Instant deadline = Instant.now().plus(settings.catchUpTimeout());
        while (true) {
            try {
                return admin.describeTopics(List.of(settings.deliveriesTopic(), settings.releasesTopic()))
                        .allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                        .toList();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing the state topics");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("cannot describe the state topics: " + e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot describe the state topics: timed out");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing the state topics");
            }
        }
    }
}
