package io.serin.analyzer.messaging;

import io.serin.analyzer.analysis.SeriesState;
import io.serin.analyzer.analysis.stats.LogHistogram;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The binary form of a {@link SeriesState}: the totals, the latest event time, the sketch's buckets
 * and the open bucket sums. Doubles stay doubles so that a restored state judges exactly as the one
 * before the restart. Written inside an analysis' progress ({@link StateCodec}); analyzers before
 * that stored each series on its own, with a version byte ({@link #SERDE}), and that is still read.
 */
final class SeriesCodec {

    static final byte VERSION = 1;
    static final Serde<SeriesState> SERDE = Serdes.serdeFrom(
            (topic, state) -> state == null ? null : encode(state),
            (topic, bytes) -> bytes == null ? null : decode(bytes));

    private SeriesCodec() {
    }

    /** The bytes {@link #write} adds. */
    static int size(SeriesState s) {
        return 40 + 12 * s.sketch().size() + 8 * s.bucketCount() * (1 + s.width());
    }

    static void write(BinaryWriter out, SeriesState s) {
        LogHistogram sketch = s.sketch();
        out.number(s.sum()).number(s.samples()).number(s.seen());
        out.integer(sketch.size());
        for (int i = 0; i < sketch.size(); i++) {
            out.integer(sketch.indexAt(i)).number(sketch.countAt(i));
        }
        // As BinaryWriter.longs and doubles write arrays (length, then values), read by in.longs() and
        // in.doubles(); element by element, so that encoding every series of a progress copies no array.
        int buckets = s.bucketCount();
        out.integer(s.width()).integer(buckets);
        for (int i = 0; i < buckets; i++) {
            out.number(s.bucketAt(i));
        }
        int sums = buckets * s.width();
        out.integer(sums);
        for (int i = 0; i < sums; i++) {
            out.number(s.sumAt(i));
        }
    }

    static SeriesState read(BinaryReader in) {
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

    static byte[] encode(SeriesState s) {
        BinaryWriter out = new BinaryWriter(1 + size(s));
        out.version(VERSION);
        write(out, s);
        return out.toBytes();
    }

    static SeriesState decode(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        in.version(VERSION, "series state");
        return read(in);
    }
}
