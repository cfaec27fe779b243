package io.serin.deployment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.serin.deployment.Repo.list;
import static io.serin.deployment.Repo.map;
import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml holds to the services' real build files, configuration, ports and topics. */
class DockerComposeTest {

    private static final String TOPIC_TOOL = "/opt/kafka/bin/kafka-topics.sh";

    private final Map<String, Object> services = map(Repo.readYaml(Repo.path("docker-compose.yml")).get("services"));

    /** Compose service name to the module it builds, for every service built from this repository. */
    private Map<String, String> built() {
        Map<String, String> built = new LinkedHashMap<>();
        services.forEach((name, spec) -> {
            Object build = map(spec).get("build");
            if (build != null) {
                Path context = Repo.path((String) map(build).get("context")).normalize();
                built.put(name, Repo.ROOT.relativize(context).toString());
            }
        });
        return built;
    }

    @Test
    void buildsEachServiceFromItsOwnDockerfile() {
        assertThat(built().values()).containsExactlyInAnyOrderElementsOf(Repo.SERVICES);
        built().forEach((name, module) -> {
            Path dockerfile = Repo.path(module).resolve((String) map(map(services.get(name)).get("build")).get("dockerfile"));
            assertThat(dockerfile).as("dockerfile of %s", name).isRegularFile();
            assertThat(Repo.read(dockerfile)).as("%s exposes its HTTP port", dockerfile)
                    .contains("EXPOSE " + ServiceConfig.of(module).httpPort());
        });
    }

    @Test
    void setsOnlyVariablesTheServiceReads() {
        List<String> unread = new ArrayList<>();
        built().forEach((name, module) -> {
            ServiceConfig config = ServiceConfig.of(module);
            environment(name).keySet().stream().filter(v -> !config.reads(v))
                    .forEach(v -> unread.add(name + ": " + v));
        });
        assertThat(unread).as("variables no configuration key of the service matches").isEmpty();
        assertThat(built().keySet()).allSatisfy(name ->
                assertThat(environment(name)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));
    }

    /** ${NAME:-default} and ${NAME:?message}, as compose interpolates them. */
    private static final java.util.regex.Pattern INTERPOLATION =
            java.util.regex.Pattern.compile("\\$\\{(\\w+)(?::([-?])(.*))?}");

    @Test
    void givesThePlannerAndTheExecutorOnePolicyThatOpensTheExampleRequests() {
        Map<String, String> planner = policy("planner");
        assertThat(planner).containsOnlyKeys("SERIN_POLICY_NAMESPACES", "SERIN_POLICY_REGISTRIES")
                .isEqualTo(policy("executor"));
        assertThat(policy("analyzer")).isEmpty();
        assertThat(policy("notifier")).isEmpty();
        // from the shell, with defaults: the namespace and registry of the documented example request
        java.util.regex.Matcher namespaces = interpolation(planner.get("SERIN_POLICY_NAMESPACES"), "SERIN_NAMESPACES", "-");
        java.util.regex.Matcher registries = interpolation(planner.get("SERIN_POLICY_REGISTRIES"), "SERIN_REGISTRIES", "-");
        Map<String, Object> example = map(Repo.readYaml(Repo.path("docs/examples/io.serin.release.requested.v1.json")).get("data"));
        assertThat(namespaces.group(3).split(",")).contains((String) map(example.get("target")).get("namespace"));
        String image = (String) map(example.get("to")).get("image");
        assertThat(registries.group(3).split(",")).anySatisfy(r -> assertThat(image).startsWith(r + "/"));
    }

    @Test
    void refusesToStartThePlannerWithoutAnIssuer() {
        Map<String, String> planner = environment("planner");
        java.util.regex.Matcher issuer = interpolation(planner.get("QUARKUS_OIDC_AUTH_SERVER_URL"),
                "QUARKUS_OIDC_AUTH_SERVER_URL", "?");
        assertThat(issuer.group(3)).as("the message compose shows").contains("issuer");
        assertThat(interpolation(planner.get("QUARKUS_OIDC_TOKEN_AUDIENCE"), "QUARKUS_OIDC_TOKEN_AUDIENCE", "-").group(3))
                .isEqualTo("serin");
        built().forEach((name, module) -> assertThat(ServiceConfig.of(module).reads("QUARKUS_OIDC_AUTH_SERVER_URL")
                || !environment(name).containsKey("QUARKUS_OIDC_AUTH_SERVER_URL")).as(name).isTrue());
    }

    @Test
    void givesTheKubeconfigToEveryServiceThatCallsTheKubernetesApi() {
        built().forEach((name, module) -> {
            if (ServiceConfig.of(module).callsKubernetesApi()) {
                String path = environment(name).get("KUBECONFIG");
                assertThat(path).as(name).isNotNull();
                assertThat(list(map(services.get(name)).get("volumes"))).as("volumes of %s", name)
                        .anySatisfy(v -> assertThat(v.toString()).startsWith("${SERIN_KUBECONFIG:-")
                                .endsWith(":" + path + ":ro"));
            } else {
                assertThat(environment(name)).as(name).doesNotContainKey("KUBECONFIG");
            }
        });
    }

    private Map<String, String> policy(String service) {
        Map<String, String> policy = new java.util.TreeMap<>(environment(service));
        policy.keySet().removeIf(k -> !k.startsWith("SERIN_POLICY_"));
        return policy;
    }

