package io.serin.analyzer.prometheus;

import io.serin.events.AnalysisCommand;
import io.serin.events.Limits;
import io.serin.events.MetricHistory;
import io.serin.events.SampleMessage;
import io.serin.events.SourceProblem.Reason;
import io.serin.events.Variant;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Sends the compared variant's history when an analysis starts (docs/prometheus.md): for every
 * robust sequential check on a ratio ({@link QueryPlan#history}), the increase of its numerator and
 * denominator on the variant it compares with, per step ({@link #step}: the rounds' interval), over
 * {@code [startAt - history, startAt)}, as one {@link MetricHistory} per analysis and variant. The
 * queries are the rounds' templates with the step as their window, evaluated by {@code query_range} at
 * the end of every step.
 *
 * <p>Runs on its own thread ({@code executor}), never on the reader's or the rounds' pool: a slow or
 * absent Prometheus delays histories, never a round. A history is queried {@code delay} after
 * {@code startAt} (at once for a start already past), when its last step has been scraped and
 * ingested, and only while the analysis is still polled by this instance. Any query of a variant that
 * fails or finds nothing means no history for that variant, logged once at WARN: the judge then
 * works without one. Prometheus unreachable or too slow ends the analysis' history queries at the
 * first such failure, so an outage costs one timeout per analysis.
 *
 * <p>Re-read start commands ({@code recovered}, after a restart or a partition move) get a history
 * only if they start at most {@link #RECENT} ago: the previous owner has most likely sent theirs,
 * and an analysis that has run longer has learnt from its own data. A history is published with a
 * stable event id ({@code <analysisId>/<variant>/history}), so a copy sent twice can be recognised.
 */
final class HistorySender {

    /** The shortest step of a history. */
    static final Duration MIN_STEP = Duration.ofSeconds(5);
    /** The longest step a history message may have. */
    static final Duration MAX_STEP = Duration.ofMinutes(1);
    /** The longest history a message can carry at the shortest step. */
    static final Duration MAX_HISTORY = MIN_STEP.multipliedBy(Limits.MAX_HISTORY_VALUES);
    /** How long after its start a re-read analysis still gets a history. */
    static final Duration RECENT = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(HistorySender.class);

    private final Map<String, QueryTemplate> templates;
    private final Duration history;
    private final Duration step;
    private final Duration delay;
    private final PrometheusClient client;
    private final BiConsumer<String, SampleMessage> publisher;
    private final SourceMetrics metrics;
    private final Schedule schedule;
    private final Clock clock;
    private final ScheduledExecutorService executor;

    /** @param publisher publishes a message of an analysis ({@link SamplePublisher#publish}) */
    HistorySender(Map<String, QueryTemplate> templates, Duration history, Duration step, Duration delay,
            PrometheusClient client,
            BiConsumer<String, SampleMessage> publisher, SourceMetrics metrics, Schedule schedule, Clock clock,
            ScheduledExecutorService executor) {
        this.templates = templates;
        this.history = history;
        this.step = step;
        this.delay = delay;
        this.client = client;
        this.publisher = publisher;
        this.metrics = metrics;
        this.schedule = schedule;
        this.clock = clock;
        this.executor = executor;
    }

    /**
     * The step of the histories: the rounds' interval, which the docs ask to be at least twice the
     * scrape interval so that {@code increase()} finds two scrapes in every window; at least
     * {@link #MIN_STEP}, at most {@link #MAX_STEP}.
     */
    static Duration step(Duration interval) {
        return interval.compareTo(MIN_STEP) < 0 ? MIN_STEP : interval.compareTo(MAX_STEP) > 0 ? MAX_STEP : interval;
    }

    /** The number of steps of a history of {@code history}, whole steps only. */
    int steps(Duration history) {
        return (int) Math.min(Limits.MAX_HISTORY_VALUES, history.toMillis() / step.toMillis());
    }

    /**
     * Called when the source starts following an analysis; schedules its history, if it gets one.
     * Never blocks.
     */
    void started(AnalysisCommand.Start start, boolean recovered) {
        if (steps(history) == 0) {
            return;
        }
        Instant now = clock.instant();
        if (recovered && start.startAt().isBefore(now.minus(RECENT))) {
            LOG.debugf("[%s] analysis %s re-read, started %s: no history (sent by the previous owner, or too late)",
                    start.releaseId(), start.analysisId(), start.startAt());
            return;
        }
        Map<Variant, List<String>> plan = QueryPlan.history(start.metrics(), templates.keySet());
        if (plan.isEmpty()) {
            return;
        }
        long wait = Math.max(0, Duration.between(now, start.startAt().plus(delay)).toMillis());
        try {
            executor.schedule(() -> send(start, plan), wait, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the source is closing
        }
    }

    /** Queries and publishes the histories of one analysis; on the history thread. */
    void send(AnalysisCommand.Start start, Map<Variant, List<String>> plan) {
        try {
            String down = null;
            for (Map.Entry<Variant, List<String>> entry : plan.entrySet()) {
                if (!schedule.tracks(start.releaseId(), start.analysisId())) {
                    LOG.debugf("[%s] analysis %s is no longer polled here: no history", start.releaseId(),
                            start.analysisId());
                    return;
                }
                Variant variant = entry.getKey();
                if (down != null) {
                    warn(start, variant, "not queried, " + down);
                    continue;
                }
                Fetched fetched = fetch(start, variant, entry.getValue());
                if (Thread.currentThread().isInterrupted()) {
                    return; // the source is closing
                }
                if (fetched.history() != null) {
                    publisher.accept(start.analysisId(), fetched.history());
                    metrics.history(true);
                    long measured = fetched.history().series().stream()
                            .mapToLong(s -> s.values().stream().filter(v -> v != null).count()).sum();
                    LOG.infof("[%s] analysis %s: sent the %s history of %s, %d steps of %s from %s (%d of %d values "
                            + "measured)", start.releaseId(), start.analysisId(), variant.label(), entry.getValue(),
                            steps(history), step, fetched.history().start(), measured,
                            (long) steps(history) * entry.getValue().size());
                } else {
                    warn(start, variant, fetched.problem());
                    if (fetched.down() != null) {
                        down = fetched.down();
                    }
                }
            }
        } catch (RuntimeException e) {
            // never lets one analysis' history end the history thread's work for the others
            LOG.errorf(e, "[%s] analysis %s: sending the history failed", start.releaseId(), start.analysisId());
        }
    }

    private void warn(AnalysisCommand.Start start, Variant variant, String problem) {
        metrics.history(false);
        LOG.warnf("[%s] analysis %s: no %s history, its sequential checks start without one: %s", start.releaseId(),
                start.analysisId(), variant.label(), problem);
    }

    /** A history, or why there is none ({@code down}: why Prometheus should not be asked again now). */
    record Fetched(MetricHistory history, String problem, String down) {
    }

    /** The history of {@code metrics} of one variant: every query must give at least one value. */
    Fetched fetch(AnalysisCommand.Start start, Variant variant, List<String> metrics) {
        int steps = steps(history);
        Instant end = start.startAt().truncatedTo(ChronoUnit.MILLIS);
        Instant from = end.minus(step.multipliedBy(steps));
        List<MetricHistory.Series> series = new ArrayList<>();
        Map<String, String> problems = new LinkedHashMap<>();
        for (String metric : metrics) {
            String query = templates.get(metric).render(start.target().namespace(), start.target().name(),
                    variant.label(), step, start.releaseId());
            RangeResult result = client.queryRange(query, from.plus(step), end, step, steps);
            if (result instanceof RangeResult.Steps values) {
                series.add(new MetricHistory.Series(metric, values.values()));
                continue;
            }
            RangeResult.Failed failed = (RangeResult.Failed) result;
            String problem = metric + ": " + failed.reason() + ": " + failed.detail() + " (query: " + query + ")";
            if (failed.reason() == Reason.TIMEOUT || failed.reason() == Reason.UNAVAILABLE) {
                return new Fetched(null, problem, failed.reason() + ": " + failed.detail());
            }
            problems.put(metric, problem);
        }
        if (!problems.isEmpty()) {
            return new Fetched(null, String.join("; ", problems.values()), null);
        }
        MetricHistory message = new MetricHistory(start.releaseId(), variant, from, step, List.copyOf(series));
        String invalid = message.problem();
        return invalid == null ? new Fetched(message, null, null) : new Fetched(null, invalid, null);
    }
}
