package io.serin.planner.messaging;

import io.serin.events.ReleaseRequested;

/**
 * What the release processor tells the admission processor, on the planner's internal topic
 * {@value PlannerTopology#ADMISSIONS_TOPIC} keyed by target: a valid request (new or retried) that
 * wants the target, or that release {@code released} no longer needs it. Exactly one is set.
 */
record AdmissionMessage(ReleaseRequested request, String released) {

    static AdmissionMessage request(ReleaseRequested request) {
        return new AdmissionMessage(request, null);
    }

    static AdmissionMessage released(String releaseId) {
        return new AdmissionMessage(null, releaseId);
    }
}
