package io.serin.executor.http;

import io.serin.events.ExecutorCommand;
import io.serin.events.FailureReason;
import io.serin.events.Webhook;
import io.serin.events.WorkloadRef;
import io.serin.executor.execute.ExecutionFailure;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gate rule: named gates of the configuration, or plain URLs on allowed hosts; nothing else. */
class GateDestinationsTest {

    private static final WorkloadRef TARGET = new WorkloadRef(WorkloadRef.DEPLOYMENT, "payments", "payment-gateway");

    private static ExecutorCommand.CheckGate gate(String url) {
        return new ExecutorCommand.CheckGate("r1/gate", "r1", TARGET, null, "approval", new Webhook(url));
    }

    @Test
    void allowsExactHostsAndSubdomainsOfAWildcard() {
        GateDestinations rule = new GateDestinations(Map.of(), List.of("ci.example.com", "*.gates.example.org"));
        assertThat(rule.of(gate("https://ci.example.com/hook")).url().getHost()).isEqualTo("ci.example.com");
        assertThat(rule.of(gate("https://CI.Example.com/hook")).url()).isNotNull();
        assertThat(rule.of(gate("https://a.gates.example.org/x")).url()).isNotNull();
        assertThat(rule.of(gate("https://a.b.gates.example.org/x")).url()).isNotNull();
        for (String refused : List.of("https://gates.example.org/x", "https://evilgates.example.org/x",
                "https://ci.example.com.evil.io/x", "https://evil.io/x?u=ci.example.com",
                "https://ci.example.com@evil.io/x", "http://x.ci.example.com/")) {
            assertThatThrownBy(() -> rule.of(gate(refused))).as(refused).isInstanceOfSatisfying(ExecutionFailure.class,
                    e -> {
                        assertThat(e.reason()).isEqualTo(FailureReason.FORBIDDEN);
                        assertThat(e.getMessage()).contains("is not allowed");
                    });
        }
    }

    @Test
    void allowsNoPlainUrlWhenNoHostIsConfigured() {
        GateDestinations rule = new GateDestinations(Map.of(), List.of());
        assertThatThrownBy(() -> rule.of(gate("https://ci.example.com/hook?token=s3cr3t")))
                .isInstanceOfSatisfying(ExecutionFailure.class, e -> assertThat(e.getMessage())
                        .contains("host 'ci.example.com'", "none").doesNotContain("s3cr3t"));
    }

    @Test
    void takesANamedGateFromTheConfigurationOnly() {
        GateDestinations rule = new GateDestinations(Map.of("smoke-tests", new HttpWebhookGates.Named(
                "https://ci.example.com/hook?token=s3cr3t", Optional.empty(), Map.of("X-Token", "t"))), List.of());
        GateDestinations.Destination to = rule.of(gate("gate:smoke-tests"));
        assertThat(to.url().toString()).isEqualTo("https://ci.example.com/hook?token=s3cr3t");
        assertThat(to.shown()).isEqualTo("https://ci.example.com/hook");
        assertThat(to.headers()).containsEntry("X-Token", "t");
        assertThatThrownBy(() -> rule.of(gate("gate:nope"))).isInstanceOfSatisfying(ExecutionFailure.class,
                e -> assertThat(e.getMessage()).contains("unknown named gate 'nope'"));
    }

    @Test
    void refusesAtStartANamedGateItCouldNeverCall() {
        assertThatThrownBy(() -> new GateDestinations(Map.of("bad", new HttpWebhookGates.Named(
                "ftp://ops:s3cr3t@ci.example.com/x", Optional.empty(), Map.of())), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> new GateDestinations(Map.of("bad", new HttpWebhookGates.Named(
                "https://ci.example.com/x", Optional.empty(), Map.of("X-Evil", "a\r\nHost: evil.io"))), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
