package io.serin.sandbox.traffic;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * One variant's series over time. Counts are whole, the fractions carried to the next tick, so a
 * run is repeatable and nothing is lost to rounding: over any number of ticks the requests are the
 * expected ones rounded down, errors follow from whole requests (never more than them in a tick),
 * and each latency bucket counts its expected share of them rounded down, so a rare slow answer
 * shows up when it is due, not early.
 */
final class Meter {

    private double requests;
    private double errors;
    private final double[] buckets = new double[LatencyModel.BOUNDS.length + 1];

    /** One tick's counts: the variant got {@code expected} requests (fractional) and answered as {@code behaviour}. */
    Tally add(double expected, Behaviour behaviour) {
        requests += Math.max(0, expected);
        long whole = (long) Math.floor(requests);
        requests -= whole;
        errors += whole * behaviour.errorRate();
        long failed = (long) Math.floor(errors);
        errors -= failed;
        double[] p = LatencyModel.bucketProbabilities(behaviour.latencyFactor());
        long[] counts = new long[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] += whole * p[i];
            counts[i] = (long) Math.floor(buckets[i]);
            buckets[i] -= counts[i];
        }
        return new Tally(whole, failed, counts, whole * LatencyModel.mean(behaviour.latencyFactor()));
    }
}
