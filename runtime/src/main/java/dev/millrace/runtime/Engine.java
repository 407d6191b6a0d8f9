package dev.millrace.runtime;

import dev.millrace.runtime.checkpoint.CheckpointException;
import dev.millrace.runtime.checkpoint.CheckpointLease;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.checkpoint.LeaseClaimant;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.recovery.Checkpointer;
import dev.millrace.runtime.scheduler.BatchScheduler;
import dev.millrace.runtime.scheduler.ListenerBus;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.StreamingException;
import dev.millrace.streaming.StreamingListener;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The running engine of one application, built from its finished {@link GraphDescription} and an
 * {@link EngineLaunch}: the checkpoint store (holding the directory's lease), the stream graph with
 * its sources, the listener bus, the task runner with its shuffle and state runners, the
 * checkpointer and the batch scheduler, each made here with a plain constructor, in that order.
 *
 * <p>Kafka Streams' shape: the application's {@code StreamingContext} is the description, as its
 * {@code Topology} is; this is the runtime built from description plus configuration, as {@code
 * KafkaStreams} is. A context builds one when {@code start()} is called; an executor builds only
 * the graph ({@link #graphOf}).
 */
public final class Engine implements AutoCloseable {
  private final GraphDescription.Settings settings;
  private final CheckpointStore store;
  private final StreamGraph graph;
  private final ListenerBus listeners;
  private final TaskRunner runner;
  private final BatchScheduler scheduler;

  /**
   * The engine of {@code description}, run as {@code launch} says; {@code onFailure} hears of a
   * batch that failed or of the checkpoint directory lost (its lease taken over, or deleted), after
   * which the engine must be stopped. Takes the checkpoint directory's lease, but starts nothing.
   *
   * @throws CheckpointException if another driver holds the checkpoint directory's lease, or it
   *     cannot be opened
   */
  public Engine(
      GraphDescription description, EngineLaunch launch, Consumer<StreamingException> onFailure) {
    this.settings = description.settings();
    Map<String, String> conf = settings.conf();
    this.listeners = new ListenerBus(launch.checkpointOpened());
    this.store = heldStore(description, launch, onFailure);
    TaskRunner madeRunner = null;
    try {
      GraphBuilder.Built built = GraphBuilder.build(description, this::runner, store);
      this.graph = built.graph();
      built.rateControllers().forEach(listeners::add);
      description.listeners().forEach(listeners::add);
      launch.graphBuilt().accept(graph);
      madeRunner =
          new TaskRunner(
              settings.threads(),
              settings.appName(),
              launch.shuffleMapRunner(graph),
              launch.stateUpdateRunner(graph));
      Checkpointer checkpointer =
          store == null
              ? null
              : new Checkpointer(
                  store,
                  RecordCodec.standard(),
                  graph,
                  madeRunner,
                  listeners,
                  checkpointInterval(description));
      this.scheduler =
          new BatchScheduler(
              graph,
              settings.clock(),
              madeRunner,
              listeners,
              onFailure,
              checkpointer,
              StreamingOptions.COALESCE_DOWNTIME_BATCHES.read(conf),
              launch.distributesShuffleMaps());
      this.runner = madeRunner;
    } catch (RuntimeException e) {
      if (madeRunner != null) {
        madeRunner.close();
      }
      if (store != null) {
        store.close();
      }
      throw e;
    }
  }

  /**
   * The graph {@code description} defines, with its sources created but not started and no runner
   * behind its batches: what an executor computes its tasks from.
   */
  public static StreamGraph graphOf(GraphDescription description) {
    return GraphBuilder.build(description, () -> null, null).graph();
  }

  private static CheckpointStore heldStore(
      GraphDescription description, EngineLaunch launch, Consumer<StreamingException> onFailure) {
    String directory = description.checkpointDirectory();
    if (directory == null) {
      return null;
    }
    Map<String, String> conf = description.settings().conf();
    return CheckpointStore.held(
        directory,
        StreamingOptions.hadoopConfiguration(conf),
        StreamingOptions.CHECKPOINT_RETAIN.read(conf),
        new CheckpointLease.Request(
            LeaseClaimant.thisProcess(launch.attempt(), launch.supervisionId()),
            java.time.Duration.ofMillis(
                StreamingOptions.CHECKPOINT_LEASE_TIMEOUT.read(conf).milliseconds()),
            java.time.Clock.systemUTC(),
            (CheckpointException e) ->
                onFailure.accept(new StreamingException(e.getMessage(), e))));
  }

  /** The smallest interval a stream asked for, else the configured one, else 10 batches. */
  private static long checkpointInterval(GraphDescription description) {
    long requested = Long.MAX_VALUE;
    for (StreamDefinition d : description.streams()) {
      Duration asked = description.checkpointInterval(d).orElse(null);
      if (asked != null) {
        requested = Math.min(requested, asked.milliseconds());
      }
    }
    if (requested != Long.MAX_VALUE) {
      return requested;
    }
    Duration configured = StreamingOptions.CHECKPOINT_INTERVAL.read(description.settings().conf());
    return configured != null
        ? configured.milliseconds()
        : 10 * description.settings().batchInterval().milliseconds();
  }

  /**
   * Starts generating and processing batches; the first batch time is the next multiple of the
   * batch interval on the application's clock.
   *
   * @return the first batch time
   */
  public long start() {
    long first =
        BatchScheduler.firstBatchTime(
            settings.clock().millis(), settings.batchInterval().milliseconds());
    scheduler.start(first);
    return first;
  }

  /**
   * Stops generating and processing: gracefully (intake stopped, queued batches processed) or not,
   * bounded by {@code timeoutMillis}.
   *
   * @return whether processing ended within the timeout
   */
  public boolean stop(boolean graceful, long timeoutMillis) throws InterruptedException {
    return scheduler.stop(graceful, timeoutMillis);
  }

  /**
   * How long a stop may wait for processing to end: {@code millrace.stop.graceful-timeout} when
   * graceful, else 10 s for the running batch.
   */
  public long stopTimeoutMillis(boolean graceful) {
    return graceful
        ? StreamingOptions.GRACEFUL_STOP_TIMEOUT.read(settings.conf()).milliseconds()
        : 10_000;
  }

  /** Whether the calling thread is the one processing batches. */
  public boolean isProcessingThread() {
    return scheduler.isProcessingThread();
  }

  /** Adds a listener for batch events. */
  public void addListener(StreamingListener listener) {
    listeners.add(listener);
  }

  /** The stream graph batches are computed from. */
  public StreamGraph graph() {
    return graph;
  }

  /** The task runner, or null while the constructor runs. */
  private TaskRunner runner() {
    return runner;
  }

  /**
   * Stops the task threads, releases the checkpoint directory's lease, and tells the listeners that
   * the context stopped.
   */
  @Override
  public void close() {
    try {
      runner.close();
      if (store != null) {
        store.close();
      }
    } finally {
      listeners.streamingStopped();
    }
  }
}
