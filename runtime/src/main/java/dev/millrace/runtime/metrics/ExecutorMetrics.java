package dev.millrace.runtime.metrics;

import dev.millrace.runtime.cluster.TaskHandler;
import dev.millrace.runtime.transport.Message.RunShuffleMap;
import dev.millrace.runtime.transport.Message.ShuffleMapDone;
import dev.millrace.runtime.transport.Message.Task;
import dev.millrace.runtime.transport.Message.TaskFailed;
import dev.millrace.runtime.transport.Message.TaskResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * An executor's Prometheus metrics, served on a port of its own ({@code --metrics-port}): the tasks
 * it ran, by kind ({@code shuffle-map}, {@code state}) and outcome ({@code succeeded}, {@code
 * failed}), how long they took, the shuffle bytes its map tasks produced, the state partitions it
 * owns, and its JVM. The labels {@code app}, {@code role="executor"} and {@code executor} (its id)
 * are on every metric, as the driver's are (see {@link DriverMetrics}).
 */
public final class ExecutorMetrics implements ServedMetrics {
  private static final double[] TASK_BUCKETS = {
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter tasks;
  private final Histogram taskSeconds;
  private final Counter shuffleBytes;

  /**
   * The metrics of executor {@code executorId} of application {@code app}, owning as many state
   * partitions as {@code statePartitions} says when scraped.
   */
  public ExecutorMetrics(String app, String executorId, IntSupplier statePartitions) {
    Labels process = Labels.of("app", app, "role", "executor", "executor", executorId);
    tasks =
        Counter.builder()
            .name("millrace_tasks")
            .help("Tasks this process ran, by kind and outcome.")
            .constLabels(process)
            .labelNames("kind", "outcome")
            .register(registry);
    taskSeconds =
        Histogram.builder()
            .name("millrace_task_seconds")
            .help("Time tasks took on this process, by kind.")
            .unit(Unit.SECONDS)
            .constLabels(process)
            .labelNames("kind")
            .classicOnly()
            .classicUpperBounds(TASK_BUCKETS)
            .register(registry);
    shuffleBytes =
        Counter.builder()
            .name("millrace_shuffle_written_bytes")
            .help("Bytes of map output this process's shuffle map tasks sent to the driver.")
            .unit(Unit.BYTES)
            .constLabels(process)
            .register(registry);
    GaugeWithCallback.builder()
        .name("millrace_state_partitions_owned")
        .help("Partitions of keyed state this process owns.")
        .constLabels(process)
        .callback(callback -> callback.call(statePartitions.getAsInt()))
        .register(registry);
    JvmMetrics.builder().constLabels(process).register(registry);
  }

  /** {@code handler}, its tasks counted and timed here. */
  public TaskHandler counting(TaskHandler handler) {
    return new TaskHandler() {
      @Override
      public void run(Task task, Consumer<TaskResult> reply) {
        String kind = task instanceof RunShuffleMap ? "shuffle-map" : "state";
        long started = System.nanoTime();
        handler.run(
            task,
            result -> {
              finished(kind, started, result);
              reply.accept(result);
            });
      }

      @Override
      public void sessionEnded() {
        handler.sessionEnded();
      }
    };
  }

  private void finished(String kind, long startedNanos, TaskResult result) {
    tasks.labelValues(kind, result instanceof TaskFailed ? "failed" : "succeeded").inc();
    taskSeconds.labelValues(kind).observe((System.nanoTime() - startedNanos) / 1e9);
    if (result instanceof ShuffleMapDone done) {
      shuffleBytes.inc(done.bucketBytes());
    }
  }

  @Override
  public MetricSnapshots snapshot() {
    return registry.scrape();
  }
}
