package io.serin.deployment;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A rendered kustomization as fabric8 objects, with look-ups by kind and name. */
final class Manifests {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /**
     * Secrets no manifest holds because a committed value would be a known credential: the operator
     * creates them before applying, as k8s/README.md says, by namespace/name, with their keys.
     */
    static final Map<String, java.util.Set<String>> CREATED_BY_OPERATOR = Map.of(
            "serin/serin-planner-peers", java.util.Set.of("token"));

    private final List<Map<String, Object>> rendered;
    private final List<HasMetadata> objects;

    private Manifests(List<Map<String, Object>> rendered) {
        this.rendered = rendered;
        this.objects = rendered.stream().map(doc -> (HasMetadata) SERIALIZATION.unmarshal(SERIALIZATION.asJson(doc)))
                .toList();
    }

    /** Renders the kustomization in {@code dir}, relative to the repository root. */
    static Manifests render(String dir) {
        return new Manifests(Kustomize.render(Repo.path(dir)));
    }

    /** The rendering as plain maps, by kustomize's id, to compare with another rendering. */
    Map<String, Map<String, Object>> byId() {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        rendered.forEach(doc -> byId.put(Kustomize.id(doc), doc));
        return byId;
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<HasMetadata> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())
                && namespace.equals(o.getMetadata().getNamespace())).findFirst();
    }

    /** The service module a Deployment runs, by its component label: planner runs planner-service. */
    static String module(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/component") + "-service";
    }

    static Container container(Deployment d) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new IllegalStateException(d.getMetadata().getName() + " has " + containers.size() + " containers");
        }
        return containers.get(0);
    }

    /** The environment a Deployment's container gets; fails on a ConfigMap, Secret or key that does not exist. */
    Map<String, String> environment(Deployment d) {
        String ns = d.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>();
        Container c = container(d);
        for (EnvFromSource from : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
            if (from.getConfigMapRef() != null) {
                env.putAll(configMapData(ns, from.getConfigMapRef().getName(), d));
            } else {
                env.putAll(secretData(ns, from.getSecretRef().getName(), d));
            }
        }
        for (EnvVar var : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
            env.put(var.getName(), value(ns, var, d));
        }
        return env;
    }

    private String value(String ns, EnvVar var, Deployment d) {
        if (var.getValueFrom() == null) {
            return var.getValue();
        }
        if (var.getValueFrom().getConfigMapKeyRef() != null) {
            var ref = var.getValueFrom().getConfigMapKeyRef();
            return required(configMapData(ns, ref.getName(), d), ref.getKey(), ref.getName(), d);
        }
        if (var.getValueFrom().getFieldRef() != null) {
            // the downward API: known only in a running pod
            return "<" + var.getValueFrom().getFieldRef().getFieldPath() + ">";
        }
        var ref = var.getValueFrom().getSecretKeyRef();
        if (ref == null) {
            throw new AssertionError(d.getMetadata().getName() + ": " + var.getName() + " has an unsupported valueFrom");
        }
        return required(secretData(ns, ref.getName(), d), ref.getKey(), ref.getName(), d);
    }

    Map<String, String> configMapData(String ns, String name, HasMetadata user) {
        ConfigMap cm = find(ConfigMap.class, ns, name).orElseThrow(() -> new AssertionError(
                user.getMetadata().getName() + " refers to ConfigMap " + ns + "/" + name + ", which is not rendered"));
        return Optional.ofNullable(cm.getData()).orElse(Map.of());
    }

    Map<String, String> secretData(String ns, String name, HasMetadata user) {
        java.util.Set<String> operatorKeys = CREATED_BY_OPERATOR.get(ns + "/" + name);
        if (operatorKeys != null && find(Secret.class, ns, name).isEmpty()) {
            Map<String, String> data = new LinkedHashMap<>();
            operatorKeys.forEach(k -> data.put(k, "<created by the operator: " + ns + "/" + name + ">"));
            return data;
        }
        Secret secret = find(Secret.class, ns, name).orElseThrow(() -> new AssertionError(
                user.getMetadata().getName() + " refers to Secret " + ns + "/" + name + ", which is not rendered"));
        Map<String, String> data = new LinkedHashMap<>();
        Optional.ofNullable(secret.getData()).orElse(Map.of()).forEach((k, v) ->
                data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        data.putAll(Optional.ofNullable(secret.getStringData()).orElse(Map.of()));
        return data;
    }

    private static String required(Map<String, String> data, String key, String source, HasMetadata user) {
        if (!data.containsKey(key)) {
            throw new AssertionError(user.getMetadata().getName() + " refers to key " + key + " of " + source
                    + ", which has none");
        }
        return data.get(key);
    }
}
