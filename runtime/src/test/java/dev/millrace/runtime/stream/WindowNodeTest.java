package dev.millrace.runtime.stream;

import static dev.millrace.runtime.stream.TestingQueues.ignoring;
import static dev.millrace.runtime.stream.TestingQueues.queueInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.Durations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WindowNodeTest {
  private static final long INTERVAL = 100;
  private final TaskRunner runner = new TaskRunner(2, "window-test");
  private final StreamGraph graph = new StreamGraph("windows", Durations.milliseconds(INTERVAL));
  // Batch k (at time k * 100) holds the one record k.
  private final InputNode<Integer> numbers =
      queueInput(graph, List.of(1), List.of(2), List.of(3), List.of(4), List.of(5), List.of(6));

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  void aWindowOfThreeBatchesSlidingByTwoHoldsTheLastThreeBatchesAtEverySecondBatch() {
    WindowNode<Integer> window =
        new WindowNode<>(
            numbers, "window", Durations.milliseconds(300), Durations.milliseconds(200));

    assertEquals(
        List.of("100 -", "200 [1, 2]", "300 -", "400 [2, 3, 4]", "500 -", "600 [4, 5, 6]"),
        runSixBatches(window));
  }

  @Test
  void aWindowOfTwoBatchesSlidingByOneHoldsEachBatchAndTheOneBefore() {
    WindowNode<Integer> window =
        new WindowNode<>(
            numbers, "window", Durations.milliseconds(200), Durations.milliseconds(100));

    assertEquals(
        List.of("100 [1]", "200 [1, 2]", "300 [2, 3]", "400 [3, 4]", "500 [4, 5]", "600 [5, 6]"),
        runSixBatches(window));
  }

  @Test
  void aTumblingWindowHoldsEachBatchOnce() {
    WindowNode<Integer> window =
        new WindowNode<>(
            numbers, "window", Durations.milliseconds(300), Durations.milliseconds(300));

    assertEquals(
        List.of("100 -", "200 -", "300 [1, 2, 3]", "400 -", "500 -", "600 [4, 5, 6]"),
        runSixBatches(window));
  }

  @Test
  void refusesALengthThatIsNotAMultipleOfTheBatchIntervalSuggestingOne() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                new WindowNode<>(
                    numbers, "window", Durations.milliseconds(250), Durations.milliseconds(100)));

    assertEquals(
        "window(): the window length 250 ms must be a positive multiple of the stream's batch"
            + " interval 100 ms, for example 200 ms",
        e.getMessage());
  }

  @Test
  void refusesASlideThatIsNotAMultipleOfTheBatchInterval() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                new WindowNode<>(
                    numbers, "window", Durations.milliseconds(300), Durations.milliseconds(150)));

    assertEquals(
        "window(): the slide interval 150 ms must be a positive multiple of the stream's batch"
            + " interval 100 ms, for example 100 ms",
        e.getMessage());
  }

  @Test
  void aWindowHasNoBatchAtTimesBetweenItsSlides() {
    WindowNode<Integer> window =
        new WindowNode<>(
            numbers, "window", Durations.milliseconds(400), Durations.milliseconds(200));
    graph.addOutput(ignoring(window));
    graph.start(0);
    graph.planBatch(100, false, false);

    assertNull(window.getOrCompute(100));
  }

  /** Plans batches 100 to 600 and reads the window at each: "time [records]", or "time -". */
  private List<String> runSixBatches(WindowNode<Integer> window) {
    graph.addOutput(ignoring(window));
    graph.start(0);
    List<String> seen = new ArrayList<>();
    for (long time = INTERVAL; time <= 6 * INTERVAL; time += INTERVAL) {
      graph.planBatch(time, false, false);
      var batch = window.getOrCompute(time);
      seen.add(time + " " + (batch == null ? "-" : runner.collect(batch).toString()));
    }
    return seen;
  }
}
