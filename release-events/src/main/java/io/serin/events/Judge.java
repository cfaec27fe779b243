package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** How a measured value becomes a verdict. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Judge.Threshold.class, name = "threshold"),
        @JsonSubTypes.Type(value = Judge.Sequential.class, name = "sequential"),
        @JsonSubTypes.Type(value = Judge.Comparison.class, name = "comparison"),
        @JsonSubTypes.Type(value = Judge.MannWhitney.class, name = "mannWhitney"),
})
public sealed interface Judge permits Judge.Threshold, Judge.Sequential, Judge.Comparison, Judge.MannWhitney {

    /** The value over the whole analysis window must lie within [min, max]; either bound may be absent. */
    record Threshold(Double min, Double max) implements Judge {
    }

    /**
     * An anytime-valid sequential test of the variant's event rate against the compared variant's
     * (errors per request for a ratio; for a latency measure, requests slower than a bound near the
     * compared variant's quantile, a histogram bucket bound when the samples are histograms, named in
     * the verdict), evaluated as samples arrive: FAILED as soon as there is evidence the rate is
     * higher (a healthy canary is failed with probability at most {@code alpha}, however often it is
     * checked), SUCCESSFUL as soon as there is evidence it is less than {@code 1 + margin} times as
     * high (a canary worse by the margin passes with probability at most {@code beta}), else
     * INCONCLUSIVE when the window ends.
     *
     * <p>For a ratio measure, a canary also passes once there is evidence that its rate is below
     * {@code negligibleRate}, however the compared variant does: with no errors on either side there is
     * nothing to compare, but ten thousand requests without an error show a rate below 0.1%. A canary
     * worse by the margin <em>and</em> at or above the negligible rate still passes with probability at
     * most {@code beta}.
     *
     * <p>By default the test is <em>robust</em>: it does not assume that requests are independent trials
     * with one rate per variant. Errors come in bursts, rates drift, one pod of several goes bad; the
     * judge measures how much the rates vary beyond chance, at several time scales (from the comparison
     * itself and from the compared variant's history when the metric source sends it), discounts the
     * evidence by that much, and lets no 5-second block carry more than 60% of the evidence needed to
     * fail. With {@code robust: false} it runs the test that assumes independent requests: faster on
     * clean traffic, but a canary whose errors vary on their own fails more often than {@code alpha}
     * (docs/analyzer.md).
     *
     * @param alpha          bound on false failures, default 0.01
     * @param beta           bound on passing a canary worse by the margin, default 0.01
     * @param margin         allowed relative increase of the rate, default 1.0 (pass once shown below 2x)
     * @param negligibleRate for a ratio measure, a rate too low to matter, default 0.001 (0.1%); 0 turns
     *                       this way of passing off
     * @param robust         false to assume independent requests, default true
     */
    record Sequential(Double alpha, Double beta, Double margin, Double negligibleRate, Boolean robust)
            implements Judge {

        /** Without a negligible rate of its own (the default applies). */
        public Sequential(Double alpha, Double beta, Double margin) {
            this(alpha, beta, margin, null, null);
        }

        /** The default, robust test. */
        public Sequential(Double alpha, Double beta, Double margin, Double negligibleRate) {
            this(alpha, beta, margin, negligibleRate, null);
        }
    }

    /**
     * The variant's value over the window against the compared variant's: a relative change in the
     * bad {@code direction} larger than {@code allowedChange} fails. Not a statistical test.
     *
     * @param direction     which change is bad, default increase
     * @param allowedChange allowed relative change, e.g. 0.1 for 10%, default 0
     * @param critical      when true, a failure ends the analysis at once instead of at the window's end
     */
    record Comparison(Direction direction, Double allowedChange, Boolean critical) implements Judge {
    }

    /**
     * Kayenta's classifier: a Mann-Whitney U test of the variant's per-interval values against the
     * compared variant's, once, when the window ends. Fails when the values differ in the bad
     * {@code direction} at the {@code confidence} level (two-sided).
     *
     * @param direction  which change is bad, default increase
     * @param confidence confidence level of the two-sided test, default 0.98
     */
    record MannWhitney(Direction direction, Double confidence) implements Judge {
    }
}
