package io.serin.deployment;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration a service reads, as its sources declare it: the keys of its
 * application.properties and the properties their values reference
 * ({@code ${serin.kafka.replication-factor:1}}), {@code @ConfigProperty} names, and the members of
 * its {@code @ConfigMapping} interface. An environment variable is read when it is the Quarkus
 * environment form of one of those ({@code kafka-streams.state.dir} is {@code KAFKA_STREAMS_STATE_DIR}).
 */
final class ServiceConfig {

    /**
     * Variables a library reads outside the service's own sources, with the dependency that brings
     * it: a library's own environment, or an extension's key the service leaves to its deployment.
     */
    private static final Map<String, String> LIBRARY_VARIABLES = Map.of(
            // fabric8's Config.autoConfigure, which quarkus-kubernetes-client starts from, loads this kubeconfig
            "KUBECONFIG", "quarkus-kubernetes-client",
            // quarkus.oidc.auth-server-url: the issuer, which only a deployment knows (the planner needs it)
            "QUARKUS_OIDC_AUTH_SERVER_URL", "quarkus-oidc");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^:}]+)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern MEMBER = Pattern.compile("(\\w+)\\(\\)\\s*;");
    /** A map member: {@code Map<String, NamedGate> named();}, with @WithParentName when its keys sit at the parent's level. */
    private static final Pattern MAP_MEMBER = Pattern.compile(
            "(@WithParentName\\s+)?Map<String,\\s*(\\w+)>\\s+(\\w+)\\(\\)\\s*;");
    private static final Pattern INTERFACE = Pattern.compile("interface\\s+(\\w+)");
    private static final String KUBERNETES_CLIENT = "quarkus-kubernetes-client";

    private final String module;
    private final Properties properties;
    private final Set<String> variables = new HashSet<>();
    /** Environment form of a mapping's prefix, to the environment forms of its interface's members. */
    private final Map<String, Set<String>> mappings = new HashMap<>();
    /**
     * Environment form of a mapping's prefix, to the members after which a map key comes: true when
     * the key is followed by members of the map's value (gates' SMOKE_URL), false when the key ends
     * the path (headers' AUTHORIZATION).
     */
    private final Map<String, Map<String, Boolean>> mapParents = new HashMap<>();
    private final String pom;

    private ServiceConfig(String module) {
        this.module = module;
        Path dir = Repo.path(module);
        this.properties = load(dir.resolve("src/main/resources/application.properties"));
        this.pom = Repo.read(dir.resolve("pom.xml"));
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")) { // a profile's key (%test.…) is not read in production
                variables.add(envName(key));
                Matcher ref = REFERENCE.matcher(properties.getProperty(key));
                while (ref.find()) {
                    variables.add(envName(ref.group(1)));
                }
            }
        }
        try (Stream<Path> sources = Files.walk(dir.resolve("src/main/java"))) {
            sources.filter(p -> p.toString().endsWith(".java")).map(Repo::read).forEach(this::scan);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the sources of " + module, e);
        }
    }

    static ServiceConfig of(String module) {
        return new ServiceConfig(module);
    }

    /** The Quarkus environment-variable form of a property name. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    String module() {
        return module;
    }

    int httpPort() {
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    boolean hasProperty(String key) {
        return properties.containsKey(key);
    }

    /** Whether the service calls the Kubernetes API (and so needs a ServiceAccount token). */
    boolean callsKubernetesApi() {
        return pom.contains("<artifactId>" + KUBERNETES_CLIENT + "</artifactId>");
    }

    /** Whether an HTTP request for {@code path} needs authentication (quarkus.http.auth.permission.*). */
    boolean requiresAuthentication(String path) {
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("quarkus.http.auth.permission.") && key.endsWith(".paths")) {
                String policy = properties.getProperty(key.substring(0, key.length() - ".paths".length()) + ".policy");
                boolean matches = java.util.Arrays.stream(properties.getProperty(key).split(",")).map(String::trim)
                        .anyMatch(p -> p.equals(path) || p.endsWith("/*") && path.startsWith(p.substring(0, p.length() - 1)));
                if (matches && !"permit".equals(policy)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether setting {@code variable} in the service's environment changes what it does. */
    boolean reads(String variable) {
        if (variables.contains(variable)) {
            return true;
        }
        String library = LIBRARY_VARIABLES.get(variable);
        if (library != null) {
            return pom.contains("<artifactId>" + library + "</artifactId>");
        }
        return mappings.entrySet().stream().anyMatch(m -> variable.startsWith(m.getKey() + "_")
                && isMemberPath(variable.substring(m.getKey().length() + 1), m.getValue(),
                        mapParents.getOrDefault(m.getKey(), Map.of())));
    }

    private void scan(String source) {
        Matcher property = CONFIG_PROPERTY.matcher(source);
        while (property.find()) {
            variables.add(envName(property.group(1)));
        }
        Matcher mapping = CONFIG_MAPPING.matcher(source);
        if (mapping.find()) {
            Set<String> members = new HashSet<>();
            Matcher member = MEMBER.matcher(source);
            while (member.find()) {
                // kebab-case, as SmallRye names a mapping's members: readyTimeout is ready-timeout
                members.add(envName(member.group(1).replaceAll("([a-z0-9])([A-Z])", "$1-$2")));
            }
            mappings.put(envName(mapping.group(1)), members);
            Map<String, Boolean> parents = new HashMap<>();
            Matcher map = MAP_MEMBER.matcher(source);
            while (map.find()) {
                boolean group = Pattern.compile("interface\\s+" + map.group(2) + "\\b").matcher(source).find();
                String parent = map.group(3);
                if (map.group(1) != null) {
                    // the keys sit where the enclosing interface does: under the member that returns it
                    String enclosing = null;
                    Matcher in = INTERFACE.matcher(source.substring(0, map.start()));
                    while (in.find()) {
                        enclosing = in.group(1);
                    }
                    Matcher returning = Pattern.compile("\\b" + enclosing + "\\s+(\\w+)\\(\\)\\s*;").matcher(source);
                    if (enclosing == null || !returning.find()) {
                        throw new IllegalStateException(module + ": cannot place the map " + parent + "() of " + enclosing);
                    }
                    parent = returning.group(1);
                }
                parents.put(envName(parent.replaceAll("([a-z0-9])([A-Z])", "$1-$2")), group);
            }
            mapParents.put(envName(mapping.group(1)), parents);
        }
    }

    /**
     * STATE_REPLICATION_FACTOR is a path of members: state, then replicationFactor. After a map's
     * member comes one key: GATES_SMOKE_URL is gate "smoke"'s url. Through the environment a key is
     * one word ({@code __SMOKE_TESTS__} would be the key "smoke.tests", never "smoke-tests").
     */
    private static boolean isMemberPath(String rest, Set<String> members, Map<String, Boolean> mapParents) {
        if (members.contains(rest)) {
            return true;
        }
        if (members.stream().anyMatch(m -> rest.startsWith(m + "_")
                && isMemberPath(rest.substring(m.length() + 1), members, mapParents))) {
            return true;
        }
        return mapParents.entrySet().stream().anyMatch(p -> {
            if (!rest.startsWith(p.getKey() + "_")) {
                return false;
            }
            String keyed = rest.substring(p.getKey().length() + 1);
            if (!p.getValue()) {
                return keyed.matches("[A-Z0-9]+(_[A-Z0-9]+)*");
            }
            int end = keyed.indexOf('_');
            return end > 0 && keyed.substring(0, end).matches("[A-Z0-9]+")
                    && isMemberPath(keyed.substring(end + 1), members, mapParents);
        });
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Repo.read(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return p;
    }
}
