package io.serin.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Turns a valid contract message into the kinds of wrong a careless or hostile writer produces:
 * fields removed or set to null, numbers at their extremes, absurd durations and instants, huge
 * strings, deep nesting, values of the wrong type, and truncated bytes. Driven by a seed, so that a
 * property-based test that finds a failure names the exact record that caused it.
 */
public final class JsonMutator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEEP = "__serin_deep_nesting__";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<JsonNode> EXTREMES = List.of(NODES.nullNode(), NODES.numberNode(Long.MAX_VALUE),
            NODES.numberNode(Long.MIN_VALUE), NODES.numberNode(-1), NODES.numberNode(0), NODES.numberNode(1e308),
            NODES.numberNode(-1e308), NODES.numberNode(Double.MIN_VALUE), NODES.textNode("NaN"),
            NODES.textNode("Infinity"), NODES.textNode(""), NODES.textNode("PT9999999999999H"),
            NODES.textNode("-PT1S"), NODES.textNode("P0D"), NODES.textNode("+1000000000-12-31T23:59:59Z"),
            NODES.textNode("1970-01-01T00:00:00Z"), NODES.textNode("not-a-value"), NODES.booleanNode(true),
            NODES.arrayNode(), NODES.objectNode(), NODES.textNode("ten"), NODES.textNode("\u0000\uFFFF\uD800"));

    private JsonMutator() {
    }

    /** The examples in {@code dir} (docs/examples) whose file name starts with one of {@code prefixes}. */
    public static List<byte[]> examples(Path dir, String... prefixes) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> Stream.of(prefixes).anyMatch(x -> p.getFileName().toString().startsWith(x)))
                    .sorted().map(JsonMutator::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** docs/ of the checkout the tests run in (module directories sit one level below it). */
    public static Path docs() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs/examples"))) {
                return p.resolve("docs");
            }
        }
        throw new IllegalStateException("no docs/examples above " + here);
    }

    /** One to three mutations of {@code valid}, chosen by {@code seed}. */
    public static byte[] mutate(byte[] valid, long seed) {
        Random random = new Random(seed);
        if (random.nextInt(20) == 0) {
            return truncate(valid, random);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(valid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            tree = mutateOnce(tree, random);
        }
        try {
            return deepen(MAPPER.writeValueAsString(tree)).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode mutateOnce(JsonNode root, Random random) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        if (slots.isEmpty()) {
            return root;
        }
        // most mutations hit the payload's own fields, where a reader's assumptions live
        List<Slot> payload = slots.stream().filter(Slot::inPayload).toList();
        List<Slot> pool = !payload.isEmpty() && random.nextInt(4) > 0 ? payload : slots;
        Slot slot = pool.get(random.nextInt(pool.size()));
        switch (random.nextInt(8)) {
            case 0, 6 -> slot.remove();
            case 7 -> slot.set(NODES.nullNode());
            case 1 -> slot.set(EXTREMES.get(random.nextInt(EXTREMES.size())));
            case 2 -> slot.set(NODES.textNode("x".repeat(1 + random.nextInt(200_000))));
            case 3 -> slot.set(NODES.textNode(DEEP + (50 + random.nextInt(2000))));
            case 4 -> slot.set(NODES.numberNode(random.nextLong()));
            default -> slot.set(NODES.arrayNode().add(slot.value()));
        }
        return root;
    }

    /** Nesting deeper than Jackson writes, spliced into the bytes in place of its placeholder. */
    private static String deepen(String json) {
        int at = json.indexOf("\"" + DEEP);
        while (at >= 0) {
            int end = json.indexOf('"', at + 1);
            int depth = Integer.parseInt(json.substring(at + 1 + DEEP.length(), end));
            StringBuilder nested = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                nested.append(i % 2 == 0 ? "[" : "{\"a\":");
            }
            nested.append("\"bottom\"");
            for (int i = depth - 1; i >= 0; i--) {
                nested.append(i % 2 == 0 ? "]" : "}");
            }
            json = json.substring(0, at) + nested + json.substring(end + 1);
            at = json.indexOf("\"" + DEEP);
        }
        return json;
    }

    private static byte[] truncate(byte[] valid, Random random) {
        byte[] cut = new byte[random.nextInt(Math.max(1, valid.length))];
        System.arraycopy(valid, 0, cut, 0, cut.length);
        return cut;
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        collect(node, slots, false);
    }

    private static void collect(JsonNode node, List<Slot> slots, boolean inPayload) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                slots.add(new Slot(object, name, -1, inPayload));
                collect(object.get(name), slots, inPayload || "data".equals(name));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i, inPayload));
                collect(array.get(i), slots, inPayload);
            }
        }
    }

    public static byte[] read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A place in the tree: a field of an object or an element of an array. */
    private record Slot(JsonNode parent, String field, int index, boolean inPayload) {

        JsonNode value() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }
    }
}
