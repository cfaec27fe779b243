package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.SeriesState;
import io.serin.analyzer.analysis.stats.LogHistogram;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The binary form of a {@link SeriesState}, written with every sample of its series: a version byte,
 * the totals, the latest event time, the sketch's buckets and the open bucket sums. Doubles stay
 * doubles so that a restored state judges exactly as the one before the restart.
 */
final class SeriesCodec {

    static final byte VERSION = 1;
    static final Serde<SeriesState> SERDE = Serdes.serdeFrom(
            (topic, state) -> state == null ? null : encode(state),
            (topic, bytes) -> bytes == null ? null : decode(bytes));

    private SeriesCodec() {
    }

    static byte[] encode(SeriesState s) {
        LogHistogram sketch = s.sketch();
        long[] buckets = s.buckets();
        BinaryWriter out = new BinaryWriter(40 + 12 * sketch.size() + 8 * buckets.length * (1 + s.width()));
        out.version(VERSION);
        out.number(s.sum()).number(s.samples()).number(s.seen());
        out.integer(sketch.size());
        for (int i = 0; i < sketch.size(); i++) {
            out.integer(sketch.indexAt(i)).number(sketch.countAt(i));
        }
        return out.integer(s.width()).longs(buckets).doubles(s.sums()).toBytes();
    }

    static SeriesState decode(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        in.version(VERSION, "series state");
        double sum = in.number();
        long samples = in.longNumber();
        long seen = in.longNumber();
        int size = in.integer();
        int[] indices = new int[size];
        double[] counts = new double[size];
        for (int i = 0; i < size; i++) {
            indices[i] = in.integer();
            counts[i] = in.number();
        }
        int width = in.integer();
        return SeriesState.of(sum, samples, seen, LogHistogram.of(indices, counts), in.longs(), width, in.doubles());
    }
}
