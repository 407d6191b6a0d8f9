package dev.millrace.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.Engine;
import dev.millrace.runtime.stream.StateNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.streaming.DStream;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingContext;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DistributedStateRunnerTest {

  /** Whether an executor could rebuild the state {@code define} makes over its input stream. */
  private static boolean movable(Function<StreamingContext, DStream<String>> input) {
    StreamingContext ssc = new StreamingContext("local[2]", "state", Durations.seconds(1));
    DStream<String> words = input.apply(ssc);
    words
        .mapToPair(w -> Pair.of(w, 1))
        .reduceByKey(Integer::sum)
        .updateStateByKey(
            (List<Integer> counts, Optional<Integer> total) ->
                Optional.of(total.orElse(0) + counts.stream().mapToInt(c -> c).sum()))
        .print();
    StreamGraph graph = Engine.graphOf(Contexts.description(ssc));
    StateNode<?, ?, ?> state =
        (StateNode<?, ?, ?>)
            graph.nodes().stream().filter(n -> n instanceof StateNode).findFirst().orElseThrow();
    return DistributedStateRunner.rebuildableElsewhere(state.parents());
  }

  @Test
  void stateOverFilesOrQueuesThroughStatelessOperatorsAndShufflesCanMoveToExecutors() {
    assertEquals(true, movable(ssc -> ssc.textFileStream("/tmp/in")));
    assertEquals(true, movable(ssc -> ssc.queueStream(new ArrayDeque<>())));
  }

  @Test
  void stateOverASocketOrAWindowStaysInTheDriver() {
    // A socket stream's write-ahead log is open in the driver only; a window needs older batches.
    assertEquals(false, movable(ssc -> ssc.socketTextStream("localhost", 9999)));
    assertEquals(
        false,
        movable(
            ssc ->
                ssc.textFileStream("/tmp/in").window(Durations.seconds(3), Durations.seconds(1))));
  }
}
