package io.serin.kafka;

import io.serin.events.Topics;
import io.serin.testsupport.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The deployment's KafkaUsers (deploy/strimzi/kafka-users.yaml), applied as ACLs to a broker that
 * authenticates with SCRAM-SHA-512 and authorizes with KRaft's StandardAuthorizer, and used through
 * {@link KafkaClients} with each service's credentials: every service writes what it must and is denied a
 * write it must not; a wrong password does not authenticate.
 */
class KafkaSecurityIT {

    private static final String PLANNER = "serin-planner";
    private static final String EXECUTOR = "serin-executor";
    private static final String ANALYZER = "serin-analyzer";
    private static final String NOTIFIER = "serin-notifier";
    private static final String REQUESTER = "serin-requester";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static KafkaBroker broker;
    private static Map<String, List<AclBinding>> acls;

    @BeforeAll
    static void startSecuredBrokerWithTheManifestsAcls() throws Exception {
        acls = KafkaUserManifests.acls(KafkaUserManifests.STRIMZI.resolve("kafka-users.yaml"));
        Map<String, String> users = acls.keySet().stream().collect(Collectors.toMap(u -> u, KafkaSecurityIT::password));
        broker = KafkaBroker.startSecured(3, new KafkaBroker.Scram("admin", "admin-secret", users));
        try (Admin admin = superUser()) {
            // every topic as Strimzi creates it, but one replica: min.insync.replicas needs three brokers
            Map<String, Map<String, String>> topics = KafkaUserManifests.topics(KafkaUserManifests.STRIMZI.resolve("topics.yaml"));
            admin.createTopics(topics.entrySet().stream().map(t -> new NewTopic(t.getKey(), 3, (short) 1)
                    .configs(withoutMinInsyncReplicas(t.getValue()))).toList()).all().get(30, TimeUnit.SECONDS);
            List<AclBinding> all = acls.values().stream().flatMap(List::stream).toList();
            admin.createAcls(all).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (admin.describeAcls(AclBindingFilter.ANY).values().get().size() < Set.copyOf(all).size()) {
                assertThat(System.nanoTime()).as("ACLs in force").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void declaresEveryServiceAndTheRequesterAsScramUsers() {
        assertThat(KafkaUserManifests.authentication(KafkaUserManifests.STRIMZI.resolve("kafka-users.yaml")))
                .containsOnlyKeys(PLANNER, EXECUTOR, ANALYZER, NOTIFIER, REQUESTER)
                .allSatisfy((user, type) -> assertThat(type).as(user).isEqualTo("scram-sha-512"));
    }

    @Test
    void onlyThePlannerWritesCommandsAndTheReleaseLogInItsTransactions() throws Exception {
        try (KafkaProducer<String, String> planner = clients(PLANNER, password(PLANNER)).producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "serin-planner-0000-1", ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000),
                new StringSerializer(), new StringSerializer())) {
            planner.initTransactions();
            planner.beginTransaction();
            for (String topic : List.of(Topics.EXECUTOR_COMMANDS, Topics.ANALYSIS_COMMANDS, Topics.RELEASE_EVENTS,
                    Topics.deadLetter(Topics.EXECUTOR_RESULTS))) {
                planner.send(new ProducerRecord<>(topic, "release-1", "from the planner"));
            }
            planner.commitTransaction();
        }
        assertDenied(EXECUTOR, Topics.EXECUTOR_COMMANDS);
        assertDenied(ANALYZER, Topics.ANALYSIS_COMMANDS);
        assertDenied(NOTIFIER, Topics.RELEASE_EVENTS);
        assertDenied(REQUESTER, Topics.EXECUTOR_COMMANDS);
        assertDenied(REQUESTER, Topics.RELEASE_EVENTS);
    }

    @Test
    void theExecutorReadsCommandsInItsGroupAndIsTheOnlyWriterOfResults() throws Exception {
        write(PLANNER, Topics.EXECUTOR_COMMANDS, "release-2");
        try (KafkaConsumer<String, String> executor = consumer(EXECUTOR, "serin-executor")) {
            executor.subscribe(List.of(Topics.EXECUTOR_COMMANDS));
            assertThat(poll(executor)).isNotEmpty();
        }
        write(EXECUTOR, Topics.EXECUTOR_RESULTS, "release-2");
        write(EXECUTOR, Topics.deadLetter(Topics.EXECUTOR_COMMANDS), "release-2");
        assertDenied(ANALYZER, Topics.EXECUTOR_RESULTS);
        assertDenied(PLANNER, Topics.EXECUTOR_RESULTS);
        assertDenied(REQUESTER, Topics.EXECUTOR_RESULTS);
    }

    @Test
    void onlyTheAnalyzerWritesVerdictsAndItsSourceWritesSamples() throws Exception {
        write(ANALYZER, Topics.ANALYSIS_VERDICTS, "release-3");
        write(ANALYZER, Topics.METRIC_SAMPLES, "release-3");
        assertDenied(PLANNER, Topics.ANALYSIS_VERDICTS);
        assertDenied(EXECUTOR, Topics.ANALYSIS_VERDICTS);
        assertDenied(REQUESTER, Topics.METRIC_SAMPLES);
    }

    @Test
    void theRequesterMayOnlyRequest() throws Exception {
        write(REQUESTER, Topics.RELEASE_REQUESTS, "release-4");
        assertDenied(REQUESTER, Topics.ANALYSIS_VERDICTS);
        try (KafkaConsumer<String, String> requester = consumer(REQUESTER, "serin-planner")) {
            requester.subscribe(List.of(Topics.RELEASE_REQUESTS));
            assertThatThrownBy(() -> poll(requester)).isInstanceOfAny(TopicAuthorizationException.class,
                    GroupAuthorizationException.class);
        }
    }

    @Test
    void theNotifierWritesOnlyItsStateAndDeadLetters() throws Exception {
        write(NOTIFIER, "serin.notifier.deliveries", "slack/event-1");
        write(NOTIFIER, Topics.deadLetter(Topics.RELEASE_EVENTS), "release-5");
        assertDenied(NOTIFIER, Topics.RELEASE_REQUESTS);
        assertDenied(EXECUTOR, "serin.notifier.deliveries");
    }

    @Test
    void aServiceUsesOnlyItsOwnTransactionalIdsAndGroups() {
        try (KafkaProducer<String, String> analyzer = clients(ANALYZER, password(ANALYZER)).producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "serin-planner-0000-1", ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000),
                new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(analyzer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
        try (KafkaConsumer<String, String> executor = consumer(EXECUTOR, "serin-notifier")) {
            executor.subscribe(List.of(Topics.EXECUTOR_COMMANDS));
            assertThatThrownBy(() -> poll(executor)).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void aWrongPasswordDoesNotAuthenticate() {
        try (KafkaProducer<String, String> impostor = clients(PLANNER, "not-the-password").producer(
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> impostor.send(new ProducerRecord<>(Topics.EXECUTOR_COMMANDS, "release-6", "forged"))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void keepsTheReleaseLogLongerThanTheBrokerDefault() throws Exception {
        try (Admin admin = superUser()) {
            ConfigResource log = new ConfigResource(ConfigResource.Type.TOPIC, Topics.RELEASE_EVENTS);
            ConfigEntry retention = admin.describeConfigs(List.of(log)).all().get(30, TimeUnit.SECONDS).get(log)
                    .get("retention.ms");
            assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(Duration.ofMillis(Long.parseLong(retention.value()))).isGreaterThan(Duration.ofDays(365));
        }
    }

    private static KafkaClients clients(String user, String password) {
        return KafkaClients.of(broker.bootstrapServers(), KafkaSecurity.of(KafkaBroker.clientSecurity(user, password)));
    }

    private static void write(String user, String topic, String key) throws Exception {
        try (KafkaProducer<String, String> producer = producer(user)) {
            producer.send(new ProducerRecord<>(topic, key, "from " + user)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The write is refused by the broker, not merely lost: the producer observes the authorization error. */
    private static void assertDenied(String user, String topic) {
        try (KafkaProducer<String, String> producer = producer(user)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "release-x", "forged by " + user))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("%s writing to %s", user, topic)
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static KafkaProducer<String, String> producer(String user) {
        return clients(user, password(user)).producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000), new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String user, String group) {
        return clients(user, password(user)).consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer());
    }

    private static ConsumerRecords<String, String> poll(KafkaConsumer<String, String> consumer) {
        ConsumerRecords<String, String> records = ConsumerRecords.empty();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (records.isEmpty() && System.nanoTime() < deadline) {
            records = consumer.poll(Duration.ofMillis(200));
        }
        return records;
    }

    private static Admin superUser() {
        Map<String, Object> config = new HashMap<>(broker.superUserSecurity());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return Admin.create(config);
    }

    private static Map<String, String> withoutMinInsyncReplicas(Map<String, String> config) {
        Map<String, String> copy = new HashMap<>(config);
        copy.remove("min.insync.replicas");
        return copy;
    }

    private static String password(String user) {
        return user + "-secret";
    }
}
