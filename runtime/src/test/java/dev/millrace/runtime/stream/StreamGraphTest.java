package dev.millrace.runtime.stream;

import static dev.millrace.runtime.stream.TestingQueues.ignoring;
import static dev.millrace.runtime.stream.TestingQueues.queueInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Durations;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamGraphTest {
  private final TaskRunner runner = new TaskRunner(2, "graph-test");

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  void planningABatchTakesEachInputsNextBatchAndBuildsItsPlanOnlyWhenAsked() {
    StreamGraph graph = new StreamGraph("plans", Durations.milliseconds(100));
    InputNode<String> letters = queueInput(graph, List.of("a", "b"), List.of("c"));
    InputNode<Integer> numbers = queueInput(graph, List.of(1), List.of(2, 3));
    graph.addOutput(ignoring(letters));
    graph.start(0);

    BatchPlan plan = graph.planBatch(100, false, true).orElseThrow();
    Optional<BatchPlan> unplanned = graph.planBatch(200, false, false);

    assertEquals(100L, plan.batchTime());
    assertEquals(2, plan.inputPlans().size());
    assertEquals(Optional.of(plan), graph.plan(100));
    assertEquals(Optional.empty(), unplanned);
    assertEquals(Optional.empty(), graph.plan(200));
    assertEquals(List.of("a", "b"), runner.collect(letters.planned(100)));
    assertEquals(List.of(1), runner.collect(numbers.planned(100)));
    assertEquals(List.of("c"), runner.collect(letters.planned(200)));
    assertEquals(List.of(2, 3), runner.collect(numbers.planned(200)));
  }

  @Test
  void anotherGraphOfTheSameCodeRebuildsEveryInputOfABatchFromItsPlan() {
    StreamGraph first = new StreamGraph("replay", Durations.milliseconds(100));
    first.addOutput(ignoring(queueInput(first, List.of("a", "b"))));
    queueInput(first, List.of(7, 8, 9));
    first.start(0);
    BatchPlan plan = first.planBatch(100, false, true).orElseThrow();

    StreamGraph second = new StreamGraph("replay", Durations.milliseconds(100));
    InputNode<String> letters = queueInput(second);
    InputNode<Integer> numbers = queueInput(second);
    second.addOutput(ignoring(letters));
    second.start(0);
    second.replayBatch(plan);

    assertEquals(List.of("a", "b"), runner.collect(letters.planned(100)));
    assertEquals(List.of(7, 8, 9), runner.collect(numbers.planned(100)));
    assertEquals(Optional.of(plan), second.plan(100));
  }

  @Test
  void anEmptyBatchHoldsNoRecordsAndNoPlan() {
    StreamGraph graph = new StreamGraph("empty", Durations.milliseconds(100));
    InputNode<String> letters = queueInput(graph, List.of("never taken"));
    graph.addOutput(ignoring(letters));
    graph.start(0);

    graph.emptyBatch(100);

    assertEquals(List.of(), runner.collect(letters.planned(100)));
    assertEquals(Optional.empty(), graph.plan(100));
  }

  @Test
  void forgettingUpToABatchReleasesInputOlderThanOneSlideAndEveryPlanUpToIt() {
    StreamGraph graph = new StreamGraph("forget", Durations.milliseconds(100));
    InputNode<String> letters = queueInput(graph, List.of("a"), List.of("b"), List.of("c"));
    graph.addOutput(ignoring(letters));
    graph.start(0);
    for (long time = 100; time <= 300; time += 100) {
      graph.planBatch(time, false, true);
    }

    graph.forgetUpTo(200);

    // An input is remembered for one slide after its batch, as in the seed.
    assertEquals(null, letters.planned(100));
    assertEquals(List.of("b"), runner.collect(letters.planned(200)));
    assertEquals(List.of("c"), runner.collect(letters.planned(300)));
    assertEquals(2, graph.retainedBatches());
    // Only the batch's own map tasks read its plan, and they have run.
    assertEquals(Optional.empty(), graph.plan(100));
    assertEquals(Optional.empty(), graph.plan(200));
    assertEquals(300L, graph.plan(300).orElseThrow().batchTime());
  }

  @Test
  void refusesToStartWithoutAnOutputAndToChangeOnceStarted() {
    StreamGraph graph = new StreamGraph("frozen", Durations.milliseconds(100));
    InputNode<String> letters = queueInput(graph);

    IllegalStateException noOutput =
        assertThrows(IllegalStateException.class, () -> graph.start(0));
    assertEquals(
        "streaming context 'frozen' has no output operation, so nothing would ever be computed."
            + " Add one before start(): print(), foreachBatch(...) or saveAsTextFiles(...).",
        noOutput.getMessage());

    graph.addOutput(ignoring(letters));
    graph.start(0);
    IllegalStateException late =
        assertThrows(IllegalStateException.class, () -> graph.addOutput(ignoring(letters)));
    assertEquals(
        "cannot add foreachBatch() to streaming context 'frozen': it has already started, and"
            + " operations must be defined before start(). Define the whole graph first, then call"
            + " start().",
        late.getMessage());
  }
}
