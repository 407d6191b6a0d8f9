package dev.millrace.operator;

import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.operator.observer.DriverStatusSource;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DriverStatusSource} that answers for the driver pods a test says have completed a batch,
 * as the driver's status endpoint would; every other driver does not answer.
 */
public final class TestingDriverStatus implements DriverStatusSource {
  private final Map<String, DriverStatusReport> byPod = new ConcurrentHashMap<>();

  /**
   * From now on, driver pod {@code podName} reports attempt {@code attempt} at batch {@code
   * batchTimeMs}.
   */
  public void completedBatch(String app, String podName, int attempt, long batchTimeMs) {
    byPod.put(
        podName,
        new DriverStatusReport(
            app,
            attempt,
            "RUNNING",
            1_000L,
            batchTimeMs,
            5L,
            1L,
            6L,
            1,
            10,
            10.0,
            batchTimeMs,
            0,
            List.of()));
  }

  @Override
  public Optional<DriverStatusReport> poll(Pod driverPod) {
    return Optional.ofNullable(byPod.get(driverPod.getMetadata().getName()));
  }
}
