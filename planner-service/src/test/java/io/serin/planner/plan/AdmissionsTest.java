package io.serin.planner.plan;

import org.junit.jupiter.api.Test;

import static io.serin.planner.plan.Admissions.Outcome.Kind.ADMITTED;
import static io.serin.planner.plan.Admissions.Outcome.Kind.QUEUED;
import static io.serin.planner.plan.Admissions.Outcome.Kind.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

class AdmissionsTest {

    private final Admissions admissions = new Admissions(2);

    @Test
    void admitsTheFirstQueuesTheNextInOrderAndRejectsBeyondTheLimit() {
        var r1 = admissions.request(Requests.canary("r1"), null);
        assertThat(r1.outcomes()).singleElement().satisfies(o -> assertThat(o.kind()).isEqualTo(ADMITTED));
        var r2 = admissions.request(Requests.canary("r2"), r1.state());
        var r3 = admissions.request(Requests.canary("r3"), r2.state());
        assertThat(r3.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(QUEUED);
            assertThat(o.behind()).isEqualTo("r1");
            assertThat(o.position()).isEqualTo(2);
        });
        var r4 = admissions.request(Requests.canary("r4"), r3.state());
        assertThat(r4.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(REJECTED);
            assertThat(o.reason()).contains("'r1' is active on payments/payment-gateway", "queue-limit=2");
        });

        var next = admissions.released("r1", r4.state());
        assertThat(next.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(ADMITTED);
            assertThat(o.releaseId()).isEqualTo("r2");
        });
        assertThat(next.state().waiting()).extracting(r -> r.releaseId()).containsExactly("r3");
    }

    @Test
    void askingAgainChangesNothingAndAStrangerLeavingChangesNothing() {
        var r1 = admissions.request(Requests.canary("r1"), null);
        var r2 = admissions.request(Requests.canary("r2"), r1.state());
        assertThat(admissions.request(Requests.canary("r1"), r2.state()).outcomes()).isEmpty();
        assertThat(admissions.request(Requests.canary("r2"), r2.state()).outcomes()).isEmpty();
        var stranger = admissions.released("rx", r2.state());
        assertThat(stranger.outcomes()).isEmpty();
        assertThat(stranger.state()).isEqualTo(r2.state());
    }

    @Test
    void aWithdrawnWaiterLeavesTheQueueAndTheLastOneOutFreesTheTarget() {
        var r1 = admissions.request(Requests.canary("r1"), null);
        var r2 = admissions.request(Requests.canary("r2"), r1.state());
        var withdrawn = admissions.released("r2", r2.state());
        assertThat(withdrawn.state().waiting()).isEmpty();
        assertThat(admissions.released("r1", withdrawn.state()).state()).isNull();
    }

    @Test
    void aLimitOfZeroRejectsEveryRequestForABusyTarget() {
        var none = new Admissions(0);
        var r1 = none.request(Requests.canary("r1"), null);
        assertThat(none.request(Requests.canary("r2"), r1.state()).outcomes()).singleElement()
                .satisfies(o -> assertThat(o.reason()).contains("does not queue"));
    }
}
