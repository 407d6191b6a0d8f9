package dev.millrace.runtime.stream;

import static dev.millrace.runtime.stream.TestingQueues.ignoring;
import static dev.millrace.runtime.stream.TestingQueues.queueInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.Durations;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UnionNodeTest {
  private final TaskRunner runner = new TaskRunner(2, "union-test");
  private final StreamGraph graph = new StreamGraph("unions", Durations.milliseconds(100));

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  void holdsEveryMembersBatchOfTheSameTimeInMemberOrder() {
    InputNode<String> left = queueInput(graph, List.of("a", "b"), List.of(), List.of("e"));
    InputNode<String> right = queueInput(graph, List.of("x"), List.of("y", "z"));
    UnionNode<String> union = new UnionNode<>(List.of(left, right));
    graph.addOutput(ignoring(union));
    graph.start(0);

    StringBuilder seen = new StringBuilder();
    for (long time = 100; time <= 300; time += 100) {
      graph.planBatch(time, false, false);
      seen.append(time).append(' ').append(runner.collect(union.getOrCompute(time))).append(' ');
    }

    assertEquals("100 [a, b, x] 200 [y, z] 300 [e] ", seen.toString());
  }

  @Test
  void refusesMembersWithDifferentSlidesNamingBoth() {
    InputNode<String> batches = queueInput(graph);
    WindowNode<String> everyOther =
        new WindowNode<>(
            batches, "window", Durations.milliseconds(200), Durations.milliseconds(200));

    ConfigurationException e =
        assertThrows(
            ConfigurationException.class, () -> new UnionNode<>(List.of(batches, everyOther)));

    assertEquals(
        "union(): the streams must have the same slide interval, but "
            + batches.name()
            + " slides every 100 ms and "
            + everyOther.name()
            + " every 200 ms",
        e.getMessage());
  }
}
