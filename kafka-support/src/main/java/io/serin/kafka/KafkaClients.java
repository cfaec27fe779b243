package io.serin.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one way Serin builds a Kafka client: a client's own settings (serializers, acks, timeouts,
 * group, client id) plus the deployment's bootstrap servers and security settings. A client never
 * names a security setting itself, so a deployment sets them once ({@code kafka.security.protocol},
 * {@code kafka.sasl.*}, {@code kafka.ssl.*}) and every client of every service uses them: the clients
 * built here, SmallRye's channels and Kafka Streams alike. {@link #toString()} hides secrets.
 */
public final class KafkaClients {

    private final String bootstrapServers;
    private final KafkaSecurity security;

    private KafkaClients(String bootstrapServers, KafkaSecurity security) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers are not set (kafka.bootstrap.servers)");
        }
        this.bootstrapServers = bootstrapServers;
        this.security = Objects.requireNonNull(security, "security");
    }

    /** Clients of the brokers at {@code bootstrapServers} with {@code security}. */
    public static KafkaClients of(String bootstrapServers, KafkaSecurity security) {
        return new KafkaClients(bootstrapServers, security);
    }

    /**
     * Clients as {@code kafka} describes them: the settings under the {@code kafka.} prefix without it
     * (SmallRye's {@code default-kafka-broker} map), {@code bootstrap.servers} and the security settings.
     */
    public static KafkaClients of(Map<String, ?> kafka) {
        Object servers = kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return new KafkaClients(servers == null ? null : servers.toString(), KafkaSecurity.of(kafka));
    }

    /** Clients of a broker without security: the sandbox's and the tests' own broker. */
    public static KafkaClients plaintext(String bootstrapServers) {
        return new KafkaClients(bootstrapServers, KafkaSecurity.NONE);
    }

    /**
     * Clients of {@code bootstrapServers} with the security settings of the service's configuration
     * (MicroProfile Config: application.properties, {@code KAFKA_*} environment variables), read from
     * the {@code kafka.} prefix as SmallRye and Quarkus' Kafka Streams read it.
     */
    public static KafkaClients configured(String bootstrapServers) {
        return new KafkaClients(bootstrapServers, ConfiguredSecurity.read());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public KafkaSecurity security() {
        return security;
    }

    /**
     * A client's complete settings: its own, the bootstrap servers and the security settings.
     *
     * @throws IllegalArgumentException when {@code own} names a bootstrap or security setting, which
     *         belong to the deployment, not to one client
     */
    public Map<String, Object> config(Map<String, ?> own) {
        List<String> deployment = own.keySet().stream()
                .filter(k -> KafkaSecurity.isSecurityKey(k) || k.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                        // where else a client could connect to, or how it could be told to trust
                        || k.equals("bootstrap.controllers") || k.equals("security.providers")
                        || k.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG))
                .sorted().toList();
        if (!deployment.isEmpty()) {
            throw new IllegalArgumentException("a client's own settings must not set " + deployment
                    + ": they are the deployment's (kafka." + deployment.get(0) + ")");
        }
        Map<String, Object> config = new HashMap<>(own);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(security.settings());
        return config;
    }

    public <K, V> KafkaProducer<K, V> producer(Map<String, ?> own, Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(config(own), keys, values);
    }

    public <K, V> KafkaConsumer<K, V> consumer(Map<String, ?> own, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(config(own), keys, values);
    }

    public Admin admin(Map<String, ?> own) {
        return Admin.create(config(own));
    }

    @Override
    public String toString() {
        return "KafkaClients{bootstrap.servers=" + bootstrapServers + ", security=" + security + "}";
    }
}
