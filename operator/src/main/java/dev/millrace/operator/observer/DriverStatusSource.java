package dev.millrace.operator.observer;

import dev.millrace.crds.launch.DriverStatusReport;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * Reads a running driver's {@code /api/v1/status}: the port through which the operator sees batch
 * progress. Empty when the driver does not answer (starting, gone, hung): the Supervisor's health
 * check tells those apart by how long no progress is seen.
 */
public interface DriverStatusSource {
  /** The status the driver in {@code driverPod} reports now, if it answers. */
  Optional<DriverStatusReport> poll(Pod driverPod);
}
