package io.serin.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Strimzi manifests (deploy/strimzi) read as the operators would apply them: KafkaUsers' simple
 * authorization as Kafka ACLs of principal {@code User:<name>}, as Strimzi's User Operator creates them
 * for SCRAM users, and KafkaTopics as topic names with their configuration.
 */
final class KafkaUserManifests {

    static final Path STRIMZI = Path.of(System.getProperty("serin.repo.root", ".."), "deploy", "strimzi");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private KafkaUserManifests() {
    }

    /** The ACLs of every KafkaUser in {@code file}, by user name. */
    static Map<String, List<AclBinding>> acls(Path file) {
        Map<String, List<AclBinding>> byUser = new LinkedHashMap<>();
        for (JsonNode doc : documents(file, "KafkaUser")) {
            String user = doc.path("metadata").path("name").asText();
            JsonNode authorization = doc.path("spec").path("authorization");
            if (!authorization.path("type").asText().equals("simple")) {
                throw new IllegalArgumentException(user + ": authorization type is not simple");
            }
            List<AclBinding> bindings = new ArrayList<>();
            for (JsonNode acl : authorization.path("acls")) {
                ResourcePattern resource = resource(user, acl.path("resource"));
                AclPermissionType permission = acl.path("type").asText("allow").equalsIgnoreCase("deny")
                        ? AclPermissionType.DENY : AclPermissionType.ALLOW;
                for (JsonNode operation : acl.path("operations")) {
                    bindings.add(new AclBinding(resource, new AccessControlEntry("User:" + user,
                            acl.path("host").asText("*"), operation(user, operation.asText()), permission)));
                }
            }
            byUser.put(user, bindings);
        }
        return byUser;
    }

    /** The authentication type of every KafkaUser in {@code file}, by user name. */
    static Map<String, String> authentication(Path file) {
        Map<String, String> byUser = new LinkedHashMap<>();
        for (JsonNode doc : documents(file, "KafkaUser")) {
            byUser.put(doc.path("metadata").path("name").asText(),
                    doc.path("spec").path("authentication").path("type").asText());
        }
        return byUser;
    }

    /** Every KafkaTopic's name with its configuration, as strings. */
    static Map<String, Map<String, String>> topics(Path file) {
        Map<String, Map<String, String>> topics = new LinkedHashMap<>();
        for (JsonNode doc : documents(file, "KafkaTopic")) {
            Map<String, String> config = new LinkedHashMap<>();
            doc.path("spec").path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            topics.put(doc.path("spec").path("topicName").asText(), config);
        }
        return topics;
    }

    private static List<JsonNode> documents(Path file, String kind) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && kind.equals(doc.path("kind").asText())) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return docs;
    }

    private static ResourcePattern resource(String user, JsonNode resource) {
        String type = resource.path("type").asText();
        PatternType pattern = resource.path("patternType").asText("literal").equals("prefix")
                ? PatternType.PREFIXED : PatternType.LITERAL;
        return switch (type) {
            case "topic" -> new ResourcePattern(ResourceType.TOPIC, resource.path("name").asText(), pattern);
            case "group" -> new ResourcePattern(ResourceType.GROUP, resource.path("name").asText(), pattern);
            case "transactionalId" ->
                    new ResourcePattern(ResourceType.TRANSACTIONAL_ID, resource.path("name").asText(), pattern);
            case "cluster" -> new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
            default -> throw new IllegalArgumentException(user + ": unknown resource type " + type);
        };
    }

    /** Strimzi names operations in camel case (DescribeConfigs), Kafka in upper snake case. */
    private static AclOperation operation(String user, String name) {
        for (AclOperation op : AclOperation.values()) {
            if (op.name().replace("_", "").equals(name.toUpperCase(Locale.ROOT))) {
                return op;
            }
        }
        throw new IllegalArgumentException(user + ": unknown operation " + name);
    }
}
