package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.AnalysisHead;
import io.serin.analyzer.analysis.AnalysisState;
import io.serin.analyzer.analysis.LegacyAnalysisState;
import io.serin.analyzer.analysis.SeriesLayout;
import io.serin.analyzer.analysis.SeriesState;
import io.serin.events.EventCodec;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The running analyses of one task, in its two stores: heads keyed by release id, series keyed
 * {@code releaseId|analysisId|variant/metric}. Every change is written to the stores at once, so the
 * stores, their changelogs and the committed offsets always agree (exactly_once_v2); the decoded
 * analyses are also kept here, so that a sample costs no decoding, only the encoding of what it
 * changed. The copy is dropped with the processor (a dirty close wipes the stores and initializes
 * the processor again), and bounded: analyses used least recently are read back from the stores.
 */
final class LiveAnalyses {

    private static final Logger LOG = Logger.getLogger(LiveAnalyses.class);

    private final KeyValueStore<String, byte[]> heads;
    private final KeyValueStore<String, SeriesState> series;
    private final UnaryOperator<Instant> dueAt;
    private final Map<String, Entry> decoded;
    private final Map<String, Instant> due = new HashMap<>();

    private record Entry(AnalysisState state, String[] seriesKeys) {
    }

    LiveAnalyses(KeyValueStore<String, byte[]> heads, KeyValueStore<String, SeriesState> series,
            UnaryOperator<Instant> dueAt, int capacity) {
        this.heads = heads;
        this.series = series;
        this.dueAt = dueAt;
        this.decoded = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
        try (KeyValueIterator<String, byte[]> all = heads.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> head = all.next();
                due.put(head.key, dueAt.apply(legacy(head.value) ? readLegacy(head.value).endAt()
                        : HeadCodec.decode(head.value).endAt()));
            }
        }
    }

    /** The release's running analysis, or null. */
    AnalysisState get(String releaseId) {
        Entry entry = decoded.get(releaseId);
        if (entry != null) {
            return entry.state();
        }
        byte[] stored = heads.get(releaseId);
        if (stored == null) {
            return null;
        }
        if (legacy(stored)) {
            AnalysisState migrated = readLegacy(stored).migrate();
            LOG.infof("[%s] analysis %s: state written by an earlier analyzer version, now stored per series",
                    releaseId, migrated.analysisId());
            save(null, migrated);
            return migrated;
        }
        AnalysisHead head = HeadCodec.decode(stored);
        SeriesLayout layout = AnalysisState.layoutOf(head.metrics());
        String[] keys = seriesKeys(head, layout);
        SeriesState[] parts = new SeriesState[keys.length];
        for (int slot = 0; slot < keys.length; slot++) {
            parts[slot] = series.get(keys[slot]);
        }
        AnalysisState state = AnalysisState.of(head, layout, parts);
        decoded.put(releaseId, new Entry(state, keys));
        return state;
    }

    /** Writes what is new in {@code next} against {@code previous} (null for a new analysis). */
    void save(AnalysisState previous, AnalysisState next) {
        Entry entry = previous == null ? null : decoded.get(next.releaseId());
        String[] keys = entry != null ? entry.seriesKeys() : seriesKeys(next.head(), next.layout());
        if (previous == null || next.head() != previous.head()) {
            heads.put(next.releaseId(), HeadCodec.encode(next.head()));
        }
        for (int slot = 0; slot < keys.length; slot++) {
            SeriesState s = next.series(slot);
            if (previous == null ? s != SeriesState.EMPTY : s != previous.series(slot)) {
                series.put(keys[slot], s);
            }
        }
        decoded.put(next.releaseId(), new Entry(next, keys));
        due.put(next.releaseId(), dueAt.apply(next.endAt()));
    }

    /** Deletes an analysis that has ended, or was replaced, with every series it wrote. */
    void drop(AnalysisState state) {
        String[] keys = seriesKeys(state.head(), state.layout());
        for (int slot = 0; slot < keys.length; slot++) {
            if (state.series(slot).samples() > 0) {
                series.delete(keys[slot]);
            }
        }
        heads.delete(state.releaseId());
        decoded.remove(state.releaseId());
        due.remove(state.releaseId());
    }

    /** Releases whose analysis is due by {@code now}. */
    List<String> dueBy(Instant now) {
        List<String> ids = new ArrayList<>();
        due.forEach((releaseId, at) -> {
            if (!now.isBefore(at)) {
                ids.add(releaseId);
            }
        });
        return ids;
    }

    /** Earlier versions stored the whole analysis as one JSON object per release. */
    private static boolean legacy(byte[] stored) {
        return stored.length > 0 && stored[0] == '{';
    }

    private static LegacyAnalysisState readLegacy(byte[] stored) {
        return EventCodec.readValue(stored, LegacyAnalysisState.class);
    }

    static String seriesKey(AnalysisHead head, SeriesLayout layout, int slot) {
        return head.releaseId() + "|" + head.analysisId() + "|" + layout.key(slot);
    }

    private static String[] seriesKeys(AnalysisHead head, SeriesLayout layout) {
        String[] keys = new String[layout.size()];
        for (int slot = 0; slot < keys.length; slot++) {
            keys[slot] = seriesKey(head, layout, slot);
        }
        return keys;
    }
}
