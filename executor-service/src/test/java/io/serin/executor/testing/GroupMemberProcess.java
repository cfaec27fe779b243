package io.serin.executor.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Another executor instance as the broker sees it: a child JVM that joins a consumer group with
 * the executor's consumer settings, takes its share of the partitions, never processes or commits
 * anything, and can be killed with SIGKILL, so that the group learns of its death only from its
 * missing heartbeats, as after {@code kill -9}.
 */
public final class GroupMemberProcess implements AutoCloseable {

    private static final String ASSIGNED = "assigned ";

    private final Process process;
    private final Set<Integer> partitions;

    private GroupMemberProcess(Process process, Set<Integer> partitions) {
        this.process = process;
        this.partitions = partitions;
    }

    /** Starts the member and returns once it owns at least one partition of {@code topic}. */
    public static GroupMemberProcess join(String bootstrapServers, String group, String topic, int sessionTimeoutMs,
            int heartbeatIntervalMs) throws IOException, InterruptedException {
        // where a test class loader hides the code sources, the JVM's own class path has them
        String classpath = Stream.concat(Stream.of(KafkaConsumer.class, org.slf4j.LoggerFactory.class,
                        GroupMemberProcess.class).map(GroupMemberProcess::location),
                Stream.of(System.getProperty("java.class.path")))
                .filter(s -> s != null && !s.isEmpty()).distinct().collect(Collectors.joining(java.io.File.pathSeparator));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", classpath, GroupMemberProcess.class.getName(), bootstrapServers, group, topic,
                Integer.toString(sessionTimeoutMs), Integer.toString(heartbeatIntervalMs))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; System.nanoTime() < giveUp && (line = out.readLine()) != null; ) {
            if (line.startsWith(ASSIGNED) && line.length() > ASSIGNED.length()) {
                Set<Integer> owned = Stream.of(line.substring(ASSIGNED.length()).split(","))
                        .map(Integer::valueOf).collect(Collectors.toSet());
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "group-member-output");
                drain.setDaemon(true);
                drain.start();
                return new GroupMemberProcess(process, owned);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the group member got no partition of " + topic + " within 60 s");
    }

    /** The partitions it owns. */
    public Set<Integer> partitions() {
        return partitions;
    }

    /** SIGKILL: no LeaveGroup, no commit; the group notices when the session times out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /** The child's side: bootstrap servers, group, topic, session timeout, heartbeat interval. */
    public static void main(String[] args) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                ConsumerConfig.GROUP_ID_CONFIG, args[1],
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.parseInt(args[3]),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.parseInt(args[4]),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(args[2]), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    System.out.println(ASSIGNED + consumer.assignment().stream().map(p -> Integer.toString(p.partition()))
                            .collect(Collectors.joining(",")));
                    System.out.flush();
                }
            });
            while (true) {
                consumer.poll(Duration.ofMillis(200));
                // records are fetched, never processed or committed: whoever owns the partition next reads them
                consumer.pause(consumer.assignment());
            }
        }
    }

    private static String location(Class<?> type) {
        try {
            var source = type.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())
                    ? null : Path.of(source.getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
