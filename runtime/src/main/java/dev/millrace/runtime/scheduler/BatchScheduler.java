package dev.millrace.runtime.scheduler;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.Sized;
import dev.millrace.runtime.dataset.TaskRunner;
import dev.millrace.runtime.recovery.Checkpointer;
import dev.millrace.runtime.recovery.ReplayBatch;
import dev.millrace.runtime.recovery.StartPoint;
import dev.millrace.runtime.source.InputSource;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.OutputOperation;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Clock;
import dev.millrace.streaming.StreamingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver loop of one context, on two threads.
 *
 * <p>The generator wakes at every batch time, asks each input for that batch's input and queues the
 * batch; it never waits for processing, so a slow batch shows up as scheduling delay of the next
 * ones rather than as a shifted clock. The processor runs queued batches one at a time, in time
 * order: every output operation in definition order, then releases data no longer needed.
 *
 * <p>A batch that throws stops the context: its error is handed to {@code onFailure}, no later
 * batch runs, and nothing is skipped silently.
 *
 * <p>With a {@link Checkpointer}, every batch's plan is logged before the batch is queued, its
 * completion after its outputs, and a checkpoint generation after each checkpoint batch and at the
 * end of a graceful stop; a start first replays what the checkpointer recovered.
 */
public final class BatchScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);

  private final StreamGraph graph;
  private final Clock clock;
  private final TaskRunner runner;
  private final ListenerBus listeners;
  private final Consumer<StreamingException> onFailure;
  private final Checkpointer checkpointer;
  private final boolean coalesceDowntime;
  private final long interval;
  private final LinkedBlockingQueue<QueuedBatch> queue = new LinkedBlockingQueue<>();
  private final CountDownLatch processorDone = new CountDownLatch(1);
  private final Object generateLock = new Object();

  private Thread generator;
  private Thread processor;
  private volatile boolean generating;
  private volatile boolean draining;
  private volatile long lastGenerated = Long.MIN_VALUE;
  private volatile long lastCompleted = Long.MIN_VALUE;

  /** A scheduler for {@code graph}; {@code onFailure} hears of a failed batch once. */
  public BatchScheduler(
      StreamGraph graph,
      Clock clock,
      TaskRunner runner,
      ListenerBus listeners,
      Consumer<StreamingException> onFailure) {
    this(graph, clock, runner, listeners, onFailure, null, false);
  }

  /**
   * A scheduler that checkpoints through {@code checkpointer} (null for none); {@code
   * coalesceDowntime} is passed to {@link Checkpointer#open}.
   */
  public BatchScheduler(
      StreamGraph graph,
      Clock clock,
      TaskRunner runner,
      ListenerBus listeners,
      Consumer<StreamingException> onFailure,
      Checkpointer checkpointer,
      boolean coalesceDowntime) {
    this.graph = graph;
    this.clock = clock;
    this.runner = runner;
    this.listeners = listeners;
    this.onFailure = onFailure;
    this.checkpointer = checkpointer;
    this.coalesceDowntime = coalesceDowntime;
    this.interval = graph.batchInterval().milliseconds();
  }

  /** The first batch time after {@code now}: the next multiple of the batch interval. */
  public static long firstBatchTime(long now, long interval) {
    return Math.floorDiv(now, interval) * interval + interval;
  }

  /**
   * Starts intake and both threads. Without checkpoint the first batch is at {@code
   * firstBatchTime}; with one, a recovery first replays the logged batches and then generates from
   * where the log ends, catching up on batches missed while the application was down.
   */
  public void start(long firstBatchTime) {
    StartPoint startPoint;
    try {
      if (checkpointer == null) {
        graph.start(firstBatchTime - interval);
        for (InputNode<?> input : graph.inputs()) {
          input.source().start(firstBatchTime);
        }
        startPoint = new StartPoint(List.of(), firstBatchTime);
      } else {
        startPoint = checkpointer.open(firstBatchTime, coalesceDowntime);
      }
    } catch (RuntimeException e) {
      stopSources();
      throw e;
    }
    for (ReplayBatch replay : startPoint.replays()) {
      BatchInfo info = new BatchInfo(replay.batchTime(), clock.millis(), -1, -1, -1);
      queue.add(new QueuedBatch(info, replay.inputs(), null, replay.outputsDone()));
      lastGenerated = replay.batchTime();
      if (!replay.outputsDone()) {
        listeners.submitted(info);
      }
    }
    long next = startPoint.nextBatchTime();
    generating = true;
    String app = graph.appName();
    generator = new Thread(() -> generateLoop(next), "millrace-generator-" + app);
    processor = new Thread(this::processLoop, "millrace-processor-" + app);
    generator.setDaemon(true);
    processor.setDaemon(true);
    processor.start();
    generator.start();
  }

  private void generateLoop(long firstBatchTime) {
    long next = firstBatchTime;
    try {
      while (generating) {
        clock.waitUntil(next);
        synchronized (generateLock) {
          if (!generating) {
            break;
          }
          generate(next, false);
        }
        next += interval;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail(new StreamingException("planning the input of batch " + next + " failed: " + e, e));
    }
  }

  private void generate(long time, boolean lastBatch) {
    List<Dataset<?>> inputs = new ArrayList<>();
    for (InputNode<?> input : graph.inputs()) {
      inputs.add(input.plan(time, lastBatch));
    }
    List<byte[]> positions = null;
    if (checkpointer != null) {
      checkpointer.recordPlan(time);
      if (checkpointer.isCheckpointTime(time)) {
        positions = checkpointer.sourceSnapshots();
      }
    }
    lastGenerated = time;
    BatchInfo info = new BatchInfo(time, clock.millis(), -1, -1, -1);
    // Before the batch is queued: the processor may take it and complete it at once, and a
    // listener must never hear of a batch's completion before its submission.
    listeners.submitted(info);
    queue.add(new QueuedBatch(info, inputs, positions, false));
  }

  private void processLoop() {
    try {
      while (true) {
        QueuedBatch batch = queue.take();
        if (batch.isEndMarker()) {
          return;
        }
        if (batch.isFinalCheckpoint()) {
          finalCheckpoint(batch);
        } else if (batch.outputsDone()) {
          advance(batch);
        } else {
          process(batch);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StreamingException e) {
      fail(e);
    } finally {
      processorDone.countDown();
    }
  }

  private void process(QueuedBatch batch) {
    long time = batch.info().batchTime();
    BatchInfo started = new BatchInfo(time, batch.info().submissionTime(), clock.millis(), -1, -1);
    listeners.started(started);
    String step = null;
    try {
      for (OutputOperation<?> output : graph.outputs()) {
        step = "output operation " + output.name() + " of " + output.stream().name();
        output.run(time);
      }
      // After the outputs: the tasks that read the input counted it, here or on executors, so
      // counting reads only what no task read. A persisted input (a window reads it at later
      // batches) is read here in full, now, while its batch is running and its files are there.
      step = "counting its input records";
      long records = 0;
      List<InputNode<?>> inputNodes = graph.inputs();
      for (int i = 0; i < batch.inputs().size(); i++) {
        Dataset<?> in = batch.inputs().get(i);
        records +=
            in instanceof Sized s && !inputNodes.get(i).isPersisted() ? s.size() : runner.count(in);
      }
      if (checkpointer != null) {
        step = batch.positions() == null ? "logging its completion" : "writing a checkpoint";
        checkpointer.completed(time, batch.positions());
      }
      BatchInfo done =
          new BatchInfo(
              time,
              batch.info().submissionTime(),
              started.processingStartTime(),
              clock.millis(),
              records);
      lastCompleted = time;
      graph.forgetUpTo(time);
      LOG.debug("batch {} completed in {} ms", time, done.processingDelay());
      listeners.completed(done);
    } catch (RuntimeException | Error e) {
      throw new StreamingException(
          "batch " + time + " of '" + graph.appName() + "' failed in " + step + ": " + e, e);
    }
  }

  /** A logged batch whose outputs committed before a failure: only the state moves forward. */
  private void advance(QueuedBatch batch) {
    long time = batch.info().batchTime();
    try {
      checkpointer.advance(time);
      lastCompleted = time;
      graph.forgetUpTo(time);
      LOG.debug("replayed batch {} to restore state; its outputs had already run", time);
    } catch (RuntimeException | Error e) {
      throw new StreamingException(
          "replaying batch "
              + time
              + " of '"
              + graph.appName()
              + "' to restore its state failed: "
              + e,
          e);
    }
  }

  private void finalCheckpoint(QueuedBatch marker) {
    long time = marker.info().batchTime();
    if (lastCompleted != time) {
      return;
    }
    try {
      checkpointer.checkpoint(time, marker.positions());
      LOG.info("'{}' wrote its final checkpoint at batch {}", graph.appName(), time);
    } catch (RuntimeException e) {
      throw new StreamingException(
          "the final checkpoint of '"
              + graph.appName()
              + "' at batch "
              + time
              + " failed: "
              + e
              + "; a restart replays the batches since the previous checkpoint",
          e);
    }
  }

  private void fail(StreamingException e) {
    generating = false;
    LOG.error("{}; stopping the streaming context", e.getMessage(), e);
    onFailure.accept(e);
    queue.add(QueuedBatch.END);
    stopSources();
  }

  /**
   * Stops. Gracefully: intake stops, received input goes into one last batch, and every queued
   * batch is processed, within {@code timeoutMillis}. Otherwise: intake stops, queued batches are
   * dropped, and the running batch gets {@code timeoutMillis} to finish.
   *
   * @return true if processing ended within the timeout
   */
  public boolean stop(boolean graceful, long timeoutMillis) throws InterruptedException {
    synchronized (generateLock) {
      generating = false;
    }
    generator.interrupt();
    generator.join(TimeUnit.SECONDS.toMillis(5));
    stopSources();
    if (graceful) {
      draining = true;
      boolean buffered = graph.inputs().stream().anyMatch(i -> i.source().hasBufferedInput());
      if (buffered && processorDone.getCount() > 0) {
        long base = lastGenerated == Long.MIN_VALUE ? graph.zeroTime() : lastGenerated;
        generate(base + interval, true);
      }
      if (checkpointer != null && lastGenerated != Long.MIN_VALUE) {
        BatchInfo at = new BatchInfo(lastGenerated, clock.millis(), -1, -1, -1);
        queue.add(QueuedBatch.finalCheckpoint(at, checkpointer.sourceSnapshots()));
      }
    } else {
      queue.clear();
    }
    queue.add(QueuedBatch.END);
    boolean ended = processorDone.await(timeoutMillis, TimeUnit.MILLISECONDS);
    if (!ended) {
      LOG.warn(
          "processing did not finish within {} ms of the stop request; interrupting batch"
              + " processing",
          timeoutMillis);
      processor.interrupt();
      processorDone.await(5, TimeUnit.SECONDS);
    }
    return ended;
  }

  private void stopSources() {
    for (InputNode<?> input : graph.inputs()) {
      InputSource<?> source = input.source();
      try {
        source.stop();
      } catch (RuntimeException e) {
        LOG.warn("stopping input {} failed; continuing the stop", input.name(), e);
      }
    }
  }

  /** Whether the calling thread is the one processing batches (an output function's thread). */
  public boolean isProcessingThread() {
    return Thread.currentThread() == processor;
  }

  /** Whether a graceful stop is draining the queue. */
  public boolean isDraining() {
    return draining;
  }

  /** The time of the newest completed batch, or {@link Long#MIN_VALUE} before the first. */
  public long lastCompletedBatch() {
    return lastCompleted;
  }

  /** Waits until processing has ended, for any reason. */
  public boolean awaitProcessorEnd(long timeoutMillis) throws InterruptedException {
    return processorDone.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * A batch to process, or a marker. {@code positions} are the sources' positions for a checkpoint
   * after it (null: no checkpoint); {@code outputsDone} marks a replay that only advances state.
   */
  private record QueuedBatch(
      BatchInfo info, List<Dataset<?>> inputs, List<byte[]> positions, boolean outputsDone) {
    static final QueuedBatch END = new QueuedBatch(null, List.of(), null, false);

    static QueuedBatch finalCheckpoint(BatchInfo at, List<byte[]> positions) {
      return new QueuedBatch(at, null, positions, true);
    }

    boolean isEndMarker() {
      return info == null;
    }

    boolean isFinalCheckpoint() {
      return inputs == null;
    }
  }
}
