package io.serin.events;

/**
 * One thing wrong with a message, named by its field path ({@code strategy.steps[1].weight}).
 */
public record Violation(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
