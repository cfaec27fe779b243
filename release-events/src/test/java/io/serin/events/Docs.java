package io.serin.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The published contract documents in {@code docs/} (surefire passes the directory as {@code serin.docs.dir}). */
final class Docs {

    static final String SCHEMA_BASE = "https://serin.io/schemas/";
    static final String COMMON = "common.json";

    private Docs() {
    }

    static Path dir() {
        Path dir = Paths.get(System.getProperty("serin.docs.dir", "../docs")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("docs directory not found: " + dir + " (system property serin.docs.dir)");
        }
        return dir;
    }

    static Path schemas() {
        return dir().resolve("schemas");
    }

    static Path examples() {
        return dir().resolve("examples");
    }

    static Path schema(String type) {
        return schemas().resolve(type + ".json");
    }

    static Path example(String type) {
        return examples().resolve(type + ".json");
    }

    /** The names (without {@code .json}) of the JSON files in {@code dir}. */
    static Set<String> jsonFileNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .collect(TreeSet::new, Set::add, Set::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return EventCodec.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The registered CloudEvent types, sorted. */
    static Stream<String> types() {
        return MessageTypes.all().stream().sorted();
    }
}
