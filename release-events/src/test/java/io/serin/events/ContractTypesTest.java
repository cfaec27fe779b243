package io.serin.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The type registry: every message and every polymorphic nested type has exactly one published name. */
class ContractTypesTest {

    /** Sealed types nested in messages, written with their kind in a "type" property. */
    static final List<Class<?>> NESTED_POLYMORPHIC = List.of(Strategy.class, TrafficRouting.class, CanaryStep.class,
            Measure.class, Judge.class);

    static final String ROOT_TYPE_NAME = "io\\.serin\\.[a-z.-]+\\.v[0-9]+";
    static final String NESTED_TYPE_NAME = "[a-z][A-Za-z0-9]*";

    static List<Class<?>> roots = MessageTypes.ROOTS;
    static List<Class<?>> nested = NESTED_POLYMORPHIC;

    @ParameterizedTest
    @FieldSource("roots")
    void everyTopicRootListsExactlyItsPermittedSubclasses(Class<?> root) {
        assertThat(root.isSealed()).as(root + " is sealed").isTrue();
        assertThat(subTypeClasses(root)).as("@JsonSubTypes of " + root.getSimpleName())
                .containsExactlyInAnyOrder(root.getPermittedSubclasses());
    }

    @ParameterizedTest
    @FieldSource("roots")
    void everyMessageTypeNameIsVersionedInTheSerinNamespace(Class<?> root) {
        assertThat(subTypeNames(root)).isNotEmpty().allSatisfy(name -> assertThat(name).matches(ROOT_TYPE_NAME));
    }

    @ParameterizedTest
    @FieldSource("roots")
    void topicRootsLeaveTheTypeToTheCloudEventEnvelope(Class<?> root) {
        assertThat(root.getAnnotation(JsonTypeInfo.class)).as("@JsonTypeInfo on " + root.getSimpleName()).isNull();
    }

    @ParameterizedTest
    @FieldSource("nested")
    void everyNestedPolymorphicTypeListsExactlyItsPermittedSubclasses(Class<?> type) {
        assertThat(type.isSealed()).as(type + " is sealed").isTrue();
        assertThat(subTypeClasses(type)).as("@JsonSubTypes of " + type.getSimpleName())
                .containsExactlyInAnyOrder(type.getPermittedSubclasses());
        assertThat(subTypeNames(type)).allSatisfy(name -> assertThat(name).matches(NESTED_TYPE_NAME));
    }

    @ParameterizedTest
    @FieldSource("nested")
    void everyNestedPolymorphicTypeIsWrittenWithItsNameInATypeProperty(Class<?> type) {
        JsonTypeInfo info = type.getAnnotation(JsonTypeInfo.class);
        assertThat(info).as("@JsonTypeInfo on " + type.getSimpleName()).isNotNull();
        assertThat(info.use()).isEqualTo(JsonTypeInfo.Id.NAME);
        assertThat(info.include()).isEqualTo(JsonTypeInfo.As.PROPERTY);
        assertThat(info.property()).isEqualTo("type");
    }

    @Test
    void everySealedTypeUsedInsideAMessageIsAKnownPolymorphicType() {
        Set<Class<?>> sealed = new LinkedHashSet<>();
        Set<Class<?>> seen = new LinkedHashSet<>();
        for (String type : MessageTypes.all()) {
            collectSealed(MessageTypes.classOf(type), sealed, seen);
        }
        assertThat(sealed).containsExactlyInAnyOrderElementsOf(NESTED_POLYMORPHIC);
    }

    @Test
    void theRegistryMapsEveryTypeToItsClassAndTopicRootAndBack() {
        assertThat(MessageTypes.all()).hasSize(roots.stream().mapToInt(r -> subTypeNames(r).size()).sum());
        for (Class<?> root : roots) {
            for (JsonSubTypes.Type t : root.getAnnotation(JsonSubTypes.class).value()) {
                assertThat(MessageTypes.classOf(t.name())).isEqualTo(t.value());
                assertThat(MessageTypes.typeOf(t.value())).isEqualTo(t.name());
                assertThat(MessageTypes.rootOf(t.name())).isEqualTo(root);
            }
        }
        assertThat(MessageTypes.classOf("io.serin.unknown.v1")).isNull();
        assertThat(MessageTypes.rootOf("io.serin.unknown.v1")).isNull();
    }

    @Test
    void everyTopicHasADeadLetterTopic() {
        assertThat(Topics.allWithDeadLetters()).hasSize(2 * Topics.ALL.size())
                .containsAll(Topics.ALL)
                .containsAll(Topics.ALL.stream().map(t -> t + ".dlq").toList());
    }

    static List<Class<?>> subTypeClasses(Class<?> type) {
        return Arrays.stream(type.getAnnotation(JsonSubTypes.class).value()).<Class<?>>map(JsonSubTypes.Type::value)
                .toList();
    }

    static List<String> subTypeNames(Class<?> type) {
        List<String> names = Arrays.stream(type.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::name).toList();
        assertThat(names).as("type names of " + type.getSimpleName()).doesNotHaveDuplicates()
                .allSatisfy(n -> assertThat(n).isNotBlank());
        return names;
    }

    private static void collectSealed(Class<?> c, Set<Class<?>> sealed, Set<Class<?>> seen) {
        if (!seen.add(c) || !c.getPackageName().equals(MessageTypes.class.getPackageName())) {
            return;
        }
        if (c.isSealed()) {
            sealed.add(c);
            for (Class<?> sub : c.getPermittedSubclasses()) {
                collectSealed(sub, sealed, seen);
            }
        }
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                for (Class<?> used : classesIn(rc.getGenericType())) {
                    collectSealed(used, sealed, seen);
                }
            }
        }
    }

    private static Set<Class<?>> classesIn(Type type) {
        if (type instanceof Class<?> c) {
            return Set.of(c);
        }
        if (type instanceof ParameterizedType p) {
            return Arrays.stream(p.getActualTypeArguments()).flatMap(a -> classesIn(a).stream())
                    .collect(Collectors.toSet());
        }
        return Set.of();
    }
}
