package io.serin.executor.execute;

import io.serin.events.ExecutorCommand;
import io.serin.events.ExecutorResult;
import io.serin.events.RouteMatch;
import io.serin.events.TrafficRouting;
import io.serin.events.VersionSpec;
import io.serin.events.WorkloadRef;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every command and every routing of the contract is handled: adding one to the contract fails
 * here until {@link CommandHandler} dispatches it.
 */
class DispatchTest extends RouterTestBase {

    @Override
    TrafficRouting routing() {
        return new TrafficRouting.ReplicaRatio();
    }

    @Test
    void everyRoutingTypeHasARouter() throws Exception {
        for (Class<?> type : TrafficRouting.class.getPermittedSubclasses()) {
            TrafficRouting routing = (TrafficRouting) sample(type);
            assertThatCode(() -> assertThat(handler.router(routing)).isNotNull()).as(type.getSimpleName())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void everyCommandTypeIsDispatched() throws Exception {
        WorkloadRef missing = new WorkloadRef(WorkloadRef.DEPLOYMENT, ns, "nope");
        for (Class<?> type : ExecutorCommand.class.getPermittedSubclasses()) {
            ExecutorCommand command = (ExecutorCommand) sample(type, missing);
            ExecutorResult result = handler.handle(command);
            // a clear rejection, never a crash: no INTERNAL, which is what an unexpected exception becomes
            assertThat(result).as(type.getSimpleName()).isInstanceOfSatisfying(ExecutorResult.Failed.class, f -> {
                assertThat(f.message()).as(type.getSimpleName()).doesNotContain("unhandled");
                assertThat(f.reason()).as(type.getSimpleName() + ": " + f.message())
                        .isNotEqualTo(io.serin.events.FailureReason.INTERNAL);
            });
        }
    }

    private Object sample(Class<?> type) throws Exception {
        return sample(type, target);
    }

    /** An instance of a record with plausible values, whatever its components. */
    private Object sample(Class<?> type, WorkloadRef ref) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        List<Object> args = new ArrayList<>();
        List<Class<?>> types = new ArrayList<>();
        for (RecordComponent c : components) {
            types.add(c.getType());
            Class<?> t = c.getType();
            args.add(t == String.class ? "x" : t == int.class || t == Integer.class ? 25
                    : t == WorkloadRef.class ? ref : t == VersionSpec.class ? image("v2")
                    : t == RouteMatch.class ? RouteMatch.header("x-canary", "always")
                    : t == TrafficRouting.class ? new TrafficRouting.ReplicaRatio()
                    : t == List.class ? List.of() : null);
        }
        return type.getDeclaredConstructor(types.toArray(Class<?>[]::new)).newInstance(args.toArray());
    }
}
