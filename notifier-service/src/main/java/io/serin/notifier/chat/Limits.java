package io.serin.notifier.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Cutting text and lists to a platform's documented limits without breaking characters. */
final class Limits {

    static final String ELLIPSIS = "…";

    private Limits() {
    }

    /** At most {@code max} characters (UTF-16 units, as the platforms count), ending in … when cut. */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - ELLIPSIS.length();
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never split a surrogate pair
        }
        return text.substring(0, Math.max(end, 0)) + ELLIPSIS;
    }

    /** The first {@code max} items; when some were dropped, the last kept one is replaced by {@code more}. */
    static <T> List<T> first(List<T> items, int max, IntFunction<T> more) {
        if (items.size() <= max) {
            return items;
        }
        List<T> kept = new ArrayList<>(items.subList(0, max - 1));
        kept.add(more.apply(items.size() - (max - 1)));
        return kept;
    }
}
