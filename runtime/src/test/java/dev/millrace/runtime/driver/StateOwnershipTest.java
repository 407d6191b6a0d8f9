package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.Engine;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingContext;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateOwnershipTest {

  @Test
  void moreExecutorsThanStatePartitionsIsWarnedWithTheCountThatUsesThemAll() {
    String warning =
        StateOwnership.executorsWithoutState(4, 2, Map.of("updateStateByKey#3", 2), 2)
            .orElseThrow();

    assertTrue(
        warning.startsWith("spec.executor.instances is 4, but the keyed state has 2"), warning);
    assertTrue(warning.contains("2 executors own no state"), warning);
    assertTrue(warning.contains("millrace.default.parallelism in spec.application.conf"), warning);
    assertTrue(warning.contains("to at least 8 (executor.instances × executor.cores"), warning);
  }

  @Test
  void partitionsOfSeveralStatesSpreadTogetherSoTheirSumCounts() {
    Map<String, Integer> states = Map.of("updateStateByKey#3", 2, "reduceByKeyAndWindow#5", 2);
    assertEquals(Optional.empty(), StateOwnership.executorsWithoutState(4, 1, states, 2));
    assertTrue(StateOwnership.executorsWithoutState(5, 1, states, 2).isPresent());
  }

  @Test
  void withoutKeyedStateOrExecutorsThereIsNothingToSay() {
    assertEquals(Optional.empty(), StateOwnership.executorsWithoutState(4, 1, Map.of(), 1));
    assertEquals(Optional.empty(), StateOwnership.executorsWithoutState(0, 1, Map.of("s#1", 1), 1));
  }

  @Test
  void theStatesOfAGraphAreItsUpdateStateByKeyAndIncrementalWindowsWithTheirCounts() {
    StreamingContext ssc =
        StreamingContext.builder()
            .master("local[3]")
            .appName("states")
            .batchInterval(Durations.seconds(1))
            .build();
    var pairs = ssc.queueStream(new ArrayDeque<List<String>>(), true).mapToPair(w -> Pair.of(w, 1));
    pairs
        .updateStateByKey(
            (List<Integer> v, Optional<Integer> s) -> Optional.of(s.orElse(0) + v.size()))
        .print();
    pairs
        .reduceByKeyAndWindow(
            Integer::sum, (a, b) -> a - b, Durations.seconds(2), Durations.seconds(1), 5, null)
        .print();
    pairs.reduceByKey(Integer::sum).print();

    Map<String, Integer> states =
        StateOwnership.partitionedStates(Engine.graphOf(Contexts.description(ssc)));

    assertEquals(List.of(3, 5), List.copyOf(states.values()), states.toString());
    assertTrue(
        states.keySet().iterator().next().startsWith("updateStateByKey#"), states.toString());
  }
}
