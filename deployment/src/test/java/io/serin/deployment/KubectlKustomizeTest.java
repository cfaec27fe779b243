package io.serin.deployment;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java rendering the other tests check is the one kubectl applies: {@code kubectl kustomize}
 * renders the same objects, field for field. CI installs kubectl (.ci/run).
 */
class KubectlKustomizeTest {

    @ParameterizedTest
    @ValueSource(strings = {"k8s", "deploy/strimzi"})
    void rendersWhatKubectlRenders(String kustomization) throws IOException, InterruptedException {
        Map<String, Map<String, Object>> kubectl = new LinkedHashMap<>();
        Repo.readYamlDocuments(kubectlKustomize(Repo.path(kustomization)), "kubectl kustomize " + kustomization)
                .forEach(doc -> kubectl.put(Kustomize.id(doc), doc));
        Map<String, Map<String, Object>> java = Manifests.render(kustomization).byId();

        assertThat(java.keySet()).containsExactlyInAnyOrderElementsOf(kubectl.keySet());
        java.forEach((id, doc) -> assertThat(doc).as(id).isEqualTo(kubectl.get(id)));
    }

    private static String kubectlKustomize(Path dir) throws IOException, InterruptedException {
        Path kubectl = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(p -> Path.of(p, "kubectl")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("kubectl is not on PATH; .ci/run installs it"));
        Path err = Files.createTempFile("kubectl-kustomize", ".err");
        try {
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("kubectl kustomize %s (a kubectl before 1.21 embeds a kustomize too old "
                    + "for these files): %s", dir, Files.readString(err)).isZero();
            return out;
        } finally {
            Files.delete(err);
        }
    }
}
