package io.serin.notifier.notify;

import io.serin.events.Notifications;
import io.serin.events.Severity;
import io.serin.events.WorkloadRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest {

    private static final WorkloadRef GATEWAY = new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway");
    private static final WorkloadRef LEDGER = new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "ledger");
    private static final WorkloadRef SHOP = new WorkloadRef(WorkloadRef.DEPLOYMENT, "shop", "cart");

    private final Router router = new Router(List.of(
            new Route("payments", List.of("payments-slack"), Optional.of("payments"), Optional.empty(), Severity.INFO),
            new Route("gateway-oncall", List.of("oncall-teams"), Optional.of("payments"),
                    Optional.of("payment-gateway"), Severity.ERROR),
            new Route("audit", List.of("audit-hook"), Optional.empty(), Optional.empty(), Severity.WARN)),
            Map.of("payments-slack", true, "oncall-teams", false, "audit-hook", true, "release-discord", true));

    @Test
    void sendsEveryStepOfANamespaceToItsChannel() {
        assertThat(router.route(LEDGER, Severity.INFO, null).channels()).containsExactly("payments-slack");
        assertThat(router.route(SHOP, Severity.INFO, null).channels()).isEmpty();
    }

    @Test
    void addsChannelsWhoseMinimumSeverityTheEventReaches() {
        assertThat(router.route(GATEWAY, Severity.WARN, null).channels())
                .containsExactly("payments-slack", "audit-hook");
        assertThat(router.route(GATEWAY, Severity.ERROR, null).channels())
                .containsExactly("payments-slack", "oncall-teams", "audit-hook");
        assertThat(router.route(LEDGER, Severity.ERROR, null).channels())
                .containsExactly("payments-slack", "audit-hook");
    }

    @Test
    void matchesOnlyUnscopedRoutesWhenTheTargetIsUnknown() {
        assertThat(router.route(null, Severity.ERROR, null).channels()).containsExactly("audit-hook");
    }

    @Test
    void letsARequestAddChannelsAtItsOwnMinimumSeverity() {
        Notifications errorsOnly = new Notifications(List.of("release-discord"), Severity.ERROR);

        assertThat(router.route(SHOP, Severity.INFO, errorsOnly).channels()).isEmpty();
        assertThat(router.route(SHOP, Severity.ERROR, errorsOnly).channels())
                .containsExactly("audit-hook", "release-discord");
        assertThat(router.route(SHOP, Severity.INFO, new Notifications(List.of("release-discord"), null)).channels())
                .containsExactly("release-discord");
    }

    @Test
    void neverLetsARequestQuietenAConfiguredRoute() {
        Notifications quiet = new Notifications(List.of("payments-slack"), Severity.ERROR);

        assertThat(router.route(LEDGER, Severity.INFO, quiet).channels()).containsExactly("payments-slack");
    }

    @Test
    void sendsAnEventOnceToAChannelChosenTwice() {
        Notifications again = new Notifications(List.of("payments-slack", "payments-slack"), Severity.INFO);

        assertThat(router.route(LEDGER, Severity.INFO, again).channels()).containsExactly("payments-slack");
    }

    @Test
    void refusesRequestedChannelsThatAreUnknownOrNotRequestable() {
        Notifications request = new Notifications(List.of("nope", "oncall-teams"), Severity.INFO);

        Router.Decision decision = router.route(SHOP, Severity.INFO, request);

        assertThat(decision.channels()).isEmpty();
        assertThat(decision.refused()).containsExactly("nope (not configured)", "oncall-teams (not requestable)");
    }

    @Test
    void rejectsARouteToAChannelThatIsNotConfigured() {
        assertThatThrownBy(() -> new Router(List.of(new Route("r", List.of("ghost"), Optional.empty(),
                Optional.empty(), Severity.INFO)), Map.of("real", true)))
                .hasMessageContaining("route 'r' names channel 'ghost'");
    }
}
