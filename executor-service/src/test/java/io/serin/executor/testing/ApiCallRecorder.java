package io.serin.executor.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Records every request the executor's client sends ("PATCH /apis/apps/v1/namespaces/x/…"), one
 * line each, to {@link #LOG}, for {@code ExecutorRbacIT} to hold against k8s/executor-rbac.yaml.
 * The file starts empty in each test JVM that records.
 */
public final class ApiCallRecorder implements Interceptor {

    /** Where the calls of the unit tests go; the RBAC check reads it after they ran. */
    public static final Path LOG = Path.of("target", "executor-api-calls.log");

    private static final ApiCallRecorder INSTANCE = new ApiCallRecorder();

    static {
        try {
            Files.createDirectories(LOG.getParent());
            Files.writeString(LOG, "", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ApiCallRecorder() {
    }

    /** A client like {@code like} whose every request is recorded: the one to hand the executor. */
    public static KubernetesClient recordingClient(KubernetesClient like) {
        return new KubernetesClientBuilder().withConfig(like.getConfiguration())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("serin-api-recorder", INSTANCE))
                .build();
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String line = request.method() + " " + request.uri().getRawPath()
                + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()) + "\n";
        synchronized (ApiCallRecorder.class) {
            try {
                Files.writeString(LOG, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
