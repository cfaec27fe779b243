package io.serin.analyzer.prometheus;

import io.serin.events.Variant;

/** One series a check reads: a metric of a variant, e.g. canary/errors. */
record SeriesRef(Variant variant, String metric) {

    @Override
    public String toString() {
        return variant.label() + "/" + metric;
    }
}
