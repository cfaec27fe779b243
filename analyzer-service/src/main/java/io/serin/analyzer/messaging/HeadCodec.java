package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.AnalysisHead;
import io.serin.analyzer.analysis.CheckState;
import io.serin.analyzer.analysis.SeriesProblems;
import io.serin.events.MetricCheck;
import io.serin.events.SourceProblem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of an {@link AnalysisHead}, written when an analysis starts and whenever a bucket
 * is folded into its checks: a version byte, the window, the checks and their states, the last folded
 * bucket, the late samples and the source problems.
 */
final class HeadCodec {

    static final byte VERSION = 1;

    private HeadCodec() {
    }

    static byte[] encode(AnalysisHead head) {
        BinaryWriter out = new BinaryWriter(512);
        out.version(VERSION).string(head.analysisId()).string(head.releaseId()).instant(head.startAt())
                .instant(head.endAt());
        out.integer(head.metrics().size());
        for (MetricCheck check : head.metrics()) {
            CheckCodec.write(out, check);
        }
        out.integer(head.checks().size());
        for (CheckState check : head.checks()) {
            CheckCodec.write(out, check);
        }
        out.number(head.folded()).number(head.late()).integer(head.problems().size());
        head.problems().forEach((key, p) -> out.string(key).number(p.count()).nullable(p.reason()).string(p.detail()));
        return out.toBytes();
    }

    static AnalysisHead decode(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        in.version(VERSION, "analysis head");
        String analysisId = in.string();
        String releaseId = in.string();
        var startAt = in.instant();
        var endAt = in.instant();
        List<MetricCheck> metrics = new ArrayList<>();
        for (int i = in.integer(); i > 0; i--) {
            metrics.add(CheckCodec.readCheck(in));
        }
        List<CheckState> checks = new ArrayList<>();
        for (int i = in.integer(); i > 0; i--) {
            checks.add(CheckCodec.readState(in));
        }
        long folded = in.longNumber();
        long late = in.longNumber();
        Map<String, SeriesProblems> problems = new HashMap<>();
        for (int i = in.integer(); i > 0; i--) {
            problems.put(in.string(), new SeriesProblems(in.longNumber(), in.nullable(SourceProblem.Reason.class),
                    in.string()));
        }
        return new AnalysisHead(analysisId, releaseId, startAt, endAt, List.copyOf(metrics), List.copyOf(checks),
                folded, Map.copyOf(problems), late);
    }
}
