package io.serin.analyzer.prometheus;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Prometheus source (docs/prometheus.md): a {@link CommandReader} learns which analyses run, a
 * {@link Schedule} says which rounds are due, a ticker hands due rounds to a {@link RoundRunner},
 * whose queries run on a pool of {@code concurrency} threads; results go to serin.metrics.samples.
 * When an analysis starts, a {@link HistorySender} sends the history of the variants its sequential
 * checks compare with, from a thread of its own. Four kinds of threads, none of them a Kafka Streams
 * thread.
 */
final class PrometheusSource implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PrometheusSource.class);

    private final SourceSettings settings;
    private final Clock clock;
    private final Schedule schedule;
    private final SamplePublisher publisher;
    private final CommandReader reader;
    private final ExecutorService queryPool;
    private final ScheduledExecutorService ticker;
    private final ScheduledExecutorService historyThread;
    private final RoundRunner runner;

    PrometheusSource(SourceSettings settings, String bootstrapServers, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.schedule = new Schedule(settings.interval(), settings.delay());
        SourceMetrics metrics = new SourceMetrics(registry, settings.templates().keySet());
        Gauge.builder("serin.analyzer.prometheus.analyses", schedule, Schedule::size)
                .description("Analyses the Prometheus source polls on this instance").register(registry);
        this.publisher = new SamplePublisher(bootstrapServers, settings.source(), clock, metrics);
        PrometheusClient client = new PrometheusClient(settings.url(), settings.connectTimeout(), settings.timeout());
        this.historyThread = Executors.newSingleThreadScheduledExecutor(daemon("prometheus-source-history"));
        HistorySender history = new HistorySender(settings.templates(), settings.history(),
                HistorySender.step(settings.interval()), settings.delay(), client,
                publisher::publish, metrics, schedule, clock, historyThread);
        this.reader = new CommandReader(bootstrapServers, settings.groupId(), schedule,
                start -> QueryPlan.groups(start.metrics(), settings.templates().keySet()), history::started, clock,
                settings.maxAnalysis());
        this.queryPool = Executors.newFixedThreadPool(settings.concurrency(), daemon("prometheus-source-query"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("prometheus-source-ticker"));
        this.runner = new RoundRunner(settings.templates(), client, publisher, metrics, queryPool);
    }

    void start() {
        reader.start();
        long tick = settings.tick().toMillis();
        ticker.scheduleWithFixedDelay(this::runDue, tick, tick, TimeUnit.MILLISECONDS);
        LOG.infof("Prometheus source queries %s every %s (delay %s, timeout %s, history %s) for metrics %s",
                settings.url(), settings.interval(), settings.delay(), settings.timeout(), settings.history(),
                settings.templates().keySet());
    }

    boolean ready() {
        return reader.assigned();
    }

    private void runDue() {
        // an exception escaping a scheduled task would silently end the schedule
        try {
            for (Round round : schedule.due(clock.instant())) {
                runner.run(round);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Prometheus source could not start due rounds");
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        reader.close();
        // a history under way is abandoned: its query is interrupted, and nothing is published
        historyThread.shutdownNow();
        queryPool.shutdown();
        try {
            if (!queryPool.awaitTermination(settings.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                queryPool.shutdownNow();
            }
            historyThread.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            queryPool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
