package io.serin.planner.messaging;

import io.quarkus.runtime.StartupEvent;
import io.serin.events.Topics;
import io.serin.kafka.KafkaClients;
import io.serin.planner.config.PlannerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the planner's own topics at start-up if they are missing. Kafka Streams waits for them
 * (quarkus.kafka-streams.topics). The admitted topic is read together with the release requests by
 * one processor, so it must have as many partitions as serin.release.requests.
 */
@ApplicationScoped
class InternalTopics {

    private static final Logger LOG = Logger.getLogger(InternalTopics.class);
    private static final long TIMEOUT_SECONDS = 30;

    void onStart(@Observes StartupEvent event, PlannerConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        try (Admin admin = KafkaClients.configured(bootstrapServers).admin(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)))) {
            int partitions = admin.describeTopics(Set.of(Topics.RELEASE_REQUESTS)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(Topics.RELEASE_REQUESTS).partitions().size();
            short replicas = config.internalTopicReplicationFactor();
            for (String topic : List.of(PlannerTopology.ADMISSIONS_TOPIC, PlannerTopology.ADMITTED_TOPIC)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, replicas)))
                            .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    LOG.infof("created topic %s (%d partitions, replication factor %d)", topic, partitions, replicas);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (Exception e) {
            // Kafka Streams keeps waiting for the topics; the log says why they are missing
            LOG.errorf(e, "cannot create the planner's topics %s and %s on %s", PlannerTopology.ADMISSIONS_TOPIC,
                    PlannerTopology.ADMITTED_TOPIC, bootstrapServers);
        }
    }
}
