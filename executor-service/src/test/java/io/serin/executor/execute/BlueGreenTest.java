package io.serin.executor.execute;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.serin.events.ExecutorCommand;
import io.serin.events.FailureReason;
import io.serin.events.TrafficRouting;
import io.serin.events.TrafficState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Blue-green by Service selector: preview, switch, promote and roll back, against the mock API server. */
class BlueGreenTest extends RouterTestBase {

    private static final String ACTIVE = "payment-gateway";
    private static final String PREVIEW = "payment-gateway-preview";
    private static final Map<String, String> ORIGINAL = Map.of("app", "payment-gateway");
    private static final Map<String, String> BLUE = Map.of("app", "payment-gateway", "serin.io/variant", "stable");
    private static final Map<String, String> GREEN = Map.of("app", "payment-gateway", "serin.io/variant", "canary");

    @Override
    TrafficRouting routing() {
        return new TrafficRouting.ReplicaRatio();
    }

    @BeforeEach
    void markTheActiveServiceAsTheTeamsOwn() {
        kube.services().inNamespace(ns).withName(ACTIVE).edit(s -> {
            s.getMetadata().setAnnotations(Map.of("team", "payments"));
            s.getSpec().setSessionAffinity("ClientIP");
            return s;
        });
    }

    private ExecutorCommand.DeployPreview preview(String tag) {
        return new ExecutorCommand.DeployPreview("r1/preview", "r1", target, image(tag), ACTIVE, PREVIEW);
    }

    private ExecutorCommand.SwitchActive switchActive() {
        return new ExecutorCommand.SwitchActive("r1/switch", "r1", target, ACTIVE);
    }

    private ExecutorCommand.PromoteBlueGreen promoteBlueGreen() {
        return new ExecutorCommand.PromoteBlueGreen("r1/promote", "r1", target, image("v2"), ACTIVE, PREVIEW);
    }

    private ExecutorCommand.RollbackBlueGreen rollbackBlueGreen() {
        return new ExecutorCommand.RollbackBlueGreen("r1/rollback", "r1", target, ACTIVE, PREVIEW, "smoke tests failed");
    }

    private Map<String, String> selector(String service) {
        return service(service).getSpec().getSelector();
    }

    private void assertActiveAsTheTeamLeftIt() {
        Service active = service(ACTIVE);
        assertThat(active.getSpec().getSelector()).isEqualTo(ORIGINAL);
        assertThat(active.getMetadata().getAnnotations()).isEqualTo(Map.of("team", "payments"));
        assertThat(active.getSpec().getSessionAffinity()).isEqualTo("ClientIP");
    }

