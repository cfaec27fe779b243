package io.serin.testsupport;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Kafka in a container, for machines with a Docker engine. Loaded only when asked for. */
final class ContainerKafka {

    private ContainerKafka() {
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper with the JVM
    static String start() {
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(
                System.getProperty("serin.kafka.image", "apache/kafka:4.0.0")));
        kafka.start();
        return kafka.getBootstrapServers();
    }
}
