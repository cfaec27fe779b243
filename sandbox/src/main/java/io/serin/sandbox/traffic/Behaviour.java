package io.serin.sandbox.traffic;

/**
 * How a version answers, told by its image tag: a tag containing {@code errors} fails 5% of
 * requests, any other 1% (as stable does); one containing {@code slow} takes 1.3 times as long.
 */
public record Behaviour(double errorRate, double latencyFactor) {

    public static final double HEALTHY_ERROR_RATE = 0.01;
    public static final double FAULTY_ERROR_RATE = 0.05;
    public static final double SLOW_FACTOR = 1.3;

    public static Behaviour of(String image) {
        String tag = tag(image);
        return new Behaviour(tag.contains("errors") ? FAULTY_ERROR_RATE : HEALTHY_ERROR_RATE,
                tag.contains("slow") ? SLOW_FACTOR : 1.0);
    }

    static String tag(String image) {
        if (image == null) {
            return "";
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "";
    }
}
