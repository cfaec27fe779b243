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
 * The running analyses of one task, in two stores keyed by release id: the definition, written once,
 * and the progress with every series, rewritten with every change ({@link StateCodec}). Every change
 * is written to the stores at once, so the stores, their changelogs and the committed offsets always
 * agree (exactly_once_v2); the decoded analyses are also kept here, so that a sample costs no
 * decoding, only the encoding of the progress. The copy is dropped with the processor (a dirty close
 * wipes the stores and initializes the processor again), and bounded: analyses used least recently
 * are read back from the stores. Analyses stored by earlier versions (one JSON object per release, or
 * a head per release and an entry per series) are carried over when next used.
 */
final class LiveAnalyses {

    private static final Logger LOG = Logger.getLogger(LiveAnalyses.class);

    private final KeyValueStore<String, byte[]> definitions;
    private final KeyValueStore<String, byte[]> progress;
    private final KeyValueStore<String, SeriesState> perSeries;
    private final UnaryOperator<Instant> dueAt;
    private final Map<String, AnalysisState> decoded;
    private final Map<String, Instant> due = new HashMap<>();

    LiveAnalyses(KeyValueStore<String, byte[]> definitions, KeyValueStore<String, byte[]> progress,
            KeyValueStore<String, SeriesState> perSeries, UnaryOperator<Instant> dueAt, int capacity) {
        this.definitions = definitions;
        this.progress = progress;
        this.perSeries = perSeries;
        this.dueAt = dueAt;
        this.decoded = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, AnalysisState> eldest) {
                return size() > capacity;
            }
        };
        try (KeyValueIterator<String, byte[]> all = definitions.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> stored = all.next();
                due.put(stored.key, dueAt.apply(legacy(stored.value) ? readLegacy(stored.value).endAt()
                        : StateCodec.definition(stored.value).endAt()));
            }
        }
    }

    /** The release's running analysis, or null. */
    AnalysisState get(String releaseId) {
        AnalysisState state = decoded.get(releaseId);
        if (state != null) {
            return state;
        }
        byte[] stored = definitions.get(releaseId);
        if (stored == null) {
            return null;
        }
        if (legacy(stored)) {
            return carriedOver(readLegacy(stored).migrate(), "one JSON object");
        }
        if (StateCodec.perSeries(stored)) {
            return carriedOver(readPerSeries(StateCodec.perSeriesHead(stored)), "a head and an entry per series");
        }
        byte[] current = progress.get(releaseId);
        if (current == null) {
            throw new IllegalStateException("analysis of release " + releaseId + " is defined but has no progress");
        }
        state = StateCodec.progress(StateCodec.definition(stored), current);
        decoded.put(releaseId, state);
        return state;
    }

    /** Writes the progress of {@code next}, and its definition too when it is new ({@code previous} null). */
    void save(AnalysisState previous, AnalysisState next) {
        if (previous == null) {
            definitions.put(next.releaseId(), StateCodec.definition(next.head()));
        }
        progress.put(next.releaseId(), StateCodec.progress(next));
        decoded.put(next.releaseId(), next);
        due.put(next.releaseId(), dueAt.apply(next.endAt()));
    }

    /** Deletes an analysis that has ended, or was replaced. */
    void drop(AnalysisState state) {
        definitions.delete(state.releaseId());
        progress.delete(state.releaseId());
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

    private AnalysisState carriedOver(AnalysisState state, String how) {
        LOG.infof("[%s] analysis %s: state written by an earlier analyzer version as %s, now stored as its "
                + "definition and progress", state.releaseId(), state.analysisId(), how);
        save(null, state);
        return state;
    }

    /** Puts an analysis together from a head and its series stored apart, and deletes those. */
    private AnalysisState readPerSeries(AnalysisHead head) {
        SeriesLayout layout = AnalysisState.layoutOf(head.metrics());
        SeriesState[] parts = new SeriesState[layout.size()];
        for (int slot = 0; slot < parts.length; slot++) {
            String key = head.releaseId() + "|" + head.analysisId() + "|" + layout.key(slot);
            parts[slot] = perSeries.get(key);
            if (parts[slot] != null) {
                perSeries.delete(key);
            }
        }
        return AnalysisState.of(head, layout, parts);
    }

    /** Earlier versions stored the whole analysis as one JSON object per release. */
    private static boolean legacy(byte[] stored) {
        return stored.length > 0 && stored[0] == '{';
    }

    private static LegacyAnalysisState readLegacy(byte[] stored) {
        return EventCodec.readValue(stored, LegacyAnalysisState.class);
    }
}
