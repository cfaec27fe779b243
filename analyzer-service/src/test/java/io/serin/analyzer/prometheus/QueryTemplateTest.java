package io.serin.analyzer.prometheus;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryTemplateTest {

    @Test
    void fillsEveryVariableWithTheReleaseVariantAndWindow() {
        QueryTemplate t = QueryTemplate.parse("errors", "sum(increase(http_requests_total{namespace=\"{{namespace}}\","
                + "workload=\"{{ workload }}\",variant=\"{{variant}}\",release=\"{{release}}\",code=~\"5..\"}"
                + "[{{window}}]))");

        String query = t.render("payments", "payment-gateway", "canary", Duration.ofSeconds(30), "rel-1");

        assertThat(query).isEqualTo("sum(increase(http_requests_total{namespace=\"payments\","
                + "workload=\"payment-gateway\",variant=\"canary\",release=\"rel-1\",code=~\"5..\"}[30s]))");
    }

    @Test
    void escapesValuesForAPromqlStringSoAReleaseIdCannotBreakOutOfItsMatcher() {
        QueryTemplate t = QueryTemplate.parse("requests", "x{release=\"{{release}}\"}");

        assertThat(t.render("ns", "w", "stable", Duration.ofSeconds(1), "a\"}or vector(1)#\\"))
                .isEqualTo("x{release=\"a\\\"}or vector(1)#\\\\\"}");
    }

    @Test
    void rejectsUnknownVariablesAndStrayBracesAtStartUpNamingTheMetric() {
        assertThatThrownBy(() -> QueryTemplate.parse("errors", "sum(x{ns=\"{{namespaces}}\"}[{{interval}}])"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metric 'errors'").hasMessageContaining("{{namespaces}}")
                .hasMessageContaining("{{interval}}").hasMessageContaining("{{window}}");
        assertThatThrownBy(() -> QueryTemplate.parse("errors", "sum(x{ns=\"{{namespace\"})"))
                .hasMessageContaining("'{{' that opens no variable");
        assertThatThrownBy(() -> QueryTemplate.parse("errors", " ")).hasMessageContaining("is empty");
    }

    @Test
    void writesWindowsAsPromqlDurations() {
        assertThat(QueryTemplate.duration(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(QueryTemplate.duration(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(QueryTemplate.duration(Duration.ofMillis(1500))).isEqualTo("1s500ms");
        assertThat(QueryTemplate.duration(Duration.ofHours(25).plusMinutes(1))).isEqualTo("25h1m");
        assertThatThrownBy(() -> QueryTemplate.duration(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
