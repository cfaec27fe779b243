package io.serin.sandbox;

import io.serin.events.EventCodec;
import io.serin.events.MessageTypes;
import io.serin.events.ReleaseEvent;
import io.serin.events.ReleaseRequestMessage;
import io.serin.events.ReleaseRequested;
import io.serin.events.Strategy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every event and strategy type has its line: rendered from the contract's own examples. */
class ProgressDisplayTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("serin.home", "..")).resolve("docs/examples");

    @Test
    void rendersEveryReleaseEventType() throws IOException {
        ProgressDisplay display = new ProgressDisplay();
        for (Class<?> type : ReleaseEvent.class.getPermittedSubclasses()) {
            Path example = EXAMPLES.resolve(MessageTypes.typeOf(type.asSubclass(ReleaseEvent.class)) + ".json");
            ReleaseEvent event = EventCodec.of(ReleaseEvent.class).decode(Files.readAllBytes(example)).data();

            assertThat(display.render(event)).as(type.getSimpleName()).matches("(?s)\\[.{10}] #\\d+ +\\S.*");
        }
    }

    @Test
    void namesEveryStrategy() throws IOException {
        Set<Class<?>> named = new HashSet<>();
        try (Stream<Path> files = Files.list(EXAMPLES.resolve("strategies"))) {
            for (Path f : files.toList()) {
                Strategy strategy = ((ReleaseRequested) EventCodec.of(ReleaseRequestMessage.class)
                        .decode(Files.readAllBytes(f)).data()).strategy();
                assertThat(ProgressDisplay.strategy(strategy)).isNotBlank();
                named.add(strategy.getClass());
            }
        }
        assertThat(named).containsExactlyInAnyOrder(Strategy.class.getPermittedSubclasses());
    }
}
