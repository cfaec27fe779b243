package io.serin.planner.api;

import io.serin.planner.config.PlannerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often one user may write (request a release, act on one): a token bucket per user, refilled at
 * {@code writes-per-minute} up to {@code write-burst}. A caller over its rate gets 429 with the
 * seconds to wait. Per planner instance: with N instances behind a load balancer a user gets up to N
 * times the rate.
 */
@ApplicationScoped
public class WriteLimiter {

    private static final int MAX_USERS = 100_000;

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    private final double perNano;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    WriteLimiter(PlannerConfig config) {
        this.perNano = config.api().writesPerMinute() / 60e9;
        this.burst = Math.max(1, config.api().writeBurst());
    }

    /** Takes one write from {@code user}'s bucket: empty when it may write, else the seconds to wait. */
    public OptionalLong take(String user) {
        long now = System.nanoTime();
        if (buckets.size() >= MAX_USERS) {
            buckets.clear();
        }
        Bucket bucket = buckets.computeIfAbsent(user, u -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) * perNano);
            bucket.refilledAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return OptionalLong.empty();
            }
            return OptionalLong.of(perNano <= 0 ? 60 : (long) Math.ceil((1 - bucket.tokens) / perNano / 1e9));
        }
    }
}
