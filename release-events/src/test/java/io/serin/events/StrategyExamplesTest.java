package io.serin.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/examples/strategies: one tested release request per strategy. */
class StrategyExamplesTest {

    private static final String REQUESTED = "io.serin.release.requested.v1";

    static Path dir() {
        return Docs.examples().resolve("strategies");
    }

    static Stream<String> examples() {
        return Docs.jsonFileNames(dir()).stream();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void validatesDecodesAndReEncodesToTheSameJson(String name) throws Exception {
        JsonNode event = Docs.json(dir().resolve(name + ".json"));
        assertThat(ExamplesTest.validate(REQUESTED, event)).isEmpty();
        EventCodec<ReleaseRequestMessage> codec = EventCodec.of(ReleaseRequestMessage.class);
        CloudEvent<ReleaseRequestMessage> decoded = codec.decode(event.toString().getBytes());
        assertThat(decoded.data()).isInstanceOf(ReleaseRequested.class);
        assertThat(new ObjectMapper().readTree(codec.encode(decoded))).isEqualTo(event);
    }

    @Test
    void everyStrategyHasAnExample() {
        Set<String> strategies = Arrays.stream(Strategy.class.getAnnotation(
                com.fasterxml.jackson.annotation.JsonSubTypes.class).value())
                .map(t -> t.name().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(Docs.jsonFileNames(dir()))).isEqualTo(strategies);
    }
}
