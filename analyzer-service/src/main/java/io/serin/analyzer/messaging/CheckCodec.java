package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.CheckState;
import io.serin.analyzer.analysis.stats.Dispersion;
import io.serin.analyzer.analysis.stats.RateTestState;
import io.serin.events.Direction;
import io.serin.events.EventCodec;
import io.serin.events.Judge;
import io.serin.events.Measure;
import io.serin.events.MetricCheck;
import io.serin.events.MetricEvidence;
import io.serin.events.Variant;

/**
 * Checks and what they learnt, in the binary head of an analysis. The one place that dispatches on
 * measures and judges for storage: a new kind fails here, and in the test that walks the permitted
 * subclasses. A decided check's evidence, written once, stays in the contract's JSON.
 */
final class CheckCodec {

    private CheckCodec() {
    }

    static void write(BinaryWriter out, MetricCheck check) {
        out.string(check.name()).nullable(check.variant());
        Measure measure = check.measure();
        if (measure == null) {
            out.string(null);
        } else if (measure instanceof Measure.Ratio r) {
            out.string("ratio").string(r.numerator()).string(r.denominator());
        } else if (measure instanceof Measure.Mean m) {
            out.string("mean").string(m.metric());
        } else if (measure instanceof Measure.Latency l) {
            out.string("latency").string(l.metric()).nullable(l.quantile());
        } else {
            throw new IllegalStateException("unhandled measure " + measure.getClass());
        }
        Judge judge = check.judge();
        if (judge == null) {
            out.string(null);
        } else if (judge instanceof Judge.Threshold t) {
            out.string("threshold").nullable(t.min()).nullable(t.max());
        } else if (judge instanceof Judge.Sequential s) {
            out.string("sequential").nullable(s.alpha()).nullable(s.beta()).nullable(s.margin())
                    .nullable(s.negligibleRate()).nullable(s.robust());
        } else if (judge instanceof Judge.Comparison c) {
            out.string("comparison").nullable(c.direction()).nullable(c.allowedChange()).nullable(c.critical());
        } else if (judge instanceof Judge.MannWhitney mw) {
            out.string("mannWhitney").nullable(mw.direction()).nullable(mw.confidence());
        } else {
            throw new IllegalStateException("unhandled judge " + judge.getClass());
        }
        out.nullable(check.minCount()).nullable(check.compareTo());
    }

    /**
     * A check as {@link #write(BinaryWriter, MetricCheck)} wrote it; definitions before version
     * {@link StateCodec#ROBUST} have no {@code robust} flag, and their sequential checks keep the test
     * they started with, the one that assumes independent requests.
     */
    static MetricCheck readCheck(BinaryReader in, byte version) {
        String name = in.string();
        Variant variant = in.nullable(Variant.class);
        String measureType = in.string();
        Measure measure = measureType == null ? null : switch (measureType) {
            case "ratio" -> new Measure.Ratio(in.string(), in.string());
            case "mean" -> new Measure.Mean(in.string());
            case "latency" -> new Measure.Latency(in.string(), in.nullableDouble());
            default -> throw new IllegalStateException("unknown stored measure " + measureType);
        };
        String judgeType = in.string();
        Judge judge = judgeType == null ? null : switch (judgeType) {
            case "threshold" -> new Judge.Threshold(in.nullableDouble(), in.nullableDouble());
            case "sequential" -> new Judge.Sequential(in.nullableDouble(), in.nullableDouble(), in.nullableDouble(),
                    in.nullableDouble(), version >= StateCodec.ROBUST ? in.nullableBoolean() : Boolean.FALSE);
            case "comparison" -> new Judge.Comparison(in.nullable(Direction.class), in.nullableDouble(),
                    in.nullableBoolean());
            case "mannWhitney" -> new Judge.MannWhitney(in.nullable(Direction.class), in.nullableDouble());
            default -> throw new IllegalStateException("unknown stored judge " + judgeType);
        };
        return new MetricCheck(name, variant, measure, judge, in.nullableLong(), in.nullable(Variant.class));
    }

    static void write(BinaryWriter out, CheckState check) {
        RateTestState t = check.test();
        out.flag(t != null);
        if (t != null) {
            out.doubles(t.logFail()).doubles(t.logPass()).number(t.canaryEvents()).number(t.canaryExposure())
                    .number(t.baselineEvents()).number(t.baselineExposure()).number(t.maxLogFail())
                    .number(t.maxLogPass());
            out.flag(t.pending() != null);
            if (t.pending() != null) {
                out.doubles(t.pending());
            }
            RateTestState.Blocks b = t.blocks();
            out.flag(b != null);
            if (b != null) {
                Dispersion d = b.dispersion();
                out.number(b.start()).doubles(b.fail()).doubles(b.pass()).doubles(b.sums()).doubles(d.sums())
                        .doubles(d.open()).doubles(d.flow());
            }
        }
        out.nullable(check.threshold()).doubles(check.values()).doubles(check.compareValues());
        out.bytes(check.decided() == null ? null : EventCodec.writeValue(check.decided()));
    }

    /** A check's state; progress before version {@link StateCodec#ROBUST} has neither pending sums nor blocks. */
    static CheckState readState(BinaryReader in, byte version) {
        RateTestState test = null;
        if (in.flag()) {
            double[] logFail = in.doubles();
            double[] logPass = in.doubles();
            double cE = in.number();
            double cN = in.number();
            double bE = in.number();
            double bN = in.number();
            double maxFail = in.number();
            double maxPass = in.number();
            double[] pending = null;
            RateTestState.Blocks blocks = null;
            if (version >= StateCodec.ROBUST) {
                pending = in.flag() ? in.doubles() : null;
                if (in.flag()) {
                    blocks = new RateTestState.Blocks(in.longNumber(), in.doubles(), in.doubles(), in.doubles(),
                            new Dispersion(in.doubles(), in.doubles(), in.doubles()));
                }
            }
            test = new RateTestState(logFail, logPass, cE, cN, bE, bN, maxFail, maxPass, pending, blocks);
        }
        Double threshold = in.nullableDouble();
        var values = in.doubleList();
        var compareValues = in.doubleList();
        byte[] decided = in.bytes();
        return new CheckState(test, threshold, values, compareValues,
                decided == null ? null : EventCodec.readValue(decided, MetricEvidence.class));
    }
}
