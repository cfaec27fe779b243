package io.serin.executor.execute;

import io.serin.events.FailureReason;
import org.junit.jupiter.api.Test;

import static io.serin.executor.execute.PathRoutes.Overlap.KEEP;
import static io.serin.executor.execute.PathRoutes.Overlap.NARROW;
import static io.serin.executor.execute.PathRoutes.Overlap.NONE;
import static io.serin.executor.execute.PathRoutes.PathKind.ANY;
import static io.serin.executor.execute.PathRoutes.PathKind.EXACT;
import static io.serin.executor.execute.PathRoutes.PathKind.OTHER;
import static io.serin.executor.execute.PathRoutes.PathKind.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names and reach of path prefix routes. */
class PathRoutesTest {

    @Test
    void namesSimplePrefixesReadably() {
        assertThat(PathRoutes.slug("/v2")).isEqualTo("v2");
        assertThat(PathRoutes.slug("/api/v2")).isEqualTo("api-v2");
    }

    @Test
    void givesPrefixesThatWouldShareANameAHashEach() {
        assertThat(PathRoutes.slug("/api-v2")).startsWith("api-v2-").isNotEqualTo(PathRoutes.slug("/api/v2"));
        assertThat(PathRoutes.slug("/v2/")).startsWith("v2-").isNotEqualTo(PathRoutes.slug("/v2"));
        assertThat(PathRoutes.slug("/V2")).isNotEqualTo(PathRoutes.slug("/v2"));
        assertThat(PathRoutes.slug("/" + "segment/".repeat(20))).hasSizeLessThanOrEqualTo(40).matches("[a-z0-9-]+");
        assertThat(PathRoutes.slug("/~")).matches("[0-9a-f]{7}");
    }

    @Test
    void refusesWhatIsNotAPathBelowTheRoot() {
        for (String bad : new String[] {"/", "v2", "", "/v 2"}) {
            assertThatThrownBy(() -> PathRoutes.slug(bad)).isInstanceOfSatisfying(ExecutionFailure.class,
                    e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID));
        }
    }

    @Test
    void narrowsOnlyRoutesThatServePathsUnderThePrefix() {
        assertThat(PathRoutes.overlap(ANY, null, "/v2")).isEqualTo(NARROW);
        assertThat(PathRoutes.overlap(PREFIX, "/", "/v2")).isEqualTo(NARROW);
        assertThat(PathRoutes.overlap(PREFIX, "/v2/users", "/v2")).isEqualTo(KEEP);
        assertThat(PathRoutes.overlap(PREFIX, "/api", "/v2")).isEqualTo(NONE);
        assertThat(PathRoutes.overlap(EXACT, "/v2/health", "/v2")).isEqualTo(KEEP);
        assertThat(PathRoutes.overlap(EXACT, "/health", "/v2")).isEqualTo(NONE);
        assertThat(PathRoutes.overlap(OTHER, "/v[0-9]+", "/v2")).isEqualTo(NONE);
    }
}
