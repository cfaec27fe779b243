package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.AnalysisHead;
import io.serin.analyzer.analysis.AnalysisState;
import io.serin.analyzer.analysis.CheckState;
import io.serin.analyzer.analysis.SeriesLayout;
import io.serin.analyzer.analysis.SeriesProblems;
import io.serin.analyzer.analysis.SeriesState;
import io.serin.events.MetricCheck;
import io.serin.events.SourceProblem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary forms of a running analysis, in two records per release. Its <em>definition</em> (store
 * {@code analyses}: the ids, the window, the checks with defaults filled in) is written once, when it
 * starts. Its <em>progress</em> (store {@code analysis-progress}: what each check has learnt, the last
 * folded bucket, the late samples, the source problems, and every series by slot) is rewritten with
 * every change, so that a batch of samples costs one record however many series it touches.
 *
 * <p>Both begin with a version byte. A definition of version 1 was written by analyzers that stored
 * the progress in the same record and each series apart (store {@code analysis-series}): it is read
 * whole ({@link #perSeriesHead}) so that such an analysis can be carried over.
 */
final class StateCodec {

    /** A definition that holds the progress too; its series are stored apart. */
    static final byte PER_SERIES = 1;
    /** A definition or progress of the analyzers before the robust sequential test (no robust flag, no blocks). */
    static final byte SEPARATE = 2;
    /** Sequential checks say whether they are robust, and their state holds pending sums and blocks. */
    static final byte ROBUST = 3;
    static final byte DEFINITION = ROBUST;
    static final byte PROGRESS = ROBUST;

    /** The part of an analysis that never changes. */
    record Definition(String analysisId, String releaseId, Instant startAt, Instant endAt, List<MetricCheck> metrics) {

        AnalysisHead head(List<CheckState> checks, long folded, Map<String, SeriesProblems> problems, long late) {
            return new AnalysisHead(analysisId, releaseId, startAt, endAt, metrics, checks, folded, problems, late);
        }
    }

    private StateCodec() {
    }

    static byte[] definition(AnalysisHead head) {
        BinaryWriter out = new BinaryWriter(256);
        out.version(DEFINITION).string(head.analysisId()).string(head.releaseId()).instant(head.startAt())
                .instant(head.endAt());
        out.integer(head.metrics().size());
        for (MetricCheck check : head.metrics()) {
            CheckCodec.write(out, check);
        }
        return out.toBytes();
    }

    /** The definition of either version: both begin alike. */
    static Definition definition(byte[] bytes) {
        return readDefinition(new BinaryReader(bytes));
    }

    /** True for a definition written with its progress, by analyzers that stored each series apart. */
    static boolean perSeries(byte[] definition) {
        return definition.length > 0 && definition[0] == PER_SERIES;
    }

    /** A version 1 definition with the progress it holds. */
    static AnalysisHead perSeriesHead(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        Definition definition = readDefinition(in);
        if (!perSeries(bytes)) {
            throw new IllegalStateException("analysis " + definition.analysisId() + " keeps its progress apart");
        }
        return readHead(in, definition, PER_SERIES);
    }

    private static Definition readDefinition(BinaryReader in) {
        byte version = in.version("analysis definition", PER_SERIES, DEFINITION);
        String analysisId = in.string();
        String releaseId = in.string();
        Instant startAt = in.instant();
        Instant endAt = in.instant();
        List<MetricCheck> metrics = new ArrayList<>();
        for (int i = in.integer(); i > 0; i--) {
            metrics.add(CheckCodec.readCheck(in, version));
        }
        return new Definition(analysisId, releaseId, startAt, endAt, List.copyOf(metrics));
    }

    static byte[] progress(AnalysisState state) {
        AnalysisHead head = state.head();
        SeriesLayout layout = state.layout();
        int size = 64 + 128 * head.checks().size();
        for (int slot = 0; slot < layout.size(); slot++) {
            size += 1 + SeriesCodec.size(state.series(slot));
        }
        BinaryWriter out = new BinaryWriter(size);
        out.version(PROGRESS).integer(head.checks().size());
        for (CheckState check : head.checks()) {
            CheckCodec.write(out, check);
        }
        out.number(head.folded()).number(head.late()).integer(head.problems().size());
        head.problems().forEach((key, p) -> out.string(key).number(p.count()).nullable(p.reason()).string(p.detail()));
        out.integer(layout.size());
        for (int slot = 0; slot < layout.size(); slot++) {
            SeriesState series = state.series(slot);
            out.flag(series != SeriesState.EMPTY);
            if (series != SeriesState.EMPTY) {
                SeriesCodec.write(out, series);
            }
        }
        return out.toBytes();
    }

    static AnalysisState progress(Definition definition, byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        byte version = in.version("analysis progress", SEPARATE, PROGRESS);
        AnalysisHead head = readHead(in, definition, version);
        SeriesLayout layout = AnalysisState.layoutOf(head.metrics());
        int slots = in.integer();
        if (slots != layout.size()) {
            throw new IllegalStateException("analysis " + head.analysisId() + " reads " + layout.size()
                    + " series, its progress holds " + slots);
        }
        SeriesState[] series = new SeriesState[slots];
        for (int slot = 0; slot < slots; slot++) {
            series[slot] = in.flag() ? SeriesCodec.read(in) : null;
        }
        return AnalysisState.of(head, layout, series);
    }

    /** Check states, folded bucket, late samples and problems: in this order in both versions. */
    private static AnalysisHead readHead(BinaryReader in, Definition definition, byte version) {
        List<CheckState> checks = new ArrayList<>();
        for (int i = in.integer(); i > 0; i--) {
            checks.add(CheckCodec.readState(in, version));
        }
        long folded = in.longNumber();
        long late = in.longNumber();
        Map<String, SeriesProblems> problems = new HashMap<>();
        for (int i = in.integer(); i > 0; i--) {
            problems.put(in.string(), new SeriesProblems(in.longNumber(), in.nullable(SourceProblem.Reason.class),
                    in.string()));
        }
        return definition.head(List.copyOf(checks), folded, Map.copyOf(problems), late);
    }
}
