package io.serin.executor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the executor can be told, under {@code serin.executor}. */
@ConfigMapping(prefix = "serin.executor")
public interface ExecutorConfig {

    /** How long a workload may take to become ready before the command fails with NOT_READY. */
    @WithDefault("10m")
    Duration readyTimeout();

    /** How long one API call is retried on conflicts and transient errors before failing with TIMEOUT. */
    @WithDefault("30s")
    Duration apiDeadline();

    /**
     * How long one attempt to publish a result (or a dead letter) may take. A failed attempt is
     * tried again, after {@link #publishBackoff()}, until it succeeds: the command's offset is
     * committed only then, and the consumer keeps running meanwhile.
     */
    @WithDefault("30s")
    Duration publishTimeout();

    /**
     * The wait before the first retry of a publication that failed; it doubles with each failure
     * up to {@link #publishMaxBackoff()}.
     */
    @WithDefault("500ms")
    Duration publishBackoff();

    /** The longest wait between two attempts to publish: how soon after an outage publishing resumes. */
    @WithDefault("10s")
    Duration publishMaxBackoff();

    /**
     * How old a command that moves a release forward may be when it arrives (measured from the
     * CloudEvent {@code time} its planner gave it); an older one is refused as stale, with no effect.
     * Rollbacks are exempt. Keep it at least the longest progress deadline releases use (the
     * planner's default is 15m): the planner waits that long for a command's result and has given
     * up on it afterwards.
     */
    @WithDefault("15m")
    Duration commandMaxAge();

    /**
     * How long a rolled-back canary keeps its pods after all traffic went back to stable (routed
     * modes): time for requests in flight to finish and for a look at its logs. Zero removes them
     * at once. The wait blocks no other command.
     */
    @WithDefault("0s")
    Duration abortDelay();

    /**
     * Which destinations webhook gates may call. Namespaces and images are not set here but under
     * {@code serin.policy}, shared by every service ({@link PolicyConfig}).
     */
    Gates gates();

    /** CloudEvents {@code source} of the results. */
    @WithDefault("urn:serin:executor")
    String source();

    /**
     * The gate rule: the executor calls only destinations its operator allowed. A request names a
     * gate configured here ({@code gate:<name>}), whose URL, secrets included, never travels
     * through Kafka, or gives a plain http(s) URL whose host is in {@link #allowedHosts()}. Either
     * way every address the host resolves to must be public, unless {@link #allowedNetworks()}
     * allows it. See docs/executor.md.
     */
    interface Gates {

        /** Gates by name: {@code serin.executor.gates."smoke-tests".url=https://ci.example.com/hook?token=…}. */
        @WithParentName
        Map<String, NamedGate> named();

        /** Hosts plain gate URLs may name: exact, or {@code *.example.com} for its subdomains; unset allows none. */
        Optional<List<String>> allowedHosts();

        /**
         * Networks (CIDR, e.g. {@code 10.20.0.0/16}, {@code 127.0.0.1/32}) a gate may resolve to although
         * they are loopback, private, link-local or otherwise not public; unset allows public addresses only.
         */
        Optional<List<String>> allowedNetworks();

        /**
         * How many gates are asked at the same time. A gate is asked beside the command lane, so that
         * a slow gate delays only its own release; past this many, gates wait for a free place.
         */
        @WithDefault("8")
        int concurrency();
    }

    /** A gate the operator configured: where it is, and what it needs. */
    interface NamedGate {

        /** May carry a secret token (in user info or query); shown only without them. */
        String url();

        /** Overrides the request's timeout; capped by {@code Limits.MAX_GATE_TIMEOUT} like any other. */
        Optional<Duration> timeout();

        /** Sent with every call, e.g. {@code Authorization}; never shown. */
        Map<String, String> headers();
    }
}
