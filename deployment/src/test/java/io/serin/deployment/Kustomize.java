package io.serin.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.serin.deployment.Repo.list;
import static io.serin.deployment.Repo.map;

/**
 * Renders a kustomization as {@code kubectl kustomize} does, for the subset Serin's use:
 * {@code resources} (files, and directories with their own kustomization) and {@code patches} by
 * {@code path} (strategic merge, of maps and of lists keyed by {@code name}, such as containers and
 * their env). Any other field fails the rendering, so a
 * kustomization cannot come to rely on something this rendering would silently leave out.
 */
final class Kustomize {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches");

    private Kustomize() {
    }

    static List<Map<String, Object>> render(Path dir) {
        Map<String, Object> kustomization = Repo.readYaml(dir.resolve("kustomization.yaml"));
        Set<String> unsupported = new TreeSet<>(kustomization.keySet());
        unsupported.removeAll(SUPPORTED);
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(dir + ": fields this rendering does not implement: " + unsupported);
        }
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (Object resource : list(kustomization.get("resources"))) {
            Path path = dir.resolve((String) resource).normalize();
            for (Map<String, Object> doc : Files.isDirectory(path) ? render(path) : Repo.readYamlDocuments(path)) {
                if (byId.putIfAbsent(id(doc), doc) != null) {
                    throw new IllegalArgumentException(dir + ": " + id(doc) + " is declared twice");
                }
            }
        }
        for (Object entry : list(kustomization.get("patches"))) {
            Map<String, Object> patchRef = map(entry);
            if (!patchRef.keySet().equals(Set.of("path"))) {
                throw new IllegalArgumentException(dir + ": only patches by path are rendered, not " + patchRef.keySet());
            }
            for (Map<String, Object> patch : Repo.readYamlDocuments(dir.resolve((String) patchRef.get("path")))) {
                Map<String, Object> target = byId.get(id(patch));
                if (target == null) {
                    throw new IllegalArgumentException(dir + ": patch " + id(patch) + " matches no resource");
                }
                merge(target, patch, id(patch));
            }
        }
        return new ArrayList<>(byId.values());
    }

    /** What kustomize tells resources apart by: API group, kind, namespace and name. */
    static String id(Map<String, Object> doc) {
        String apiVersion = (String) doc.get("apiVersion");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        Map<String, Object> metadata = map(doc.get("metadata"));
        return group + "/" + doc.get("kind") + "/" + metadata.getOrDefault("namespace", "") + "/" + metadata.get("name");
    }

    /** Lists kubectl merges by {@code name} (containers, env): every item is a map with a name. */
    private static boolean byName(List<?> items) {
        return items.stream().allMatch(i -> i instanceof Map<?, ?> m && m.get("name") instanceof String);
    }

    /** As kubectl does: the patch's items in its order, each merged into the item of its name, then the others. */
    private static List<Object> mergeByName(List<?> existing, List<?> patch, String where) {
        Map<Object, Map<String, Object>> byName = new LinkedHashMap<>();
        existing.forEach(i -> byName.put(map(i).get("name"), map(i)));
        List<Object> merged = new ArrayList<>();
        for (Object item : patch) {
            Map<String, Object> original = byName.remove(map(item).get("name"));
            if (original == null) {
                merged.add(item);
            } else {
                merge(original, map(item), where + "[" + map(item).get("name") + "]");
                merged.add(original);
            }
        }
        merged.addAll(byName.values());
        return merged;
    }

    private static void merge(Map<String, Object> target, Map<String, Object> patch, String where) {
        patch.forEach((key, value) -> {
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map && target.get(key) instanceof Map) {
                merge(map(target.get(key)), map(value), where + "." + key);
            } else if (value instanceof List<?> items && byName(items)
                    && (target.get(key) == null || target.get(key) instanceof List<?> existing && byName(existing))) {
                target.put(key, mergeByName((List<?>) target.getOrDefault(key, List.of()), items, where + "." + key));
            } else if (value instanceof List) {
                throw new IllegalArgumentException(where + "." + key
                        + ": merging lists needs the strategic-merge keys of each kind, not rendered here");
            } else {
                target.put(key, value);
            }
        });
    }
}
