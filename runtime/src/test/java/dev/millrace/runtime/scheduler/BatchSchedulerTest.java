package dev.millrace.runtime.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.recovery.Checkpointer;
import dev.millrace.runtime.source.QueueSource;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.OutputOperation;
import dev.millrace.runtime.stream.StateNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.ManualClock;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingException;
import dev.millrace.streaming.StreamingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchSchedulerTest {
  private static final long INTERVAL = 100;
  // Ten batches: within these tests only a fresh start's zero-time generation and a final
  // checkpoint are written.
  private static final long CHECKPOINT_INTERVAL = 1000;
  private static final long WAIT_SECONDS = 30;

  @TempDir Path temp;

  private final ManualClock clock = new ManualClock(0);
  private final TaskRunner runner = new TaskRunner(2, "scheduler-test");
  private final ListenerBus listeners = new ListenerBus();
  private final LinkedBlockingQueue<Long> submitted = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Long> completed = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<String> failed = new LinkedBlockingQueue<>();
  private final CompletableFuture<StreamingException> failure = new CompletableFuture<>();
  private final List<String> outputs = Collections.synchronizedList(new ArrayList<>());
  private final List<CheckpointStore> stores = new ArrayList<>();
  private BatchScheduler scheduler;
  private Thread stopper;

  BatchSchedulerTest() {
    listeners.add(
        new StreamingListener() {
          @Override
          public void onBatchSubmitted(BatchInfo batch) {
            submitted.add(batch.batchTime());
          }

          @Override
          public void onBatchCompleted(BatchInfo batch) {
            completed.add(batch.batchTime());
          }

          @Override
          public void onBatchFailed(BatchInfo batch, String error) {
            failed.add(batch.batchTime() + " after " + batch.processingDelay() + " ms: " + error);
          }
        });
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    if (scheduler != null) {
      scheduler.stop(false, TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }
    stores.forEach(CheckpointStore::close);
    runner.close();
  }

  @Test
  void runsEveryBatchTheClockReachesInTimeOrderWithTheInputItTook() throws Exception {
    StreamGraph graph = new StreamGraph("in-order", Durations.milliseconds(INTERVAL));
    InputNode<String> words = queueInput(graph, List.of("a"), List.of("b", "c"), List.of("d"));
    graph.addOutput(recording(words, time -> {}));
    scheduler = scheduler(graph, null);

    scheduler.start(BatchScheduler.firstBatchTime(clock.millis(), INTERVAL));
    clock.setTime(300);

    assertEquals(List.of(100L, 200L, 300L), take(completed, 3));
    assertEquals(List.of("100 [a]", "200 [b, c]", "300 [d]"), outputs);
    // The generator waits for batch 400, which the clock has not reached.
    assertEquals(List.of(100L, 200L, 300L), new ArrayList<>(submitted));
    assertEquals(300L, scheduler.lastCompletedBatch());
  }

  @Test
  void gracefulStopRunsEveryQueuedBatchAndWritesTheFinalCheckpointAfterTheLast() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CheckpointStore store = threeBatchesQueuedBehindAHeldOne("graceful", release);

    CompletableFuture<Boolean> stopped = stopInBackground(true);
    awaitDraining();
    release.countDown();

    assertTrue(stopped.get(WAIT_SECONDS, TimeUnit.SECONDS), "processing ended within the timeout");
    assertEquals(List.of("100 [a]", "200 [b]", "300 [c]"), outputs);
    assertEquals(300L, store.latestValid().orElseThrow().batchTime());
  }

  @Test
  void stopWithoutGraceDropsTheQueuedBatchesAndWritesNoFinalCheckpoint() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CheckpointStore store = threeBatchesQueuedBehindAHeldOne("abrupt", release);

    CompletableFuture<Boolean> stopped = stopInBackground(false);
    awaitStopperWaitingForTheProcessor();
    release.countDown();

    assertTrue(stopped.get(WAIT_SECONDS, TimeUnit.SECONDS), "processing ended within the timeout");
    assertEquals(List.of("100 [a]"), outputs);
    // Only the fresh start's generation at the zero time.
    assertEquals(0L, store.latestValid().orElseThrow().batchTime());
  }

  @Test
  void aFailedBatchEndsProcessingSoThatNoLaterBatchRuns() throws Exception {
    StreamGraph graph = new StreamGraph("failing", Durations.milliseconds(INTERVAL));
    InputNode<String> words = queueInput(graph, List.of("a"), List.of("b"), List.of("c"));
    graph.addOutput(
        recording(
            words,
            time -> {
              if (time == 200) {
                throw new IllegalStateException("the sink is down");
              }
            }));
    scheduler = scheduler(graph, null);

    scheduler.start(100);
    clock.setTime(400);

    StreamingException e = failure.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertTrue(
        e.getMessage()
            .startsWith(
                "batch 200 of 'failing' failed in output operation recording of queueStream"),
        e.getMessage());
    assertTrue(scheduler.awaitProcessorEnd(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)));
    assertEquals(List.of("100 [a]", "200 [b]"), outputs);
    assertEquals(100L, scheduler.lastCompletedBatch());
    // The listeners hear of the failure, with the error that stopped the context.
    assertEquals("200 after 0 ms: " + e.getMessage(), failed.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(List.of(100L), new ArrayList<>(completed));
  }

  @Test
  void aRecoveredStartMovesStateThroughCommittedBatchesWithoutRunningTheirOutputsAgain()
      throws Exception {
    // First run: batches 100 and 200 commit their outputs; batch 300's output fails after its
    // plan was logged.
    StreamGraph first = new StreamGraph("recovered", Durations.milliseconds(INTERVAL));
    StateNode<String, Integer, Integer> counts =
        runningCount(
            queueInput(
                first,
                List.of(Pair.of("a", 1)),
                List.of(Pair.of("a", 1), Pair.of("b", 1)),
                List.of(Pair.of("a", 1))));
    first.addOutput(
        recording(
            counts,
            time -> {
              if (time == 300) {
                throw new IllegalStateException("the sink is down");
              }
            }));
    scheduler = scheduler(first, checkpointer(store("recovered"), first));
    scheduler.start(100);
    clock.setTime(300);
    failure.get(WAIT_SECONDS, TimeUnit.SECONDS);
    scheduler.stop(false, TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    stores.remove(0).close();
    assertEquals(List.of("100 [a=1]", "200 [a=2, b=1]", "300 [a=3, b=1]"), outputs);
    outputs.clear();
    completed.clear();

    // Second run, same graph, nothing new in its queue.
    StreamGraph second = new StreamGraph("recovered", Durations.milliseconds(INTERVAL));
    second.addOutput(recording(runningCount(queueInput(second)), time -> {}));
    scheduler = scheduler(second, checkpointer(store("recovered"), second));
    scheduler.start(BatchScheduler.firstBatchTime(clock.millis(), INTERVAL));

    assertEquals(List.of(300L), take(completed, 1));
    // 100 and 200 only moved the state (restored empty from the zero-time generation) forward.
    assertEquals(List.of("300 [a=3, b=1]"), outputs);
    assertEquals(300L, scheduler.lastCompletedBatch());
  }

  /**
   * Starts a checkpointed context whose batches 100, 200 and 300 are all queued while batch 100's
   * output waits for {@code release}.
   *
   * @return its checkpoint store
   */
  private CheckpointStore threeBatchesQueuedBehindAHeldOne(String app, CountDownLatch release)
      throws InterruptedException {
    StreamGraph graph = new StreamGraph(app, Durations.milliseconds(INTERVAL));
    InputNode<String> words = queueInput(graph, List.of("a"), List.of("b"), List.of("c"));
    graph.addOutput(recording(words, time -> awaitIf(time == 100, release)));
    CheckpointStore store = store(app);
    scheduler = scheduler(graph, checkpointer(store, graph));
    scheduler.start(100);
    clock.setTime(300);
    assertEquals(List.of(100L, 200L, 300L), take(submitted, 3));
    return store;
  }

  @SafeVarargs
  private static <T> InputNode<T> queueInput(StreamGraph graph, List<T>... batches) {
    Queue<List<T>> queue = new ConcurrentLinkedQueue<>(List.of(batches));
    return new InputNode<>(graph, "queueStream", QueueSource.input(queue, true, 2));
  }

  private static StateNode<String, Integer, Integer> runningCount(
      InputNode<Pair<String, Integer>> pairs) {
    BiFunction<List<Integer>, Optional<Integer>, Optional<Integer>> sum =
        (values, state) -> Optional.of(state.orElse(0) + values.stream().mapToInt(v -> v).sum());
    return new StateNode<>(pairs, sum, 2);
  }

  /** Records each batch's records as "time [records]" (pairs sorted by key), then acts. */
  private <T> OutputOperation<T> recording(StreamNode<T> stream, BatchHook hook) {
    return new OutputOperation<>(
        "recording",
        stream,
        (data, time) -> {
          List<T> records = runner.collect(data);
          if (!records.isEmpty() && records.get(0) instanceof Pair<?, ?>) {
            Map<Object, Object> sorted = new TreeMap<>();
            for (T record : records) {
              Pair<?, ?> pair = (Pair<?, ?>) record;
              sorted.put(pair.key(), pair.value());
            }
            outputs.add(time + " " + sorted.toString().replace("{", "[").replace("}", "]"));
          } else {
            outputs.add(time + " " + records);
          }
          hook.after(time);
        });
  }

  /** What an output does after recording its batch. */
  @FunctionalInterface
  private interface BatchHook {
    void after(long time);
  }

  private static void awaitIf(boolean condition, CountDownLatch latch) {
    if (!condition) {
      return;
    }
    try {
      assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "the test released the batch");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while holding a batch", e);
    }
  }

  private BatchScheduler scheduler(StreamGraph graph, Checkpointer checkpointer) {
    return new BatchScheduler(
        graph, clock, runner, listeners, failure::complete, checkpointer, false, false);
  }

  private CheckpointStore store(String name) {
    CheckpointStore store =
        new CheckpointStore(temp.resolve(name).toUri().toString(), new Configuration(), 3);
    stores.add(store);
    return store;
  }

  private Checkpointer checkpointer(CheckpointStore store, StreamGraph graph) {
    return new Checkpointer(
        store, RecordCodec.standard(), graph, runner, listeners, CHECKPOINT_INTERVAL);
  }

  /**
   * Waits until the stopping thread waits for the processor to end: an abrupt stop has cleared the
   * queue by then, so the batch the test holds is released only after the queue was cleared.
   */
  private void awaitStopperWaitingForTheProcessor() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!waitsOnALatch(stopper)) {
      assertTrue(System.nanoTime() < deadline, "the stop waited for the processor to end");
      Thread.sleep(10);
    }
  }

  private static boolean waitsOnALatch(Thread thread) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().equals(CountDownLatch.class.getName())
          && frame.getMethodName().equals("await")) {
        return true;
      }
    }
    return false;
  }

  private CompletableFuture<Boolean> stopInBackground(boolean graceful) {
    BatchScheduler stopping = scheduler;
    CompletableFuture<Boolean> stopped = new CompletableFuture<>();
    stopper =
        new Thread(
            () -> {
              try {
                stopped.complete(stopping.stop(graceful, TimeUnit.SECONDS.toMillis(WAIT_SECONDS)));
              } catch (InterruptedException | RuntimeException e) {
                stopped.completeExceptionally(e);
              }
            },
            "scheduler-test-stop");
    stopper.start();
    return stopped;
  }

  private void awaitDraining() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!scheduler.isDraining()) {
      assertTrue(System.nanoTime() < deadline, "the stop began draining the queue");
      Thread.sleep(10);
    }
  }

  private static List<Long> take(LinkedBlockingQueue<Long> events, int count)
      throws InterruptedException {
    List<Long> taken = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Long time = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertTrue(time != null, "event " + (i + 1) + " of " + count + " arrived; got " + taken);
      taken.add(time);
    }
    return taken;
  }
}