    private static java.util.regex.Matcher interpolation(String value, String variable, String operator) {
        assertThat(value).as(variable).isNotNull();
        java.util.regex.Matcher m = INTERPOLATION.matcher(value);
        assertThat(m.matches()).as("%s is one ${...} interpolation", value).isTrue();
        assertThat(m.group(1)).isEqualTo(variable);
        assertThat(m.group(2)).as(value).isEqualTo(operator);
        return m;
    }

    @Test
    void publishesEachServiceOnItsHttpPort() {
        built().forEach((name, module) -> assertThat(list(map(services.get(name)).get("ports")))
                .as("ports of %s", name)
                .anySatisfy(p -> assertThat(p.toString()).endsWith(":" + ServiceConfig.of(module).httpPort())));
    }

    @Test
    void startsServicesOnlyOnceTheirTopicsExist() {
        built().keySet().forEach(name -> assertThat(map(map(services.get(name)).get("depends_on")))
                .as("depends_on of %s", name)
                .containsEntry("kafka-topics", Map.of("condition", "service_completed_successfully")));
    }

    @Test
    void pinsKafkaAndPrometheusImages() {
        assertThat(map(services.get("kafka"))).containsEntry("image", "apache/kafka:4.0.0");
        assertThat(map(services.get("kafka-topics"))).containsEntry("image", "apache/kafka:4.0.0");
        assertThat((String) map(services.get("prometheus")).get("image")).matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+");
    }

    /** Runs the topic container's script with a stand-in for kafka-topics.sh that records its arguments. */
    @Test
    void createsEveryTopicOfTheContractAndTheNotifiersCompactedState(@TempDir Path dir)
            throws IOException, InterruptedException {
        Map<String, Object> init = map(services.get("kafka-topics"));
        assertThat(list(init.get("entrypoint"))).containsExactly("/bin/bash", "-ec");
        String script = (String) list(init.get("command")).get(0);
        assertThat(script).contains(TOPIC_TOOL);
        Path tool = dir.resolve("kafka-topics.sh");
        Path log = dir.resolve("calls");
        Files.writeString(tool, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$SERIN_TOPIC_CALLS\"\n");
        assertThat(tool.toFile().setExecutable(true)).isTrue();

        // compose writes a literal $ as $$
        ProcessBuilder bash = new ProcessBuilder("bash", "-ec", script.replace("$$", "$").replace(TOPIC_TOOL, tool.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile());
        bash.environment().putAll(environment("kafka-topics"));
        bash.environment().put("SERIN_TOPIC_CALLS", log.toString());
        Process run = bash.start();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(Files.readString(dir.resolve("out"))).isZero();

        Map<String, List<String>> created = new LinkedHashMap<>();
        for (String call : Files.readAllLines(log)) {
            List<String> args = Arrays.asList(call.split(" "));
            assertThat(args).as(call).contains("--create", "--if-not-exists");
            assertThat(args.get(args.indexOf("--bootstrap-server") + 1)).isEqualTo("kafka:9092");
            String topic = args.get(args.indexOf("--topic") + 1);
            assertThat(created.put(topic, configs(args))).as("%s created twice", topic).isNull();
        }
        assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(Repo.allTopics());
        assertThat(created.get("serin.release.events")).as("the release log's retention, as on Strimzi")
                .containsExactly("retention.ms=" + strimziConfig("serin.release.events").get("retention.ms"));
        created.forEach((topic, configs) -> {
            if (Repo.notifierStateTopics().contains(topic)) {
                assertThat(configs).as(topic).contains("cleanup.policy=compact,delete");
            } else {
                assertThat(configs).as(topic).noneMatch(c -> c.startsWith("cleanup.policy="));
            }
        });
    }

    @Test
    void publishesPortsOnLoopbackOnly() {
        services.forEach((name, spec) -> assertThat(list(map(spec).getOrDefault("ports", List.of())))
                .as("ports of %s", name).allSatisfy(p -> assertThat(p.toString()).startsWith("127.0.0.1:")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> strimziConfig(String topic) {
        return Repo.readYamlDocuments(Repo.path("deploy/strimzi/topics.yaml")).stream()
                .map(doc -> map(doc.get("spec"))).filter(spec -> topic.equals(spec.get("topicName")))
                .map(spec -> (Map<String, Object>) spec.get("config")).findFirst().orElseThrow();
    }

    @Test
    void prometheusScrapesEveryServicesMetricsEndpoint() {
        String mount = list(map(services.get("prometheus")).get("volumes")).stream().map(Object::toString)
                .filter(v -> v.contains(":/etc/prometheus/prometheus.yml")).findFirst().orElseThrow();
        Path config = Repo.path(mount.substring(0, mount.indexOf(':')));
        assertThat(config).isRegularFile();

        Map<String, String> targets = new LinkedHashMap<>();
        for (Object job : list(Repo.readYaml(config).get("scrape_configs"))) {
            for (Object sc : list(map(job).get("static_configs"))) {
                for (Object target : list(map(sc).get("targets"))) {
                    targets.put((String) target, (String) map(job).get("metrics_path"));
                }
            }
        }
        Map<String, String> expected = built().entrySet().stream().collect(Collectors.toMap(
                e -> e.getKey() + ":" + ServiceConfig.of(e.getValue()).httpPort(), e -> "/q/metrics"));
        assertThat(targets).isEqualTo(expected);
    }

    private Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        map(map(services.get(service)).getOrDefault("environment", Map.of()))
                .forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    private static List<String> configs(List<String> args) {
        List<String> configs = new ArrayList<>();
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals("--config")) {
                configs.add(args.get(i + 1));
            }
        }
        return configs;
    }
}
