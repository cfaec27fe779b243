package io.serin.events.policy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PoliciesTest {

    @Test
    void noNamespaceIsOpenWhenNothingIsConfigured() {
        NamespacePolicy policy = new NamespacePolicy(Set.of(), Set.of());
        assertThat(policy.whyNot("payments")).get().asString().contains("no namespace is open");
    }

    @Test
    void systemNamespacesAreNeverOpenEvenWhenEverythingIs() {
        NamespacePolicy policy = new NamespacePolicy(Set.of("*", "kube-system"), Set.of("serin"));
        assertThat(policy.whyNot("kube-system")).get().asString().contains("system namespace");
        assertThat(policy.whyNot("kube-node-lease")).isPresent();
        assertThat(policy.whyNot("openshift-config")).isPresent();
        assertThat(policy.whyNot("serin")).get().asString().contains("protected");
        assertThat(policy.whyNot("payments")).isEmpty();
    }

    @Test
    void namespacesOpenByNameOrPrefix() {
        NamespacePolicy policy = NamespacePolicy.of(Optional.of(Set.of("payments", "team-*")), Optional.empty());
        assertThat(policy.whyNot("payments")).isEmpty();
        assertThat(policy.whyNot("team-a")).isEmpty();
        assertThat(policy.whyNot("payments-prod")).get().asString().contains("not among");
        // as configured lists deliver entries: blanks and capitals
        NamespacePolicy listed = new NamespacePolicy(Set.of("*"), Set.of("serin", " monitoring", "Platform-*"));
        assertThat(listed.whyNot("monitoring")).get().asString().contains("protected");
        assertThat(listed.whyNot("platform-a")).get().asString().contains("protected");
        assertThat(policy.whyNot("tea")).isPresent();
        assertThat(policy.whyNot(null)).isPresent();
    }

    @Test
    void noImageIsAllowedWhenNothingIsConfigured() {
        assertThat(new ImagePolicy(List.of(), false).whyNot("ghcr.io/acme/app:v2")).get().asString()
                .contains("no registry is allowed");
    }

    @Test
    void imagesAreComparedOnWholePathSegmentsAfterNormalisation() {
        ImagePolicy policy = new ImagePolicy(List.of("ghcr.io/acme", "registry.example.com:5000/"), false);
        assertThat(policy.whyNot("ghcr.io/acme/app:v2")).isEmpty();
        assertThat(policy.whyNot("ghcr.io/acme/team/app@sha256:" + "a".repeat(64))).isEmpty();
        assertThat(policy.whyNot("registry.example.com:5000/app:1")).isEmpty();
        // a prefix that is not a whole segment, another registry, the implicit Docker Hub
        assertThat(policy.whyNot("ghcr.io/acme-evil/app:v2")).isPresent();
        assertThat(policy.whyNot("ghcr.io.evil.com/acme/app:v2")).isPresent();
        assertThat(policy.whyNot("acme/app:v2")).get().asString().contains("does not name its registry",
                "docker.io/acme/app");
        assertThat(policy.whyNot("nginx")).get().asString().contains("docker.io/library/nginx");
        assertThat(new ImagePolicy(List.of("docker.io/library"), false).whyNot("docker.io/library/nginx:1"))
                .isEmpty();
        assertThat(policy.whyNot("GHCR.IO/acme/app")).get().asString().contains("not a valid image reference");
        assertThat(policy.whyNot("ghcr.io/acme/app:v2 --privileged")).isPresent();
    }

    @Test
    void digestsOnlyRefusesTags() {
        ImagePolicy policy = new ImagePolicy(List.of("*"), true);
        assertThat(policy.whyNot("ghcr.io/acme/app:v2")).get().asString().contains("digest");
        assertThat(policy.whyNot("ghcr.io/acme/app:v2@sha256:" + "0".repeat(64))).isEmpty();
        assertThat(policy.whyNot("ghcr.io/acme/app@sha256:short")).isPresent();
    }

    @Test
    void aRequestIsShownWithItsGateUrlsRedacted() {
        var request = new io.serin.events.ReleaseRequested("r1", new io.serin.events.WorkloadRef("Deployment", "payments",
                "web"), new io.serin.events.VersionSpec("ghcr.io/acme/web:v2", null), new io.serin.events.Strategy.Rolling(
                null, null, null, null, null, new io.serin.events.Gates(new io.serin.events.Webhook(
                "https://ci:pw-s3cret@ci.example.com/hook?token=tok-s3cret"), null, null)), "alice");
        var shown = Redaction.shown(new io.serin.events.ReleaseEvent.Accepted("r1", 1, java.time.Instant.EPOCH, request));
        assertThat(io.serin.events.EventCodec.mapper().valueToTree(shown).toString()).doesNotContain("s3cret")
                .contains("https://ci.example.com/hook");
        assertThat(shown.request().target()).isEqualTo(request.target());
        assertThat(Redaction.shown(request.target())).isSameAs(request.target());
    }

    @Test
    void urlsAreShownWithoutUserinfoQueryOrFragment() {
        assertThat(Redaction.url("https://user:s3cret@gates.example.com:8443/check?token=s3cret#x"))
                .isEqualTo("https://gates.example.com:8443/check");
        assertThat(Redaction.url("http://h/p")).isEqualTo("http://h/p");
        assertThat(Redaction.url("gate:smoke?token=s3cret")).isEqualTo("gate:smoke");
        assertThat(Redaction.url("ht tp://bad url?token=s3cret")).doesNotContain("s3cret");
        assertThat(Redaction.text("gate https://a:s3cret@h.example/x?k=s3cret failed (401); see http://h2/y"))
                .isEqualTo("gate https://h.example/x failed (401); see http://h2/y");
        assertThat(Redaction.text("no url here")).isEqualTo("no url here");
        assertThat(Redaction.mayHoldUrl("{\"u\":\"https://h\"}".getBytes())).isTrue();
        assertThat(Redaction.mayHoldUrl("{\"u\":\"https:\\/\\/h\"}".getBytes())).isTrue();
        assertThat(Redaction.mayHoldUrl("{\"time\":\"10:15:30\", \"gate\":\"gate:smoke\"}".getBytes())).isFalse();
        // characters a URL may hold, and malformed ones, never leave part of a secret behind
        for (String leaky : List.of("https://[2001:db8::1]/hook?token=S3CRET",
                "https://u:S3CRET@[::1]:8080/x?token=S3CRET",
                "https://bob:pa(S3CRET@h/x",
                "https://h/x?token=ab'S3CRET",
                "https://h/x#S3CRET",
                "HTTPS://U:S3CRET@H.EXAMPLE/X",
                "url_https://u:S3CRET@h/x",
                "1https://u:S3CRET@h/x?t=S3CRET",
                "{\"url\":\"https:\\/\\/u:S3CRET@h\\/x?t=S3CRET\"}",
                "gate https://u:S3CRET@h/x?t=S3CRET) refused")) {
            assertThat(Redaction.text(leaky)).as(leaky).doesNotContain("S3CRET");
            assertThat(Redaction.url(leaky.substring(leaky.indexOf(leaky.contains("HTTPS") ? "HTTPS" : "http"))))
                    .as(leaky).doesNotContain("S3CRET");
        }
        assertThat(Redaction.text("at https://[2001:db8::1]:8443/hook?token=x, then"))
                .isEqualTo("at https://[2001:db8::1]:8443/hook then");
        assertThat(Redaction.text("{\"url\":\"https:\\/\\/u:p@h\\/x?t=1\"}")).isEqualTo("{\"url\":\"https:\\/\\/h\\/x\"}");
    }

    @Test
    void theLogFilterShowsUrlsInFormattedMessagesRedacted() {
        var record = new java.util.logging.LogRecord(java.util.logging.Level.INFO, "calling {0} for {1}");
        record.setParameters(new Object[] {"https://u:p-s3cret@h.example/x?t=s3cret", "r1"});
        assertThat(new RedactingLogFilter().isLoggable(record)).isTrue();
        assertThat(record.getMessage()).isEqualTo("calling https://h.example/x for r1");
        var plain = new java.util.logging.LogRecord(java.util.logging.Level.INFO, "nothing {0}");
        plain.setParameters(new Object[] {"here"});
        new RedactingLogFilter().isLoggable(plain);
        assertThat(plain.getMessage()).isEqualTo("nothing {0}");
    }
}
