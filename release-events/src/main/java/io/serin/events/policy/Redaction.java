package io.serin.events.policy;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a URL is shown anywhere outside the component that calls it (events, chat, logs, the API):
 * scheme, host, port and path, never userinfo, query or fragment, where tokens live. The rule
 * applies to every URL in a text, so a reason or message that quotes a URL is safe to show.
 */
public final class Redaction {

    /**
     * Where a URL starts: a scheme and {@code ://}, also JSON-escaped ({@code :\/\/}), whatever precedes
     * it. It runs to the next whitespace or double quote: characters a URL may hold ({@code ( ) ' [ ] @})
     * and malformed ones alike belong to it, so nothing of its userinfo or query is left behind.
     */
    private static final Pattern URL = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]{0,15})(://|:\\\\/\\\\/)([^\\s\"]*)");

    private Redaction() {
    }

    /** {@code url} without userinfo, query or fragment; a URL that cannot be parsed is replaced whole. */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (uri.getRawAuthority() == null) {
                // opaque (gate:name) or relative: nothing secret beyond the text itself unless it has a query
                return uri.isOpaque() ? uri.getScheme() + ":" + stripQuery(uri.getRawSchemeSpecificPart()) : stripQuery(url);
            }
            String host = uri.getHost();
            if (host == null) {
                return uri.getScheme() + "://[redacted]";
            }
            StringBuilder b = new StringBuilder(uri.getScheme()).append("://").append(host);
            if (uri.getPort() >= 0) {
                b.append(':').append(uri.getPort());
            }
            if (uri.getRawPath() != null) {
                b.append(uri.getRawPath());
            }
            return b.toString();
        } catch (Exception e) {
            Matcher m = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://").matcher(url);
            return m.find() ? m.group(1) + "://[redacted]" : "[redacted]";
        }
    }

    /**
     * Whether encoded JSON may hold a URL ({@code ://}, also JSON-escaped): a cheap look that lets a
     * writer redact only the rare message that needs it, after encoding it once.
     */
    public static boolean mayHoldUrl(byte[] json) {
        for (int i = 0; i + 2 < json.length; i++) {
            if (json[i] == ':' && ((json[i + 1] == '/' && json[i + 2] == '/')
                    || (i + 4 < json.length && json[i + 1] == '\\' && json[i + 2] == '/' && json[i + 3] == '\\'
                    && json[i + 4] == '/'))) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with every URL in it shown by {@link #url(String)}'s rule, however malformed. */
    public static String text(String text) {
        if (text == null || (text.indexOf("://") < 0 && text.indexOf(":\\/\\/") < 0)) {
            return text;
        }
        Matcher m = URL.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + m.group(2)
                    + afterScheme(m.group(3), m.group(2).length() > 3)));
        }
        return m.appendTail(b).toString();
    }

    /**
     * What is shown of a URL after {@code scheme://}: host, port and path. Everything from the first
     * {@code ?} or {@code #} goes (query, fragment, and whatever text ran on after them), and so does
     * everything up to the last {@code @} before the path (userinfo, whatever characters it holds).
     */
    private static String afterScheme(String rest, boolean escapedSlashes) {
        int cut = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '?' || c == '#') {
                cut = i;
                break;
            }
        }
        String kept = rest.substring(0, cut);
        int pathStart = escapedSlashes ? kept.indexOf("\\/") : kept.indexOf('/');
        String authority = pathStart < 0 ? kept : kept.substring(0, pathStart);
        int at = authority.lastIndexOf('@');
        return at < 0 ? kept : kept.substring(at + 1);
    }

    /**
     * A copy of {@code value} (an event, a request, a view) with every text in it shown by
     * {@link #text(String)}: what the audit log, chat and the API show. The component that calls a URL
     * keeps its own copy.
     */
    @SuppressWarnings("unchecked")
    public static <T> T shown(T value) {
        if (value == null) {
            return null;
        }
        com.fasterxml.jackson.databind.ObjectMapper mapper = io.serin.events.EventCodec.mapper();
        com.fasterxml.jackson.databind.JsonNode tree = mapper.valueToTree(value);
        if (!redact(tree)) {
            return value;
        }
        try {
            return (T) mapper.treeToValue(tree, value.getClass());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot show a redacted " + value.getClass().getSimpleName(), e);
        }
    }

    /** Redacts every text node in place; whether anything changed. */
    private static boolean redact(com.fasterxml.jackson.databind.JsonNode node) {
        boolean changed = false;
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            var fields = object.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (field.getValue().isTextual()) {
                    String shown = text(field.getValue().asText());
                    if (!shown.equals(field.getValue().asText())) {
                        field.setValue(com.fasterxml.jackson.databind.node.TextNode.valueOf(shown));
                        changed = true;
                    }
                } else {
                    changed |= redact(field.getValue());
                }
            }
        } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    String shown = text(array.get(i).asText());
                    if (!shown.equals(array.get(i).asText())) {
                        array.set(i, com.fasterxml.jackson.databind.node.TextNode.valueOf(shown));
                        changed = true;
                    }
                } else {
                    changed |= redact(array.get(i));
                }
            }
        }
        return changed;
    }

    private static String stripQuery(String s) {
        int q = s.indexOf('?');
        int f = s.indexOf('#');
        int cut = q < 0 ? f : f < 0 ? q : Math.min(q, f);
        return cut < 0 ? s : s.substring(0, cut);
    }
}
