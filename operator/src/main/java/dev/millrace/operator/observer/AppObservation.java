package dev.millrace.operator.observer;

import dev.millrace.crds.launch.DriverStatusReport;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the operator saw of an application's pods in one reconcile.
 *
 * @param driver the current attempt's driver pod; absent only when a live read confirmed it gone
 * @param executors executor pods by executor id ({@code exec-1 …})
 * @param otherDrivers driver pods of other attempts
 * @param report what the current driver's status endpoint answered, if it runs and answered
 */
public record AppObservation(
    Optional<Pod> driver,
    Map<String, Pod> executors,
    List<Pod> otherDrivers,
    Optional<DriverStatusReport> report) {
  /** Copies the collections. */
  public AppObservation {
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(report, "report");
    executors = Map.copyOf(executors);
    otherDrivers = List.copyOf(otherDrivers);
  }
}
