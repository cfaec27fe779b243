package io.serin.notifier.notify;

import java.net.URI;

/**
 * The inline markup of one chat platform. Templates write {@code {md.b(x)}} and the same template
 * reads right in Slack mrkdwn, Markdown and HTML; every other value a template prints is escaped,
 * so a release name can never inject markup, links or mentions.
 */
public enum Markup {
    /** Slack mrkdwn: only &amp;, &lt; and &gt; are control characters. */
    SLACK {
        @Override
        public String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }

        @Override
        public String bold(String s) {
            return "*" + escape(s) + "*";
        }

        @Override
        public String code(String s) {
            return "`" + escape(s).replace("`", "'") + "`";
        }

        @Override
        public String link(String text, URI url) {
            return "<" + url + "|" + escape(text).replace("|", "/") + ">";
        }
    },
    /** Discord Markdown: backslash escapes the formatting characters. */
    DISCORD {
        @Override
        public String escape(String s) {
            return s.replaceAll("([\\\\*_~`|>\\[\\]#@])", "\\\\$1");
        }

        @Override
        public String bold(String s) {
            return "**" + escape(s) + "**";
        }

        @Override
        public String code(String s) {
            return "`" + s.replace("`", "'") + "`";
        }

        @Override
        public String link(String text, URI url) {
            return "[" + escape(text) + "](" + url + ")";
        }
    },
    /** The Markdown subset of Adaptive Card TextBlocks (Teams): bold and links, no inline code. */
    TEAMS {
        @Override
        public String escape(String s) {
            return s.replaceAll("([\\\\*_\\[\\]])", "\\\\$1");
        }

        @Override
        public String bold(String s) {
            return "**" + escape(s) + "**";
        }

        @Override
        public String code(String s) {
            return escape(s);
        }

        @Override
        public String link(String text, URI url) {
            return "[" + escape(text) + "](" + url + ")";
        }
    },
    /** The HTML subset of Google Chat card text: &lt;b&gt; and &lt;a href&gt;. */
    HTML {
        @Override
        public String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }

        @Override
        public String bold(String s) {
            return "<b>" + escape(s) + "</b>";
        }

        @Override
        public String code(String s) {
            return "<font color=\"#5f6368\">" + escape(s) + "</font>";
        }

        @Override
        public String link(String text, URI url) {
            return "<a href=\"" + escape(url.toString()) + "\">" + escape(text) + "</a>";
        }
    },
    /** Plain text for machines and the generic webhook's summary. */
    PLAIN {
        @Override
        public String escape(String s) {
            return s;
        }

        @Override
        public String bold(String s) {
            return s;
        }

        @Override
        public String code(String s) {
            return s;
        }

        @Override
        public String link(String text, URI url) {
            return text + " (" + url + ")";
        }
    };

    public abstract String escape(String s);

    public abstract String bold(String s);

    public abstract String code(String s);

    public abstract String link(String text, URI url);
}
