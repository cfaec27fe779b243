package io.serin.deployment;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.serin.events.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The repository under test: its files, read as YAML maps the way compose and kustomize see them. */
final class Repo {

    static final Path ROOT = Path.of(System.getProperty("serin.repo.root", "..")).toAbsolutePath().normalize();
    static final List<String> SERVICES = List.of("planner-service", "executor-service", "analyzer-service",
            "notifier-service");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern STATE_TOPIC = Pattern.compile("@WithDefault\\(\"([^\"]+)\"\\)\\s*String \\w+Topic\\(\\)");

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static Map<String, Object> readYaml(Path file) {
        List<Map<String, Object>> docs = readYamlDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(file + ": expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    static List<Map<String, Object>> readYamlDocuments(Path file) {
        return readYamlDocuments(read(file), file.toString());
    }

    /** Every non-empty document of a multi-document YAML stream, as mutable maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> readYamlDocuments(String text, String where) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (MappingIterator<Object> it = YAML.readerFor(Object.class).readValues(text)) {
            while (it.hasNext()) {
                Object doc = it.next();
                if (doc instanceof Map) {
                    docs.add((Map<String, Object>) doc);
                } else if (doc != null) {
                    throw new IllegalArgumentException(where + ": a document is not a mapping: " + doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + where, e);
        }
        return docs;
    }

    /** The notifier's compacted state topics, as its configuration names them by default. */
    static List<String> notifierStateTopics() {
        Matcher m = STATE_TOPIC.matcher(read(path(
                "notifier-service/src/main/java/io/serin/notifier/config/NotifierConfig.java")));
        List<String> topics = new ArrayList<>();
        while (m.find()) {
            topics.add(m.group(1));
        }
        if (topics.size() != 2) {
            throw new IllegalStateException("expected the deliveries and releases topics in NotifierConfig, found " + topics);
        }
        return topics;
    }

    /**
     * The planner's own topics (its per-target admission queue), as PlannerTopology names them. The
     * planner creates them itself where it may; deployments that manage topics must provide them.
     */
    static List<String> plannerTopics() {
        String source = read(path("planner-service/src/main/java/io/serin/planner/messaging/PlannerTopology.java"));
        Matcher m = java.util.regex.Pattern.compile("(?:ADMISSIONS|ADMITTED)_TOPIC = \"([^\"]+)\"").matcher(source);
        List<String> topics = new ArrayList<>();
        while (m.find()) {
            topics.add(m.group(1));
        }
        if (topics.size() != 2) {
            throw new IllegalStateException("expected the admissions and admitted topics in PlannerTopology, found "
                    + topics);
        }
        return topics;
    }

    /**
     * Every topic a deployment must provide: the contract's, dead letters included, the planner's
     * and the notifier's state.
     */
    static List<String> allTopics() {
        return Stream.of(Topics.allWithDeadLetters(), plannerTopics(), notifierStateTopics())
                .flatMap(List::stream).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
