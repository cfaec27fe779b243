package io.serin.planner.api;

import io.quarkus.security.identity.SecurityIdentity;
import io.serin.planner.config.PlannerConfig;

import java.util.Set;
import java.util.TreeSet;

/**
 * Who is calling, as the verified bearer token says and nothing else: the token's subject (with the
 * configured prefix) is the user that requests, actions and authorization decisions name; its
 * {@code groups} claim gives the groups. Names in Kubernetes' reserved {@code system:} space are not
 * taken from a token: such a user is refused, such a group ignored.
 */
record Caller(String user, Set<String> groups) {

    /** The prefix of Kubernetes' reserved users and groups. */
    static final String SYSTEM = "system:";

    static Caller of(SecurityIdentity identity, PlannerConfig.Authorization config) {
        if (identity == null || identity.isAnonymous()) {
            throw new IllegalStateException("no authenticated caller: the API's routes require a bearer token");
        }
        Set<String> groups = new TreeSet<>();
        String groupsPrefix = config.groupsPrefix().orElse("");
        for (String g : identity.getRoles()) {
            // Kubernetes' own groups (system:masters, system:nodes …) are the API server's to assign; a
            // token that names one (a provider whose users shape their groups) gets nothing from it
            if (!(groupsPrefix + g).startsWith(SYSTEM)) {
                groups.add(groupsPrefix + g);
            }
        }
        String user = config.usernamePrefix().orElse("") + identity.getPrincipal().getName();
        if (user.startsWith(SYSTEM)) {
            throw new io.quarkus.security.ForbiddenException("user names starting with 'system:' are Kubernetes' "
                    + "own and never accepted from a token");
        }
        return new Caller(user, Set.copyOf(groups));
    }
}
