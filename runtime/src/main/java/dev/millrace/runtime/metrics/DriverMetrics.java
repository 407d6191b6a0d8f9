package dev.millrace.runtime.metrics;

import dev.millrace.runtime.cluster.ExecutorInfo;
import dev.millrace.runtime.cluster.ExecutorListener;
import dev.millrace.runtime.cluster.TaskRetryListener;
import dev.millrace.runtime.source.SourceStatus;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.transport.Message.ShuffleMapDone;
import dev.millrace.runtime.transport.Message.TaskFailed;
import dev.millrace.runtime.transport.Message.TaskResult;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.CheckpointInfo;
import dev.millrace.streaming.StreamingListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The driver's Prometheus metrics, which its HTTP endpoint serves at {@code /metrics} in the text
 * format. Names are stable and start with {@code millrace_}; the application and the process's role
 * are the labels {@code app} and {@code role} on every metric, and an input stream is the label
 * {@code input} (its name in the status, e.g. {@code queueStream#0}): never part of a name, so a
 * dashboard keeps working across redeploys and applications.
 *
 * <p>Batch figures are heard as a {@link StreamingListener}; what can change between batches (the
 * executors registered, an input's outage) is read when Prometheus scrapes. The JVM's memory,
 * garbage collection and threads come from the client library's JVM instrumentation, under its own
 * standard names ({@code jvm_…}) with the same two labels.
 */
public final class DriverMetrics
    implements ServedMetrics, StreamingListener, ExecutorListener, TaskRetryListener {
  /** Batch times from 5 ms to 10 minutes, in seconds. */
  private static final double[] DELAY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final long batchIntervalMs;
  private final Histogram processing;
  private final Histogram scheduling;
  private final Histogram total;
  private final Counter batchesCompleted;
  private final Counter inputRecords;
  private final Gauge inputRate;
  private final Gauge lastCompleted;
  private final Gauge lastCheckpoint;
  private final Gauge batchesWaiting;
  private final Histogram checkpointSeconds;
  private final Gauge checkpointBytes;
  private final Gauge stateBytes;
  private final Gauge stateRecords;
  private final Counter executorsAdded;
  private final Counter executorsLost;
  private final Counter taskResults;
  private final Counter taskRetries;
  private final Counter shuffleReceived;
  private final Object waitingLock = new Object();
  private long waiting; // guarded by waitingLock

  /**
   * The metrics of application {@code app}, cutting batches every {@code batchIntervalMs}, with as
   * many executors registered as {@code executors} says and the input streams {@code inputs} gives
   * (none until the graph is defined) when scraped.
   */
  public DriverMetrics(
      String app,
      long batchIntervalMs,
      IntSupplier executors,
      Supplier<List<InputNode<?>>> inputs) {
    this.batchIntervalMs = batchIntervalMs;
    Labels process = Labels.of("app", app, "role", "driver");
    processing =
        delay("millrace_batch_processing_seconds", "Time batches took to process.", process);
    scheduling =
        delay(
            "millrace_batch_scheduling_delay_seconds",
            "Time batches waited for the batches before them.",
            process);
    total =
        delay(
            "millrace_batch_total_delay_seconds",
            "Time from a batch's planning to its last output committed.",
            process);
    batchesCompleted =
        Counter.builder()
            .name("millrace_batches_completed")
            .help("Batches whose outputs completed.")
            .constLabels(process)
            .register(registry);
    inputRecords =
        Counter.builder()
            .name("millrace_input_records")
            .help("Records of completed batches, by input stream.")
            .constLabels(process)
            .labelNames("input")
            .register(registry);
    inputRate =
        Gauge.builder()
            .name("millrace_input_records_per_second")
            .help("Records per second of an input stream's last completed batch.")
            .constLabels(process)
            .labelNames("input")
            .register(registry);
    lastCompleted =
        Gauge.builder()
            .name("millrace_last_completed_batch_time_seconds")
            .help("Batch time of the last completed batch, in seconds since the epoch.")
            .constLabels(process)
            .register(registry);
    lastCheckpoint =
        Gauge.builder()
            .name("millrace_last_checkpoint_batch_time_seconds")
            .help("Batch time of the last checkpoint written, in seconds since the epoch.")
            .constLabels(process)
            .register(registry);
    batchesWaiting =
        Gauge.builder()
            .name("millrace_batches_waiting")
            .help("Batches planned that have not started processing.")
            .constLabels(process)
            .register(registry);
    checkpointSeconds =
        Histogram.builder()
            .name("millrace_checkpoint_seconds")
            .help("Time checkpoint generations took to write, from the state's snapshot on.")
            .unit(Unit.SECONDS)
            .constLabels(process)
            .classicOnly()
            .classicUpperBounds(DELAY_BUCKETS)
            .register(registry);
    checkpointBytes =
        Gauge.builder()
            .name("millrace_checkpoint_bytes")
            .help("Bytes of the last checkpoint generation written.")
            .unit(Unit.BYTES)
            .constLabels(process)
            .register(registry);
    stateBytes =
        Gauge.builder()
            .name("millrace_state_checkpoint_bytes")
            .help("Bytes of a stateful stream's snapshot in the last checkpoint generation.")
            .unit(Unit.BYTES)
            .constLabels(process)
            .labelNames("stream")
            .register(registry);
    stateRecords =
        Gauge.builder()
            .name("millrace_state_records")
            .help(
                "Records of a stateful stream's snapshot in the last checkpoint generation: keys"
                    + " for updateStateByKey, the open window's records for a window.")
            .constLabels(process)
            .labelNames("stream")
            .register(registry);
    executorsAdded =
        Counter.builder()
            .name("millrace_executor_registrations")
            .help("Executor sessions registered (a re-registration counts again).")
            .constLabels(process)
            .register(registry);
    executorsLost =
        Counter.builder()
            .name("millrace_executors_lost")
            .help("Executor sessions lost: connection closed, heartbeats missed, or fenced.")
            .constLabels(process)
            .register(registry);
    taskResults =
        Counter.builder()
            .name("millrace_task_results")
            .help("Task answers the driver received from executors, by outcome.")
            .constLabels(process)
            .labelNames("outcome")
            .register(registry);
    taskRetries =
        Counter.builder()
            .name("millrace_task_retries")
            .help(
                "Map tasks run again: elsewhere after their executor was lost (executor_lost), or"
                    + " in the driver after a failure (failed) or no answer in time (timed_out).")
            .constLabels(process)
            .labelNames("reason")
            .register(registry);
    shuffleReceived =
        Counter.builder()
            .name("millrace_shuffle_received_bytes")
            .help("Bytes of map output the driver received from executors.")
            .unit(Unit.BYTES)
            .constLabels(process)
            .register(registry);
    GaugeWithCallback.builder()
        .name("millrace_executors_registered")
        .help("Executors registered with the driver.")
        .constLabels(process)
        .callback(callback -> callback.call(executors.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("millrace_input_outage")
        .help("1 while an input stream cannot deliver (disconnected or failing), else 0.")
        .constLabels(process)
        .labelNames("input")
        .callback(
            callback -> {
              for (InputNode<?> input : inputs.get()) {
                SourceStatus status = input.source().status();
                callback.call(status.outageSinceMs() == null ? 0 : 1, input.name());
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("millrace_input_lag_records")
        .help(
            "Records that exist and are not planned yet, by input stream and partition (e.g. a"
                + " Kafka topic's), as of the input's latest plan.")
        .constLabels(process)
        .labelNames("input", "partition")
        .callback(
            callback -> {
              for (InputNode<?> input : inputs.get()) {
                for (Map.Entry<String, Long> lag : input.source().status().lag().entrySet()) {
                  callback.call(lag.getValue(), input.name(), lag.getKey());
                }
              }
            })
        .register(registry);
    JvmMetrics.builder().constLabels(process).register(registry);
  }

  private Histogram delay(String name, String help, Labels process) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .unit(Unit.SECONDS)
        .constLabels(process)
        .classicOnly()
        .classicUpperBounds(DELAY_BUCKETS)
        .register(registry);
  }

  @Override
  public void onBatchSubmitted(BatchInfo batch) {
    synchronized (waitingLock) {
      waiting++;
      batchesWaiting.set(waiting);
    }
  }

  @Override
  public void onBatchStarted(BatchInfo batch) {
    synchronized (waitingLock) {
      waiting = Math.max(0, waiting - 1);
      batchesWaiting.set(waiting);
    }
  }

  @Override
  public void onBatchCompleted(BatchInfo batch) {
    processing.observe(Unit.millisToSeconds(Math.max(0, batch.processingDelay())));
    scheduling.observe(Unit.millisToSeconds(Math.max(0, batch.schedulingDelay())));
    total.observe(Unit.millisToSeconds(Math.max(0, batch.totalDelay())));
    batchesCompleted.inc();
    for (Map.Entry<String, Long> input : batch.inputRecords().entrySet()) {
      inputRecords.labelValues(input.getKey()).inc(input.getValue());
      inputRate.labelValues(input.getKey()).set(input.getValue() * 1000.0 / batchIntervalMs);
    }
    lastCompleted.set(Unit.millisToSeconds(batch.batchTime()));
  }

  @Override
  public void onCheckpointCompleted(long batchTime) {
    lastCheckpoint.set(Unit.millisToSeconds(batchTime));
  }

  @Override
  public void onCheckpointWritten(CheckpointInfo checkpoint) {
    checkpointSeconds.observe(Unit.millisToSeconds(checkpoint.durationMs()));
    checkpointBytes.set(checkpoint.bytes());
    checkpoint.stateBytes().forEach((stream, bytes) -> stateBytes.labelValues(stream).set(bytes));
    checkpoint
        .stateRecords()
        .forEach((stream, records) -> stateRecords.labelValues(stream).set(records));
  }

  @Override
  public void executorAdded(ExecutorInfo executor) {
    executorsAdded.inc();
  }

  @Override
  public void executorLost(ExecutorInfo executor, String reason) {
    executorsLost.inc();
  }

  @Override
  public void taskResult(ExecutorInfo executor, TaskResult result) {
    taskResults.labelValues(result instanceof TaskFailed ? "failed" : "succeeded").inc();
    if (result instanceof ShuffleMapDone done) {
      shuffleReceived.inc(done.bucketBytes());
    }
  }

  @Override
  public void taskRetried(Reason reason) {
    taskRetries.labelValues(reason.name().toLowerCase(Locale.ROOT)).inc();
  }

  @Override
  public MetricSnapshots snapshot() {
    return registry.scrape();
  }
}
