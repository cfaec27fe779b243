package io.serin.notifier.notify;

/**
 * What a channel does with an event whose write-ahead record has no outcome: the previous run
 * stopped between announcing a post and recording the platform's answer, so the message may or may
 * not be in the chat. Platforms that deduplicate ({@link Platform#deduplicates()}) are always
 * re-posted, since the platform drops the repeat.
 */
public enum UncertainDelivery {
    /** Post again: at-least-once, a possible second message rather than a possibly missing one. */
    REPOST,
    /** Do not post again: at-most-once, a possibly missing message rather than a second one. */
    SKIP
}