    @Test
    void deploysAFullSizeGreenBehindANewPreviewServiceWhileClientsStayOnBlue() {
        assertThat(succeeded(preview("v2"))).isEqualTo(new TrafficState(0, 3, 3));

        var green = deployment("payment-gateway-canary");
        assertThat(green.getSpec().getReplicas()).as("the target's replica count").isEqualTo(3);
        assertThat(imageOf(green)).isEqualTo(IMAGE + "v2");
        assertThat(green.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("serin.io/variant", "canary").containsEntry("serin.io/release", "r1");
        assertThat(imageOf(deployment("payment-gateway"))).isEqualTo(IMAGE + "v1");

        Service preview = service(PREVIEW);
        assertThat(preview.getSpec().getSelector()).isEqualTo(GREEN);
        assertThat(preview.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(80));
        assertThat(preview.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "serin")
                .containsEntry("serin.io/release", "r1");

        // green copies blue's labels, so the active Service is pinned to blue before green starts
        assertThat(selector(ACTIVE)).isEqualTo(BLUE);
        assertThat(deployment("payment-gateway").getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("serin.io/variant", "stable");
        assertThat(service(ACTIVE).getMetadata().getAnnotations()).containsEntry("team", "payments")
                .containsEntry("serin.io/original-selector", "{\"app\":\"payment-gateway\"}");
    }

    @Test
    void givesTheSameObjectsAndResultWhenEachStepIsAppliedTwice() {
        TrafficState first = succeeded(preview("v2"));
        String green = version(deployment("payment-gateway-canary"));
        String active = version(service(ACTIVE));
        String preview = version(service(PREVIEW));
        assertThat(succeeded(preview("v2"))).isEqualTo(first);
        assertThat(version(deployment("payment-gateway-canary"))).isEqualTo(green);
        assertThat(version(service(ACTIVE))).isEqualTo(active);
        assertThat(version(service(PREVIEW))).isEqualTo(preview);

        TrafficState switched = succeeded(switchActive());
        active = version(service(ACTIVE));
        assertThat(succeeded(switchActive())).isEqualTo(switched);
        assertThat(version(service(ACTIVE))).isEqualTo(active);

        succeeded(promoteBlueGreen());
        String target = version(deployment("payment-gateway"));
        active = version(service(ACTIVE));
        succeeded(promoteBlueGreen());
        assertThat(version(deployment("payment-gateway"))).isEqualTo(target);
        assertThat(version(service(ACTIVE))).isEqualTo(active);
    }

    @Test
    void switchesTheActiveServiceToGreenOnlyAndKeepsBlueRunning() {
        succeeded(preview("v2"));
        assertThat(succeeded(switchActive())).isEqualTo(new TrafficState(100, 3, 3));

        assertThat(selector(ACTIVE)).isEqualTo(GREEN);
        assertThat(service(ACTIVE).getMetadata().getAnnotations())
                .containsEntry("serin.io/original-selector", "{\"app\":\"payment-gateway\"}");
        assertThat(service(ACTIVE).getSpec().getSessionAffinity()).isEqualTo("ClientIP");
        assertThat(deployment("payment-gateway").getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(imageOf(deployment("payment-gateway"))).isEqualTo(IMAGE + "v1");
    }

    @Test
    void promotesBlueToTheNewVersionThenRestoresTheSelectorsAndRemovesGreen() {
        succeeded(preview("v2"));
        succeeded(switchActive());
        succeeded(promoteBlueGreen());

        var blue = deployment("payment-gateway");
        assertThat(imageOf(blue)).isEqualTo(IMAGE + "v2");
        assertThat(blue.getStatus().getReadyReplicas()).isEqualTo(3);
        assertActiveAsTheTeamLeftIt();
        assertThat(service(PREVIEW)).as("Serin made it, Serin removes it").isNull();
        assertThat(deployment("payment-gateway-canary")).isNull();
    }

    @Test
    void consecutiveReleasesGoFromV1ToV2ToV3() {
        for (String[] release : new String[][] {{"r1", "v2"}, {"r2", "v3"}}) {
            String id = release[0];
            var to = image(release[1]);
            succeeded(new ExecutorCommand.DeployPreview(id + "/preview", id, target, to, ACTIVE, PREVIEW));
            assertThat(selector(ACTIVE)).as("clients on blue while %s previews", id).isEqualTo(BLUE);
            succeeded(new ExecutorCommand.SwitchActive(id + "/switch", id, target, ACTIVE));
            assertThat(selector(ACTIVE)).isEqualTo(GREEN);
            succeeded(new ExecutorCommand.PromoteBlueGreen(id + "/promote", id, target, to, ACTIVE, PREVIEW));
            assertThat(imageOf(deployment("payment-gateway"))).isEqualTo(IMAGE + release[1]);
            assertActiveAsTheTeamLeftIt();
            assertThat(deployment("payment-gateway-canary")).isNull();
            assertThat(service(PREVIEW)).isNull();
        }
    }

    @Test
    void rollsBackToBlueAndRemovesGreenAndThePreviewItMade() {
        succeeded(preview("v2"));
        succeeded(switchActive());
        assertThat(succeeded(rollbackBlueGreen())).isEqualTo(new TrafficState(0, 0, 3));

        assertActiveAsTheTeamLeftIt();
        assertThat(imageOf(deployment("payment-gateway"))).isEqualTo(IMAGE + "v1");
        assertThat(deployment("payment-gateway-canary")).isNull();
        assertThat(service(PREVIEW)).isNull();
        succeeded(rollbackBlueGreen());
    }

    @Test
    void onlyRepointsAndLaterRestoresAPreviewServiceTheTeamMade() {
        create(new ServiceBuilder().withNewMetadata().withName(PREVIEW).addToLabels("team", "payments").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "payment-gateway", "track", "preview"))
                    .addNewPort().withPort(8080).withNewTargetPort("http").endPort()
                .endSpec().build());
        succeeded(preview("v2"));
        Service preview = service(PREVIEW);
        assertThat(preview.getSpec().getSelector()).isEqualTo(GREEN);
        assertThat(preview.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
        assertThat(preview.getMetadata().getLabels()).isEqualTo(Map.of("team", "payments"));

        succeeded(rollbackBlueGreen());
        assertThat(service(PREVIEW)).as("not Serin's to delete").isNotNull();
        assertThat(selector(PREVIEW)).isEqualTo(Map.of("app", "payment-gateway", "track", "preview"));
        assertThat(service(PREVIEW).getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void leavesAnActiveServiceThatAlreadyTellsBlueApartUnpinned() {
        // e.g. narrowed by an earlier routed release: blue's pods are labelled stable already
        kube.apps().deployments().inNamespace(ns).withName("payment-gateway").edit(d -> {
            d.getSpec().getTemplate().getMetadata().getLabels().put("serin.io/variant", "stable");
            return d;
        });
        kube.services().inNamespace(ns).withName(ACTIVE).edit(s -> {
            s.getSpec().setSelector(BLUE);
            return s;
        });
        succeeded(preview("v2"));
        assertThat(service(ACTIVE).getMetadata().getAnnotations()).doesNotContainKey("serin.io/original-selector");
        succeeded(switchActive());
        assertThat(selector(ACTIVE)).isEqualTo(GREEN);
        succeeded(rollbackBlueGreen());
        assertThat(selector(ACTIVE)).isEqualTo(BLUE);
    }

    @Test
    void failsNotReadyWhenGreenNeverGetsReadyAndLeavesClientsOnBlue() {
        assertThat(failed(preview("v2-broken"), FailureReason.NOT_READY).message())
                .contains("payment-gateway-canary", "ProgressDeadlineExceeded");
        assertThat(selector(ACTIVE)).isEqualTo(BLUE);
        assertThat(failed(switchActive(), FailureReason.NOT_READY).message()).contains("ProgressDeadlineExceeded");
        assertThat(selector(ACTIVE)).as("never switched to pods that are not ready").isEqualTo(BLUE);
        succeeded(rollbackBlueGreen());
        assertActiveAsTheTeamLeftIt();
    }

    @Test
    void refusesToSwitchWithoutGreen() {
        assertThat(failed(switchActive(), FailureReason.NOT_FOUND).message()).contains("DeployPreview");
        assertActiveAsTheTeamLeftIt();
    }

    @Test
    void neverActsOnAnotherReleasesGreen() {
        succeeded(preview("v2"));
        String green = version(deployment("payment-gateway-canary"));
        ExecutorCommand.DeployPreview other = new ExecutorCommand.DeployPreview("r2/preview", "r2", target,
                image("v3"), ACTIVE, PREVIEW);
        assertThat(failed(other, FailureReason.INVALID).message()).contains("release 'r1'");
        assertThat(failed(new ExecutorCommand.SwitchActive("r2/switch", "r2", target, ACTIVE), FailureReason.INVALID)
                .message()).contains("release 'r1'");
        assertThat(succeededWith(new ExecutorCommand.RollbackBlueGreen("r2/rollback", "r2", target, ACTIVE, PREVIEW,
                "its own failure")).summary()).contains("left untouched");
        assertThat(version(deployment("payment-gateway-canary"))).isEqualTo(green);
        assertThat(service(PREVIEW)).isNotNull();
    }

    @Test
    void refusesTheSameServiceAsActiveAndPreview() {
        assertThat(failed(new ExecutorCommand.DeployPreview("r1/preview", "r1", target, image("v2"), ACTIVE, ACTIVE),
                FailureReason.INVALID).message()).contains("both 'payment-gateway'");
    }
}
