package io.serin.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A deployment's Kafka security settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}):
 * what every client of a service adds to its own settings. They come from the {@code kafka.} prefix
 * of the configuration, the one place SmallRye's channels and Quarkus' Kafka Streams also read
 * ({@code kafka.security.protocol}, or {@code KAFKA_SECURITY_PROTOCOL} in the environment).
 * {@link #toString()} never shows a secret.
 */
public final class KafkaSecurity {

    /** No settings: Kafka's defaults, a PLAINTEXT connection. */
    public static final KafkaSecurity NONE = new KafkaSecurity(Map.of());

    private static final String PREFIX = "kafka";
    private static final String HIDDEN = "[hidden]";
    private static final String NO_HOSTNAME_VERIFICATION = "ssl.endpoint.identification.algorithm";

    private final Map<String, String> settings;

    private KafkaSecurity(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /**
     * The security settings among {@code kafka}, client settings as Kafka names them (the {@code kafka.}
     * prefix removed); other keys, such as {@code bootstrap.servers}, are ignored.
     */
    public static KafkaSecurity of(Map<String, ?> kafka) {
        Map<String, String> security = new TreeMap<>();
        kafka.forEach((key, value) -> {
            // an empty endpoint identification algorithm is how Kafka turns host name verification off
            if (isSecurityKey(key) && value != null
                    && (!value.toString().isBlank() || key.equals(NO_HOSTNAME_VERIFICATION))) {
                security.put(key, value.toString());
            }
        });
        return new KafkaSecurity(security);
    }

    /**
     * The security settings of a configuration, read as Quarkus builds SmallRye's default Kafka
     * configuration ({@code default-kafka-broker}): every property whose name starts with {@code kafka},
     * lower-cased, without that prefix, {@code _} read as {@code .}; so {@code kafka.sasl.mechanism} and
     * {@code KAFKA_SASL_MECHANISM} both set {@code sasl.mechanism}. Empty values count as unset, but for
     * {@code ssl.endpoint.identification.algorithm}, where empty turns host name verification off.
     */
    public static KafkaSecurity fromConfig(Iterable<String> names, Function<String, Optional<String>> value) {
        Map<String, String> kafka = new TreeMap<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.length() <= PREFIX.length() + 1 || !lower.startsWith(PREFIX)
                    || (lower.charAt(PREFIX.length()) != '.' && lower.charAt(PREFIX.length()) != '_')) {
                continue;
            }
            String key = lower.substring(PREFIX.length() + 1).replace('_', '.');
            kafka.put(key, value.apply(name).orElse(""));
        }
        return of(kafka);
    }

    /** Whether Kafka reads {@code key} as a security setting, the kind this class carries. */
    public static boolean isSecurityKey(String key) {
        return key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.");
    }

    /** Whether the value of {@code key} is a credential, never to be logged. */
    public static boolean isSecret(String key) {
        return key.equals("sasl.jaas.config") || key.contains("password") || key.contains("secret")
                || key.equals("ssl.keystore.key") || key.equals("ssl.key");
    }

    /** The settings, as Kafka names them. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The protocol clients connect with; PLAINTEXT when none is set. */
    public String protocol() {
        return settings.getOrDefault("security.protocol", "PLAINTEXT");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaSecurity other && settings.equals(other.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    /** The settings with every secret replaced by {@value #HIDDEN}. */
    @Override
    public String toString() {
        return new TreeMap<>(settings).entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? HIDDEN : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
