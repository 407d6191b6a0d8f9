package dev.millrace.runtime.metrics;

import static dev.millrace.runtime.metrics.TestingMetricsText.assertPromtoolAccepts;
import static dev.millrace.runtime.metrics.TestingMetricsText.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.cluster.ExecutorInfo;
import dev.millrace.runtime.cluster.TaskRetryListener;
import dev.millrace.runtime.source.SourceInput;
import dev.millrace.runtime.source.TestingReportingSource;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.transport.Message.ShuffleMapDone;
import dev.millrace.runtime.transport.Message.TaskFailed;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.CheckpointInfo;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.SourceHealth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The driver's Prometheus metrics, fed the listener events a running context sends. */
class DriverMetricsTest {

  @Test
  void batchesAreCountedAndTimedAndTheirRecordsToldByInputWithAppAndRoleAsLabels()
      throws Exception {
    AtomicInteger executors = new AtomicInteger(2);
    DriverMetrics metrics = new DriverMetrics("clicks", 1000, executors::get, List::of);
    metrics.onBatchSubmitted(new BatchInfo(1000, 1000, -1, -1, -1));
    metrics.onBatchSubmitted(new BatchInfo(2000, 2000, -1, -1, -1));
    metrics.onBatchStarted(new BatchInfo(1000, 1000, 1030, -1, -1));
    Map<String, Long> records = new LinkedHashMap<>();
    records.put("queueStream#0", 12L);
    records.put("socketTextStream#1", 3L);
    // Waited 30 ms, processed in 200 ms.
    metrics.onBatchCompleted(new BatchInfo(1000, 1000, 1030, 1230, 15, records));
    metrics.onCheckpointCompleted(1000);

    String text = scrape(metrics);

    String app = "app=\"clicks\"";
    String role = "role=\"driver\"";
    assertEquals(1, value(text, "millrace_batches_completed_total", app, role));
    assertEquals(
        12, value(text, "millrace_input_records_total", app, role, "input=\"queueStream#0\""));
    assertEquals(3, value(text, "millrace_input_records_total", "input=\"socketTextStream#1\""));
    assertEquals(12, value(text, "millrace_input_records_per_second", "input=\"queueStream#0\""));
    assertEquals(0, value(text, "millrace_batch_processing_seconds_bucket", "le=\"0.1\""));
    assertEquals(1, value(text, "millrace_batch_processing_seconds_bucket", "le=\"0.25\""));
    assertEquals(0.2, value(text, "millrace_batch_processing_seconds_sum"), 1e-9);
    assertEquals(1, value(text, "millrace_batch_scheduling_delay_seconds_bucket", "le=\"0.05\""));
    assertEquals(0.23, value(text, "millrace_batch_total_delay_seconds_sum"), 1e-9);
    assertEquals(1, value(text, "millrace_batches_waiting"), "batch 2000 has not started");
    assertEquals(1, value(text, "millrace_last_completed_batch_time_seconds"));
    assertEquals(1, value(text, "millrace_last_checkpoint_batch_time_seconds"));
    assertEquals(2, value(text, "millrace_executors_registered", app, role));
    assertTrue(value(text, "jvm_threads_current", app, role) > 0, "the JVM's own metrics too");
    assertFalse(text.contains("clicks_"), "the application is a label, never part of a name");
    assertPromtoolAccepts(text);

    executors.set(0);
    assertEquals(0, value(scrape(metrics), "millrace_executors_registered"), "read when scraped");
  }

  @Test
  void anInputsOutageAndItsLagByPartitionAreWhatItsSourceSaysWhenScraped() throws Exception {
    AtomicReference<SourceHealth> health =
        new AtomicReference<>(SourceHealth.described("broker:9092 [orders]"));
    StreamGraph graph = new StreamGraph("orders", Durations.seconds(1));
    InputNode<String> input =
        new InputNode<>(
            graph, "kafkaStream", new SourceInput<>(new TestingReportingSource(health::get)));
    DriverMetrics metrics = new DriverMetrics("orders", 1000, () -> 0, () -> List.of(input));
    String labels = "input=\"" + input.name() + "\"";

    assertEquals(0, value(scrape(metrics), "millrace_input_outage", labels));
    health.set(
        new SourceHealth(
            "broker:9092 [orders]",
            Instant.ofEpochMilli(5_000),
            "broker:9092 does not answer",
            Instant.ofEpochMilli(6_000),
            null,
            Map.of(),
            Map.of("orders-0", 0L, "orders-3", 1_200L)));
    String text = scrape(metrics);
    assertEquals(1, value(text, "millrace_input_outage", labels));
    assertEquals(
        1_200, value(text, "millrace_input_lag_records", labels, "partition=\"orders-3\""));
    assertEquals(0, value(text, "millrace_input_lag_records", labels, "partition=\"orders-0\""));
    assertPromtoolAccepts(text);
  }

  @Test
  void checkpointsExecutorsAndTasksAreCountedAsTheEngineTellsOfThem() throws Exception {
    DriverMetrics metrics = new DriverMetrics("clicks", 1000, () -> 1, List::of);
    metrics.onCheckpointWritten(
        new CheckpointInfo(
            5000,
            120,
            4_096,
            Map.of("updateStateByKey#3", 4_000L),
            Map.of("updateStateByKey#3", 250L)));
    ExecutorInfo executor =
        new ExecutorInfo("exec-1", "node-1", 42, 2, 1L << 30, 7, Instant.EPOCH, Instant.EPOCH);
    metrics.executorAdded(executor);
    metrics.executorLost(executor, "its connection closed");
    metrics.executorAdded(executor);
    metrics.taskResult(
        executor, new ShuffleMapDone(1, 1, 7, List.of(new byte[100], new byte[28]), List.of()));
    metrics.taskResult(executor, new TaskFailed(2, 1, 7, "out of memory"));
    metrics.taskRetried(TaskRetryListener.Reason.FAILED);
    metrics.taskRetried(TaskRetryListener.Reason.EXECUTOR_LOST);
    metrics.taskRetried(TaskRetryListener.Reason.EXECUTOR_LOST);

    String text = scrape(metrics);

    assertEquals(1, value(text, "millrace_checkpoint_seconds_bucket", "le=\"0.25\""));
    assertEquals(0, value(text, "millrace_checkpoint_seconds_bucket", "le=\"0.1\""));
    assertEquals(4_096, value(text, "millrace_checkpoint_bytes"));
    String stream = "stream=\"updateStateByKey#3\"";
    assertEquals(4_000, value(text, "millrace_state_checkpoint_bytes", stream));
    assertEquals(250, value(text, "millrace_state_records", stream));
    assertEquals(2, value(text, "millrace_executor_registrations_total"));
    assertEquals(1, value(text, "millrace_executors_lost_total"));
    assertEquals(1, value(text, "millrace_task_results_total", "outcome=\"succeeded\""));
    assertEquals(1, value(text, "millrace_task_results_total", "outcome=\"failed\""));
    assertEquals(128, value(text, "millrace_shuffle_received_bytes_total"));
    assertEquals(2, value(text, "millrace_task_retries_total", "reason=\"executor_lost\""));
    assertEquals(1, value(text, "millrace_task_retries_total", "reason=\"failed\""));
    assertPromtoolAccepts(text);
  }

  private static String scrape(DriverMetrics metrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.write(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
