package io.serin.planner.api;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serin.planner.config.PlannerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides what a caller may do with releases by asking the Kubernetes API server, in the words
 * platform teams already write Roles in: verbs on the virtual resource {@code releases.serin.io} in
 * the target's namespace, named by the target workload (so {@code resourceNames} can narrow a Role to
 * one Deployment). Verbs: {@code create}, {@code get}, {@code list}, {@code promote}, {@code pause},
 * {@code resume}, {@code abort}, {@code retry}, {@code retire}. A review that fails (API server
 * unreachable, error) denies: the API fails closed. Decisions are reused for a short while.
 */
@ApplicationScoped
public class ReleaseAuthorizer {

    public static final String GROUP = "serin.io";
    public static final String RESOURCE = "releases";
    private static final Logger LOG = Logger.getLogger(ReleaseAuthorizer.class);
    private static final int MAX_CACHED = 10_000;

    /** Thrown when no decision could be had: the caller gets 503, never access. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Key(String user, java.util.Set<String> groups, String verb, String namespace, String name) {
    }

    private record Decision(Optional<String> whyNot, Instant until) {
    }

    private final KubernetesClient client;
    private final Duration ttl;
    private final Map<Key, Decision> cache = new ConcurrentHashMap<>();

    ReleaseAuthorizer(KubernetesClient client, PlannerConfig config) {
        this.client = client;
        this.ttl = config.authorization().cacheTtl();
    }

    /** Why {@code caller} may not {@code verb} the release of {@code name} in {@code namespace}; empty when it may. */
    public Optional<String> whyNot(Caller caller, String verb, String namespace, String name) {
        Key key = new Key(caller.user(), caller.groups(), verb, namespace, name);
        Instant now = Instant.now();
        Decision cached = cache.get(key);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.whyNot();
        }
        SubjectAccessReview review;
        try {
            review = client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                    .withNewSpec().withUser(caller.user()).withGroups(new ArrayList<>(caller.groups()))
                    .withNewResourceAttributes().withGroup(GROUP).withResource(RESOURCE).withVerb(verb)
                    .withNamespace(namespace).withName(name).endResourceAttributes().endSpec().build());
        } catch (RuntimeException e) {
            LOG.warnf("SubjectAccessReview for %s %s in %s failed: %s", caller.user(), verb, namespace, e.toString());
            throw new Unavailable("authorization is unavailable (the Kubernetes API server did not decide): "
                    + e.getMessage(), e);
        }
        boolean allowed = review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
        Optional<String> whyNot = allowed ? Optional.empty() : Optional.of("user '" + caller.user()
                + "' may not " + verb + " " + RESOURCE + "." + GROUP + " in namespace '" + namespace + "'"
                + (review.getStatus() != null && review.getStatus().getReason() != null
                        && !review.getStatus().getReason().isBlank() ? " (" + review.getStatus().getReason() + ")" : ""));
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, new Decision(whyNot, now.plus(ttl)));
        return whyNot;
    }
}
