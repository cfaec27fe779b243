package io.serin.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** {@link OperatorAccess} for a Quarkus test: the planner under test trusts its issuer and asks its API server. */
public class OperatorAccessResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return OperatorAccess.config();
    }

    @Override
    public void stop() {
        // shared by every test of this JVM; stopped with it
    }
}
