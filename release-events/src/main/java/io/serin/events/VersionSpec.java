package io.serin.events;

/**
 * The version a release moves to: the new image of one container of the target's pod template.
 * {@code container} may be omitted when the pod has a single container.
 */
public record VersionSpec(String image, String container) {
}
