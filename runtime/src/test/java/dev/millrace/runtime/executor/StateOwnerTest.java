package dev.millrace.runtime.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.Engine;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.stream.StateNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.transport.Message.RunStateTask;
import dev.millrace.runtime.transport.Message.StateOp;
import dev.millrace.runtime.transport.Message.StateTaskDone;
import dev.millrace.runtime.transport.Message.TaskFailed;
import dev.millrace.runtime.transport.Message.TaskResult;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingContext;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An executor's state partitions, driven by state tasks as the driver sends them. */
class StateOwnerTest {
  private static final long ZERO = 10_000;
  private static final RecordCodec CODEC = RecordCodec.standard();

  private final StateOwner owner =
      new StateOwner(2, getClass().getClassLoader(), StateOwnerTest::runningCount, () -> null);
  private final AtomicLong taskIds = new AtomicLong();
  private final int node = stateNode(runningCount(ZERO));

  @AfterEach
  void close() {
    owner.close();
  }

  /** A running count of words over a queue: the state the tasks name. */
  private static StreamGraph runningCount(long zeroTime) {
    StreamingContext ssc = new StreamingContext("local[2]", "words", Durations.seconds(1));
    ssc.queueStream(new ArrayDeque<List<String>>())
        .mapToPair(w -> Pair.of(w, 1))
        .updateStateByKey(
            (List<Integer> ones, Optional<Integer> total) ->
                Optional.of(total.orElse(0) + ones.size()))
        .print();
    StreamGraph graph = Engine.graphOf(Contexts.description(ssc));
    graph.start(zeroTime);
    return graph;
  }

  private static int stateNode(StreamGraph graph) {
    return graph.nodes().stream()
        .filter(n -> n instanceof StateNode)
        .findFirst()
        .orElseThrow()
        .id();
  }

  private TaskResult run(StateOp op, long batchTime, long previousTime, List<Object> records)
      throws Exception {
    CompletableFuture<TaskResult> reply = new CompletableFuture<>();
    owner.run(
        new RunStateTask(
            taskIds.incrementAndGet(),
            1,
            1,
            ZERO,
            node,
            0,
            op,
            batchTime,
            previousTime,
            CODEC.encode(records)),
        reply::complete);
    return reply.get(30, TimeUnit.SECONDS);
  }

  private Map<Object, Object> fetch(long batchTime) throws Exception {
    TaskResult result = run(StateOp.FETCH, batchTime, -1, List.of());
    StateTaskDone done = assertInstanceOf(StateTaskDone.class, result, result.toString());
    List<Object> flat = CODEC.decode(done.records());
    Map<Object, Object> state = new TreeMap<>();
    for (int i = 0; i < flat.size(); i += 2) {
      state.put(flat.get(i), flat.get(i + 1));
    }
    return state;
  }

  @Test
  void anOwnerUpdatesThePartitionItHoldsAndKeepsTheNewestStatesReadable() throws Exception {
    run(StateOp.SET, ZERO + 1_000, -1, List.of("a", 2, "b", 1));

    run(StateOp.UPDATE, ZERO + 2_000, ZERO + 1_000, List.of("a", List.of(1, 1), "c", List.of(1)));

    assertEquals(Map.of("a", 4, "b", 1, "c", 1), fetch(ZERO + 2_000));
    assertEquals(Map.of("a", 2, "b", 1), fetch(ZERO + 1_000), "the previous state, still kept");
    assertEquals(1, owner.partitionsHeld());
  }

  @Test
  void aStateTheOwnerDoesNotHoldFailsTheTaskNamingWhatItHolds() throws Exception {
    run(StateOp.SET, ZERO + 1_000, -1, List.of("a", 2));

    TaskResult result = run(StateOp.UPDATE, ZERO + 3_000, ZERO + 2_000, List.of());

    TaskFailed failed = assertInstanceOf(TaskFailed.class, result, result.toString());
    assertTrue(failed.message().contains("at batch " + (ZERO + 2_000)), failed.message());
    assertTrue(failed.message().contains("[" + (ZERO + 1_000) + "]"), failed.message());
  }

  @Test
  void aDroppedOrClearedPartitionIsForgotten() throws Exception {
    run(StateOp.SET, ZERO + 1_000, -1, List.of("a", 2));
    run(StateOp.DROP, ZERO + 1_000, -1, List.of());
    assertEquals(0, owner.partitionsHeld(), "a partition that moved to another owner");

    run(StateOp.SET, ZERO + 1_000, -1, List.of("a", 2));
    owner.clear();
    assertEquals(0, owner.partitionsHeld(), "a session that ended");
  }

  @Test
  void withoutACheckpointDirectoryASnapshotFailsSayingSo() throws Exception {
    run(StateOp.SET, ZERO + 1_000, -1, List.of("a", 2));

    TaskResult result = run(StateOp.SNAPSHOT, ZERO + 1_000, ZERO + 1_000, List.of());

    TaskFailed failed = assertInstanceOf(TaskFailed.class, result, result.toString());
    assertTrue(failed.message().contains("no checkpoint directory"), failed.message());
  }
}
