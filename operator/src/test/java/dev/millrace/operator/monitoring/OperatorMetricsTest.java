package dev.millrace.operator.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.Phase;
import dev.millrace.crds.RestartsStatus;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.operator.TestingApps;
import io.javaoperatorsdk.operator.api.monitoring.Metrics.ControllerExecution;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
  private static final String PREFIX = "millrace_operator_";
  private final OperatorMetrics metrics = new OperatorMetrics();

  @Test
  void aReconcileThatThrowsIsCountedAsAFailureAndTimedLikeASuccess() throws Exception {
    assertEquals("done", metrics.timeControllerExecution(execution("reconcile", () -> "done")));
    assertThrows(
        IllegalStateException.class,
        () ->
            metrics.timeControllerExecution(
                execution(
                    "reconcile",
                    () -> {
                      throw new IllegalStateException("conflict");
                    })));

    Samples samples = new Samples(metrics.exposition());
    assertEquals(
        1, samples.get(PREFIX + "reconciles_total{operation=\"reconcile\",outcome=\"success\"}"));
    assertEquals(
        1, samples.get(PREFIX + "reconciles_total{operation=\"reconcile\",outcome=\"failure\"}"));
    assertEquals(
        0, samples.get(PREFIX + "reconciles_total{operation=\"cleanup\",outcome=\"success\"}"));
    assertEquals(
        2, samples.get(PREFIX + "reconcile_duration_seconds_count{operation=\"reconcile\"}"));
  }

  @Test
  void histogramBucketsAreCumulativeAndTheLastEqualsTheCount() throws Exception {
    for (long millis : List.of(0L, 30L, 300L)) {
      metrics.timeControllerExecution(
          execution(
              "cleanup",
              () -> {
                Thread.sleep(millis);
                return "deleted";
              }));
    }

    Samples samples = new Samples(metrics.exposition());
    String bucket = PREFIX + "reconcile_duration_seconds_bucket{operation=\"cleanup\",le=\"%s\"}";
    double previous = 0;
    for (double bound : LatencyHistogram.BUCKETS) {
      double count = samples.get(bucket.formatted(bound));
      assertTrue(count >= previous, "bucket " + bound + " holds fewer than the one below it");
      previous = count;
    }
    assertEquals(3, samples.get(bucket.formatted("+Inf")));
    assertEquals(2, samples.get(bucket.formatted("0.25")), "0 ms and 30 ms, not 300 ms");
    assertTrue(
        samples.get(PREFIX + "reconcile_duration_seconds_sum{operation=\"cleanup\"}") >= 0.33);
  }

  @Test
  void everyPhaseIsExportedAndAnAppCountsOnlyInItsLatestPhase() {
    StreamingApp app = TestingApps.app("word-count", 1);
    metrics.statusWritten(app, null, status(Phase.Starting, 0));
    metrics.statusWritten(app, status(Phase.Starting, 0), status(Phase.Running, 0));
    metrics.statusWritten(TestingApps.app("other", 1), null, status(Phase.Running, 0));

    Samples samples = new Samples(metrics.exposition());
    assertEquals(2, samples.get(PREFIX + "apps{phase=\"Running\"}"));
    assertEquals(0, samples.get(PREFIX + "apps{phase=\"Starting\"}"));
    for (Phase phase : Phase.values()) {
      samples.get(PREFIX + "apps{phase=\"" + phase + "\"}");
    }
  }

  @Test
  void anAppWhoseCleanupIsDoneNoLongerCounts() {
    StreamingApp app = TestingApps.app("word-count", 1);
    metrics.statusWritten(app, null, status(Phase.Running, 0));
    metrics.cleanupDoneFor(ResourceID.fromResource(app), Map.of());

    assertEquals(0, new Samples(metrics.exposition()).get(PREFIX + "apps{phase=\"Running\"}"));
  }

  @Test
  void driverRestartsAreTheRestartsEachWrittenStatusAddsToThePreviousOne() {
    StreamingApp app = TestingApps.app("word-count", 1);
    metrics.statusWritten(app, null, status(Phase.Restarting, 1));
    metrics.statusWritten(app, status(Phase.Restarting, 1), status(Phase.Starting, 1));
    metrics.statusWritten(app, status(Phase.Starting, 1), status(Phase.Restarting, 3));

    assertEquals(3, new Samples(metrics.exposition()).get(PREFIX + "driver_restarts_total"));
  }

  @Test
  void anOperatorThatRestartsDoesNotCountTheRestartsItFindsInTheStatus() {
    StreamingApp app = TestingApps.app("word-count", 1);
    metrics.statusWritten(app, status(Phase.Running, 4), status(Phase.Running, 4));

    assertEquals(0, new Samples(metrics.exposition()).get(PREFIX + "driver_restarts_total"));
  }

  private static StreamingAppStatus status(Phase phase, int restarts) {
    StreamingAppStatus status = new StreamingAppStatus();
    status.setPhase(phase);
    RestartsStatus counts = new RestartsStatus();
    counts.setTotal(restarts);
    status.setRestarts(counts);
    return status;
  }

  private interface Body<T> {
    T run() throws Exception;
  }

  private static <T> ControllerExecution<T> execution(String name, Body<T> body) {
    return new ControllerExecution<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String controllerName() {
        return "streamingapp";
      }

      @Override
      public String successTypeName(T result) {
        return "noUpdate";
      }

      @Override
      public ResourceID resourceID() {
        return new ResourceID("word-count", TestingApps.NAMESPACE);
      }

      @Override
      public Map<String, Object> metadata() {
        return Map.of();
      }

      @Override
      public T execute() throws Exception {
        return body.run();
      }
    };
  }
}
