package io.serin.testsupport;

import io.serin.events.Topics;

/**
 * One Kafka broker per test JVM, started on first use, with every Serin topic created. By default
 * it is the child-process {@link KafkaBroker}; with {@code -Dserin.kafka.broker=testcontainers} (on
 * machines with a Docker engine) a Testcontainers broker instead. Either failing to start fails
 * the test: nothing is ever skipped for want of a broker.
 */
public final class SharedKafka {

    /** Partitions per topic; more than one, so tests exercise key-based partitioning. */
    public static final int PARTITIONS = 3;

    private static volatile String bootstrapServers;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            String servers;
            if ("testcontainers".equals(System.getProperty("serin.kafka.broker"))) {
                servers = ContainerKafka.start();
            } else {
                servers = KafkaBroker.start(PARTITIONS).bootstrapServers();
            }
            KafkaBroker.createTopics(servers, Topics.allWithDeadLetters(), PARTITIONS);
            bootstrapServers = servers;
        }
        return bootstrapServers;
    }
}
