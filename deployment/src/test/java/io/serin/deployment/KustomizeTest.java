package io.serin.deployment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java rendering refuses what it does not implement instead of rendering it wrongly. */
class KustomizeTest {

    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c, namespace: n}
            data: {a: "1", b: "2"}
            """;

    @Test
    void mergesAPatchIntoTheResourceItNames(@TempDir Path dir) throws IOException {
        write(dir, "resources: [c.yaml]\npatches: [{path: p.yaml}]\n", CONFIG_MAP,
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\ndata: {b: \"3\"}\n");
        assertThat(Kustomize.render(dir)).singleElement()
                .satisfies(doc -> assertThat(doc.get("data")).isEqualTo(Map.of("a", "1", "b", "3")));
    }

    @Test
    void refusesFieldsItDoesNotRender(@TempDir Path dir) throws IOException {
        write(dir, "resources: [c.yaml]\nnamespace: other\n", CONFIG_MAP, null);
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("[namespace]");
    }

    @Test
    void refusesToMergeLists(@TempDir Path dir) throws IOException {
        write(dir, "resources: [c.yaml]\npatches: [{path: p.yaml}]\n", CONFIG_MAP,
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\nimmutable: [true]\n");
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("lists");
    }

    @Test
    void refusesAResourceDeclaredTwice(@TempDir Path dir) throws IOException {
        write(dir, "resources: [c.yaml, c.yaml]\n", CONFIG_MAP, null);
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("declared twice");
    }

    private static void write(Path dir, String kustomization, String resource, String patch) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), kustomization);
        Files.writeString(dir.resolve("c.yaml"), resource);
        if (patch != null) {
            Files.writeString(dir.resolve("p.yaml"), patch);
        }
    }
}
