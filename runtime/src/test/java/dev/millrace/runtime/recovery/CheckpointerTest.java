package dev.millrace.runtime.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.checkpoint.AppManifest;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.checkpoint.CorruptBatchPlanException;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.scheduler.ListenerBus;
import dev.millrace.runtime.source.QueueSource;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.OutputOperation;
import dev.millrace.runtime.stream.StateNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerTest {
  private static final long INTERVAL = 100;
  // A generation every two batches: at 0 (the fresh start), 200, 400...
  private static final long CHECKPOINT_INTERVAL = 200;

  @TempDir Path temp;

  private final TaskRunner runner = new TaskRunner(2, "checkpointer-test");
  private final List<Long> checkpointsHeard = new ArrayList<>();
  private final List<CheckpointStore> stores = new ArrayList<>();

  @AfterEach
  void close() {
    stores.forEach(CheckpointStore::close);
    runner.close();
  }

  @Test
  void aFreshStartWritesTheManifestAndTheFirstGenerationAtTheZeroTime() {
    App app = new App();
    CheckpointStore store = store();
    Checkpointer checkpointer = checkpointer(store, app.graph);

    StartPoint start = checkpointer.open(100, false);
    checkpointer.started(start);

    assertEquals(new StartPoint.Fresh(100), start);
    assertEquals(0L, app.graph.zeroTime());
    AppManifest manifest = store.readAppManifest().orElseThrow();
    assertEquals(0L, manifest.zeroTimeMillis());
    assertEquals(Checkpointer.fingerprint(app.graph), manifest.statefulOperators());
    assertEquals(0L, store.latestValid().orElseThrow().batchTime());
    assertEquals(List.of(0L), checkpointsHeard);
  }

  @Test
  void aRecoveryRestoresTheNewestGenerationAndReplaysTheBatchesLoggedAfterItWithTheirPlans() {
    Map<Long, BatchPlan> plans = firstRunDiesInBatchFour();
    checkpointsHeard.clear();

    App again = new App();
    StartPoint start = checkpointer(store(), again.graph).open(1000, false);

    StartPoint.Recovered recovered = assertInstanceOf(StartPoint.Recovered.class, start);
    assertEquals(List.of(200L), checkpointsHeard);
    assertEquals(Map.of("a", 2, "b", 1), state(again.counts, 200));
    assertEquals(
        List.of(
            new LoggedBatch(300, Optional.of(plans.get(300L)), true),
            new LoggedBatch(400, Optional.of(plans.get(400L)), false)),
        recovered.replays());
    // The generator continues after the last logged batch, not at the first batch after now.
    assertEquals(500L, recovered.nextBatchTime());
  }

  @Test
  void aRecoveryFallsBackPastADamagedNewestGenerationToThePreviousOne() throws IOException {
    Map<Long, BatchPlan> plans = firstRunDiesInBatchFour();
    checkpointsHeard.clear();
    flipTheLastByte(
        directory().resolve("generations/00000000000000000200").resolve(Checkpointer.stateFile(0)));

    App again = new App();
    StartPoint start = checkpointer(store(), again.graph).open(1000, false);

    StartPoint.Recovered recovered = assertInstanceOf(StartPoint.Recovered.class, start);
    assertEquals(List.of(0L), checkpointsHeard);
    assertEquals(
        List.of(
            new LoggedBatch(100, Optional.of(plans.get(100L)), true),
            new LoggedBatch(200, Optional.of(plans.get(200L)), true),
            new LoggedBatch(300, Optional.of(plans.get(300L)), true),
            new LoggedBatch(400, Optional.of(plans.get(400L)), false)),
        recovered.replays());
    assertEquals(500L, recovered.nextBatchTime());
  }

  @Test
  void aDamagedPlanTheRecoveryNeedsStopsItNamingTheFileAndTheWayOut() throws IOException {
    firstRunDiesInBatchFour();
    Path plan = directory().resolve("batches/00000000000000000300.plan");
    flipTheLastByte(plan);

    App again = new App();
    Checkpointer checkpointer = checkpointer(store(), again.graph);
    CorruptBatchPlanException e =
        assertThrows(CorruptBatchPlanException.class, () -> checkpointer.open(1000, false));

    assertEquals(300L, e.batchTime());
    String message = e.getMessage();
    assertTrue(message.contains(plan.toString()), message);
    assertTrue(message.contains("CRC32"), message);
    assertTrue(message.contains("Restore it from a backup"), message);
  }

  /**
   * A first run: batches 100 to 300 commit their outputs, generations are written at 0 and 200, and
   * the driver dies after logging batch 400's plan, before its outputs commit.
   *
   * @return each batch's plan, as it was logged
   */
  private Map<Long, BatchPlan> firstRunDiesInBatchFour() {
    App app =
        new App(
            List.of(Pair.of("a", 1)),
            List.of(Pair.of("a", 1), Pair.of("b", 1)),
            List.of(Pair.of("b", 1)),
            List.of(Pair.of("c", 1)));
    CheckpointStore store = store();
    Checkpointer checkpointer = checkpointer(store, app.graph);
    checkpointer.started(checkpointer.open(100, false));
    Map<Long, BatchPlan> plans = new TreeMap<>();
    for (long time = 100; time <= 400; time += INTERVAL) {
      BatchPlan plan = app.graph.planBatch(time, false, true).orElseThrow();
      checkpointer.recordPlan(plan);
      plans.put(time, plan);
      if (time < 400) {
        Optional<List<byte[]>> positions =
            checkpointer.isCheckpointTime(time)
                ? Optional.of(checkpointer.sourceSnapshots())
                : Optional.empty();
        checkpointer.completed(time, positions);
      }
    }
    assertEquals(200L, store.latestValid().orElseThrow().batchTime());
    stores.remove(store);
    store.close();
    return plans;
  }

  private Map<String, Integer> state(StateNode<String, Integer, Integer> counts, long time) {
    Map<String, Integer> state = new TreeMap<>();
    for (Pair<String, Integer> pair : runner.collect(counts.getOrCompute(time))) {
      state.put(pair.key(), pair.value());
    }
    return state;
  }

  private static void flipTheLastByte(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 0x01;
    Files.write(file, bytes);
  }

  private Path directory() {
    return temp.resolve("checkpoint");
  }

  private CheckpointStore store() {
    CheckpointStore store =
        new CheckpointStore(directory().toUri().toString(), new Configuration(), 3);
    stores.add(store);
    return store;
  }

  private Checkpointer checkpointer(CheckpointStore store, StreamGraph graph) {
    ListenerBus listeners = new ListenerBus();
    listeners.add(
        new StreamingListener() {
          @Override
          public void onCheckpointCompleted(long batchTime) {
            checkpointsHeard.add(batchTime);
          }
        });
    return new Checkpointer(
        store, RecordCodec.standard(), graph, runner, listeners, CHECKPOINT_INTERVAL);
  }

  /** A running count per word over a queue of batches, as the code of one application. */
  private static final class App {
    final StreamGraph graph = new StreamGraph("counts", Durations.milliseconds(INTERVAL));
    final StateNode<String, Integer, Integer> counts;

    @SafeVarargs
    App(List<Pair<String, Integer>>... batches) {
      Queue<List<Pair<String, Integer>>> queue = new ConcurrentLinkedQueue<>(List.of(batches));
      InputNode<Pair<String, Integer>> words =
          new InputNode<>(graph, "queueStream", QueueSource.input(queue, true, 2));
      counts =
          new StateNode<>(
              words,
              (values, state) ->
                  Optional.of(state.orElse(0) + values.stream().mapToInt(v -> v).sum()),
              2);
      graph.addOutput(new OutputOperation<>("foreachBatch", counts, (data, time) -> {}));
    }
  }
}
