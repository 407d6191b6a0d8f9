package dev.millrace.runtime.scheduler;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.Sized;
import dev.millrace.runtime.recovery.Checkpointer;
import dev.millrace.runtime.recovery.LoggedBatch;
import dev.millrace.runtime.recovery.StartPoint;
import dev.millrace.runtime.scheduler.WorkItem.End;
import dev.millrace.runtime.scheduler.WorkItem.FinalCheckpoint;
import dev.millrace.runtime.scheduler.WorkItem.ReplayBatch;
import dev.millrace.runtime.scheduler.WorkItem.ReplayCheckpoint;
import dev.millrace.runtime.scheduler.WorkItem.RunBatch;
import dev.millrace.runtime.source.InputParts;
import dev.millrace.runtime.source.InputSource;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.OutputOperation;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.task.BatchTrace;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Clock;
import dev.millrace.streaming.OutputOperationInfo;
import dev.millrace.streaming.StreamingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Each batch's plan ({@link BatchPlan}) is built once, when the batch is generated, whenever a
 * reader needs it: with a {@link Checkpointer}, which logs it before the batch is queued, its
 * completion after its outputs, and a checkpoint generation after each checkpoint batch and at the
 * end of a graceful stop; or when executors may run the batch's map tasks, which rebuild its input
 * from it. A start first replays what the checkpointer recovered.
 */
