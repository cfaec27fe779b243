package io.serin.executor.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.serin.events.Topics;
import io.serin.testsupport.KafkaBroker;
import io.serin.testsupport.SharedKafka;

import java.util.Map;

/**
 * A broker of the test class's own, with every Serin topic, that the test may kill and restart
 * (the JVM's shared broker serves other test classes and must stay up).
 */
public class OwnKafkaResource implements QuarkusTestResourceLifecycleManager {

    private static volatile KafkaBroker broker;

    /** The broker of the running test application. */
    public static KafkaBroker broker() {
        return broker;
    }

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start(SharedKafka.PARTITIONS);
        broker.createTopics(Topics.allWithDeadLetters(), SharedKafka.PARTITIONS);
        return Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "quarkus.kafka.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
