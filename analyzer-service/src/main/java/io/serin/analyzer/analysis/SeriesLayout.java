package io.serin.analyzer.analysis;

import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.Variant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The series an analysis' checks read, numbered: slot {@code i} holds one variant's metric. Derived
 * from the checks alone, so it is never stored. Per slot: whether it keeps a latency sketch, and which
 * sequential latency checks count its observations above their threshold (two bucket sums each).
 */
public final class SeriesLayout {

    private final String[] keys;
    private final Variant[] variants;
    private final String[] metrics;
    private final boolean[] sketched;
    private final int[][] exceedChecks;
    /** Per distinct metric, the slot of each variant (by ordinal) or -1; scanned, as there are a few. */
    private final String[] slotMetrics;
    private final int[][] slotsByVariant;

    SeriesLayout(List<MetricCheck> checks) {
        List<String> needed = new ArrayList<>(new TreeSet<>(needed(checks)));
        Set<String> latency = checks.stream().filter(c -> c.measure() instanceof Measure.Latency)
                .map(c -> ((Measure.Latency) c.measure()).metric()).collect(Collectors.toSet());
        int n = needed.size();
        Map<String, int[]> byMetric = new java.util.LinkedHashMap<>();
        keys = needed.toArray(new String[0]);
        variants = new Variant[n];
        metrics = new String[n];
        sketched = new boolean[n];
        exceedChecks = new int[n][];
        for (int slot = 0; slot < n; slot++) {
            String key = keys[slot];
            int slash = key.indexOf('/');
            variants[slot] = Variant.valueOf(key.substring(0, slash).toUpperCase(java.util.Locale.ROOT));
            metrics[slot] = key.substring(slash + 1);
            sketched[slot] = latency.contains(metrics[slot]);
            List<Integer> counting = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                MetricCheck c = checks.get(i);
                if (c.judge() instanceof Judge.Sequential && c.measure() instanceof Measure.Latency l
                        && metrics[slot].equals(l.metric())
                        && (c.variant() == variants[slot] || c.compareTo() == variants[slot])) {
                    counting.add(i);
                }
            }
            exceedChecks[slot] = counting.stream().mapToInt(Integer::intValue).toArray();
            byMetric.computeIfAbsent(metrics[slot], m -> noSlots())[variants[slot].ordinal()] = slot;
        }
        slotMetrics = byMetric.keySet().toArray(new String[0]);
        slotsByVariant = byMetric.values().toArray(new int[0][]);
    }

    private static int[] noSlots() {
        int[] slots = new int[Variant.values().length];
        java.util.Arrays.fill(slots, -1);
        return slots;
    }

    /** The series (variant/metric) the checks read. */
    static Set<String> needed(List<MetricCheck> checks) {
        return checks.stream().filter(c -> c.measure() != null).flatMap(c -> {
            List<Variant> variants = c.compareTo() == null ? List.of(c.variant()) : List.of(c.variant(), c.compareTo());
            List<String> names = metricsOf(c.measure());
            return variants.stream().flatMap(v -> names.stream().map(m -> key(v, m)));
        }).collect(Collectors.toSet());
    }

    static String key(Variant variant, String metric) {
        return variant.label() + "/" + metric;
    }

    /** The metric names a measure reads, those that are given (a check missing one is decided ERROR). */
    public static List<String> metricsOf(Measure measure) {
        Stream<String> names;
        if (measure instanceof Measure.Ratio r) {
            names = Stream.of(r.numerator(), r.denominator());
        } else if (measure instanceof Measure.Mean m) {
            names = Stream.of(m.metric());
        } else if (measure instanceof Measure.Latency l) {
            names = Stream.of(l.metric());
        } else {
            throw new IllegalStateException("unhandled measure " + measure.getClass());
        }
        return names.filter(name -> name != null && !name.isBlank()).toList();
    }

    public int size() {
        return keys.length;
    }

    /** The slot of a series, or -1 when no check reads it. */
    public int slot(Variant variant, String metric) {
        for (int i = 0; i < slotMetrics.length; i++) {
            if (slotMetrics[i].equals(metric)) {
                return slotsByVariant[i][variant.ordinal()];
            }
        }
        return -1;
    }

    /** {@code canary/errors}: how series are named in keys and reasons. */
    public String key(int slot) {
        return keys[slot];
    }

    Variant variant(int slot) {
        return variants[slot];
    }

    String metric(int slot) {
        return metrics[slot];
    }

    boolean sketched(int slot) {
        return sketched[slot];
    }

    /** The sequential latency checks (indices) that count this series' observations above their threshold. */
    int[] exceedChecks(int slot) {
        return exceedChecks[slot];
    }

    /** Bucket sums per bucket: value sum, sample count, then observations and exceedances per counting check. */
    int width(int slot) {
        return 2 + 2 * exceedChecks[slot].length;
    }

    /** The bucket column holding check {@code check}'s observations in this slot (exceedances follow it), or -1. */
    int exceedColumn(int slot, int check) {
        int[] counting = exceedChecks[slot];
        for (int k = 0; k < counting.length; k++) {
            if (counting[k] == check) {
                return 2 + 2 * k;
            }
        }
        return -1;
    }
}