public final class BatchScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);
  private static final long PLANNING_STOP_WAIT_MILLIS = 2_000;

  private final StreamGraph graph;
  private final Clock clock;
  private final TaskRunner runner;
  private final ListenerBus listeners;
  private final Consumer<StreamingException> onFailure;
  private final Checkpointer checkpointer;
  private final boolean coalesceDowntime;
  private final long interval;
  private final boolean buildsPlans;
  private final LinkedBlockingQueue<WorkItem> queue = new LinkedBlockingQueue<>();
  private final CountDownLatch processorDone = new CountDownLatch(1);
  private final ReentrantLock generateLock = new ReentrantLock();

  private Thread generator;
  private Thread processor;
  private volatile boolean generating;
  private volatile boolean draining;
  private volatile long lastGenerated = Long.MIN_VALUE;
  private volatile long lastCompleted = Long.MIN_VALUE;

  /**
   * A scheduler for {@code graph}; {@code onFailure} hears of a failed batch once. It checkpoints
   * through {@code checkpointer} (null for none; {@code coalesceDowntime} is passed to {@link
   * Checkpointer#open}); with {@code plansForExecutors}, executors may run map tasks, so every
   * batch's plan is built when all inputs can be replayed in another process.
   */
  public BatchScheduler(
      StreamGraph graph,
      Clock clock,
      TaskRunner runner,
      ListenerBus listeners,
      Consumer<StreamingException> onFailure,
      Checkpointer checkpointer,
      boolean coalesceDowntime,
      boolean plansForExecutors) {
    this.graph = graph;
    this.clock = clock;
    this.runner = runner;
    this.listeners = listeners;
    this.onFailure = onFailure;
    this.checkpointer = checkpointer;
    this.coalesceDowntime = coalesceDowntime;
    this.interval = graph.batchInterval().milliseconds();
    // Without a reader, no plan: a queue's plan is its records, a socket's needs a write-ahead log.
    this.buildsPlans =
        checkpointer != null
            || (plansForExecutors
                && graph.inputs().stream().allMatch(i -> i.source().replaysAnywhere()));
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
        startPoint = new StartPoint.Fresh(firstBatchTime);
      } else {
        startPoint = checkpointer.open(firstBatchTime, coalesceDowntime);
      }
      startSources(startPoint);
      if (checkpointer != null) {
        checkpointer.started(startPoint);
      }
    } catch (RuntimeException e) {
      stopSources();
      throw e;
    }
    if (startPoint instanceof StartPoint.Recovered recovered) {
      queueReplays(recovered.replays());
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

  /** The one place sources start, fresh or at the positions a recovery found. */
  private void startSources(StartPoint startPoint) {
    List<InputNode<?>> inputs = graph.inputs();
    for (int i = 0; i < inputs.size(); i++) {
      InputSource<?> source = inputs.get(i).source();
      if (startPoint instanceof StartPoint.Recovered recovered) {
        source.recover(
            recovered.nextBatchTime(), recovered.positions().get(i), recovered.plansSince().get(i));
      } else {
        source.start(startPoint.nextBatchTime());
      }
    }
  }

  /**
   * Queues the logged batches, and a generation after the last of them when they pass a checkpoint
   * time: without it a driver killed again before it reached a batch of its own would leave the
   * checkpoint where it was, and each restart would replay more than the one before. The sources'
   * positions are those after the last logged plan, where the recovery left them, read before the
   * generator takes anything.
   */
  private void queueReplays(List<LoggedBatch> replays) {
    for (LoggedBatch replay : replays) {
      queueReplay(replay);
    }
    if (replays.stream().anyMatch(r -> checkpointer.isCheckpointTime(r.batchTime()))) {
      long last = replays.get(replays.size() - 1).batchTime();
      queue.add(new ReplayCheckpoint(last, checkpointer.sourceSnapshots()));
    }
  }

  /** Rebuilds a logged batch's input from its plan (or empty, without one) and queues it. */
  private void queueReplay(LoggedBatch replay) {
    long time = replay.batchTime();
    replay.plan().ifPresentOrElse(graph::replayBatch, () -> graph.emptyBatch(time));
    lastGenerated = time;
    if (replay.outputsDone()) {
      queue.add(new ReplayBatch(time));
      return;
    }
    BatchInfo info = new BatchInfo(time, clock.millis(), -1, -1, -1);
    listeners.submitted(info);
    queue.add(new RunBatch(info, inputsOf(time), Optional.empty()));
  }

  private List<Dataset<?>> inputsOf(long time) {
    List<Dataset<?>> inputs = new ArrayList<>();
    for (InputNode<?> input : graph.inputs()) {
      inputs.add(input.planned(time));
    }
    return inputs;
  }

  private void generateLoop(long firstBatchTime) {
    long next = firstBatchTime;
    try {
      while (generating) {
        clock.waitUntil(next);
        generateLock.lock();
        try {
          if (!generating) {
            break;
          }
          generate(next, false);
        } finally {
          generateLock.unlock();
        }
        next += interval;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!generating) {
        // The stop ended a planning that waited for its input; nothing of this batch was logged.
        LOG.info("the stop ended the planning of batch {}: {}", next, e.toString());
        return;
      }
      fail(new StreamingException("planning the input of batch " + next + " failed: " + e, e));
    }
  }

  private void generate(long time, boolean lastBatch) {
    Optional<BatchPlan> plan = graph.planBatch(time, lastBatch, buildsPlans);
    Optional<List<byte[]>> positions = Optional.empty();
    if (checkpointer != null) {
      checkpointer.recordPlan(plan.orElseThrow());
      if (checkpointer.isCheckpointTime(time)) {
        positions = Optional.of(checkpointer.sourceSnapshots());
      }
    }
    lastGenerated = time;
    BatchInfo info = new BatchInfo(time, clock.millis(), -1, -1, -1);
    // Before the batch is queued: the processor may take it and complete it at once, and a
    // listener must never hear of a batch's completion before its submission.
    listeners.submitted(info);
    queue.add(new RunBatch(info, inputsOf(time), positions));
  }

  private void processLoop() {
    try {
      while (true) {
        WorkItem item = queue.take();
        if (item instanceof RunBatch batch) {
          process(batch);
        } else if (item instanceof ReplayBatch replay) {
          advance(replay.batchTime());
        } else if (item instanceof ReplayCheckpoint replayed) {
          replayCheckpoint(replayed);
        } else if (item instanceof FinalCheckpoint last) {
          finalCheckpoint(last);
        } else {
          return; // End: nothing after it runs
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

  private void process(RunBatch batch) {
    long time = batch.info().batchTime();
    BatchInfo started = new BatchInfo(time, batch.info().submissionTime(), clock.millis(), -1, -1);
    listeners.started(started);
    String step = null;
    // Traced only when a listener hears it: a context without the UI's history pays nothing.
    BatchTrace trace = listeners.tracing() ? new BatchTrace(this::nodeName) : null;
    List<InputParts> parts = trace == null ? List.of() : inputParts(time);
    runner.trace(trace);
    try {
      List<OutputOperation<?>> outputs = graph.outputs();
      for (int i = 0; i < outputs.size(); i++) {
        OutputOperation<?> output = outputs.get(i);
        step = "output operation " + output.name() + " of " + output.stream().name();
        if (trace != null) {
          trace.running(output.name() + " of " + output.stream().name());
        }
        runOutput(time, i, output);
      }
      // After the outputs: the tasks that read the input counted it, here or on executors, so
      // counting reads only what no task read. A persisted input (a window reads it at later
      // batches) is read here in full, now, while its batch is running and its files are there.
      step = "counting its input records";
      if (trace != null) {
        trace.running(step);
      }
      long records = 0;
      Map<String, Long> inputRecords = new LinkedHashMap<>();
      List<InputNode<?>> inputNodes = graph.inputs();
      for (int i = 0; i < batch.inputs().size(); i++) {
        Dataset<?> in = batch.inputs().get(i);
        long read =
            in instanceof Sized s && !inputNodes.get(i).isPersisted() ? s.size() : runner.count(in);
        inputRecords.merge(inputNodes.get(i).name(), read, Long::sum);
        records += read;
      }
      if (checkpointer != null) {
        step = batch.checkpoint().isEmpty() ? "logging its completion" : "writing a checkpoint";
        if (trace != null) {
          trace.running(step);
        }
        checkpointer.completed(time, batch.checkpoint());
      }
      BatchInfo done =
          new BatchInfo(
              time,
              batch.info().submissionTime(),
              started.processingStartTime(),
              clock.millis(),
              records,
              inputRecords);
      lastCompleted = time;
      graph.forgetUpTo(time);
      LOG.debug("batch {} completed in {} ms", time, done.processingDelay());
      endTrace(time, parts, trace);
      listeners.completed(done);
    } catch (RuntimeException | Error e) {
      StreamingException failure =
          new StreamingException(
              "batch " + time + " of '" + graph.appName() + "' failed in " + step + ": " + e, e);
      endTrace(time, parts, trace);
      listeners.failed(
          new BatchInfo(
              time,
              batch.info().submissionTime(),
              started.processingStartTime(),
              clock.millis(),
              -1),
          failure.getMessage());
      throw failure;
    }
  }

  private void endTrace(long time, List<InputParts> parts, BatchTrace trace) {
    runner.trace(null);
    if (trace != null) {
      listeners.traced(time, parts, trace.stages());
    }
  }

  /** The parts of each input of batch {@code time} that knows them, before they are read. */
  private List<InputParts> inputParts(long time) {
    List<InputParts> parts = new ArrayList<>();
    for (InputNode<?> input : graph.inputs()) {
      input.parts(time, InputParts.SHOWN).ifPresent(parts::add);
    }
    return parts;
  }

  private String nodeName(int nodeId) {
    List<StreamNode<?>> nodes = graph.nodes();
    return nodeId < nodes.size() ? nodes.get(nodeId).name() : "stream " + nodeId;
  }

  /**
   * Runs one output operation, telling listeners before and after; a failed one's event carries its
   * error before the batch's failure is told.
   */
  private void runOutput(long time, int index, OutputOperation<?> output) {
    String stream = output.stream().name();
    long start = clock.millis();
    listeners.outputStarted(
        new OutputOperationInfo(time, index, output.name(), stream, start, -1, null));
    try {
      output.run(time);
    } catch (RuntimeException | Error e) {
      listeners.outputCompleted(
          new OutputOperationInfo(
              time, index, output.name(), stream, start, clock.millis(), e.toString()));
      throw e;
    }
    listeners.outputCompleted(
        new OutputOperationInfo(time, index, output.name(), stream, start, clock.millis(), null));
  }

  /** A logged batch whose outputs committed before a failure: only the state moves forward. */
  private void advance(long time) {
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

  private void replayCheckpoint(ReplayCheckpoint marker) {
    checkpointAfter(
        marker.batchTime(),
        marker.positions(),
        "checkpointed batch {}, the last batch its recovery replayed",
        "the checkpoint of '%s' after replaying the logged batches up to %d failed: %s; a restart"
            + " replays them again from the previous checkpoint");
  }

  private void finalCheckpoint(FinalCheckpoint marker) {
    checkpointAfter(
        marker.batchTime(),
        marker.positions(),
        "wrote its final checkpoint at batch {}",
        "the final checkpoint of '%s' at batch %d failed: %s; a restart replays the batches since"
            + " the previous checkpoint");
  }

  /**
   * Writes a generation after batch {@code time} with the sources' {@code positions}, if that batch
   * completed (a failed one stopped processing before this item).
   */
  private void checkpointAfter(long time, List<byte[]> positions, String done, String failed) {
    if (lastCompleted != time) {
      return;
    }
    try {
      checkpointer.checkpoint(time, positions);
      LOG.info("'{}' " + done, graph.appName(), time);
    } catch (RuntimeException e) {
      throw new StreamingException(String.format(failed, graph.appName(), time, e), e);
    }
  }

  private void fail(StreamingException e) {
    generating = false;
    LOG.error("{}; stopping the streaming context", e.getMessage(), e);
    onFailure.accept(e);
    queue.add(new End());
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
    generating = false;
    // A planning in progress usually ends at once; one that waits for its input (a broker that is
    // down, retried until a timeout) is interrupted rather than waited for.
    if (!generateLock.tryLock(PLANNING_STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
      LOG.info("interrupting the planning of a batch that waits for its input, to stop");
      generator.interrupt();
      generateLock.lock();
    }
    generateLock.unlock();
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
        queue.add(new FinalCheckpoint(lastGenerated, checkpointer.sourceSnapshots()));
      }
    } else {
      queue.clear();
    }
    queue.add(new End());
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
}
