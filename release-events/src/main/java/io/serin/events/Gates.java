package io.serin.events;

/**
 * Webhook gates, after Flagger's confirm-rollout, confirm-traffic-increase and confirm-promotion
 * hooks. Each is optional.
 *
 * @param beforeRollout         asked before anything changes in the cluster
 * @param beforeTrafficIncrease asked before every step that gives the new version more traffic
 * @param beforePromotion       asked before the new version becomes the stable one
 */
public record Gates(Webhook beforeRollout, Webhook beforeTrafficIncrease, Webhook beforePromotion) {

    /** The gate names as they appear in commands and events. */
    public static final String BEFORE_ROLLOUT = "beforeRollout";
    public static final String BEFORE_TRAFFIC_INCREASE = "beforeTrafficIncrease";
    public static final String BEFORE_PROMOTION = "beforePromotion";
}
