package dev.millrace.crds.supervision;

import dev.millrace.crds.launch.DriverStatusReport;
import java.time.Instant;

/**
 * What a backend knows about the current driver attempt beyond the {@link Supervisor}'s view, for
 * {@link StatusProjection}. Every field may be {@code null} where the backend does not know it
 * (yet).
 *
 * @param driverName the pod, container or process name of the current attempt's driver
 * @param driverStartTime when the current attempt's driver started; without it, the report's start
 *     time is used
 * @param lastExitTime when the last attempt exited, the one the view's {@code lastExit} describes
 * @param report the newest report of the driver's status endpoint, {@code null} before the first
 *     poll; one from an older attempt is ignored
 * @param driverUrl where the current attempt's driver serves its status, metrics and UI, e.g.
 *     {@code http://wordcount-driver.apps.svc:4040/}
 */
public record DriverObservation(
    String driverName,
    Instant driverStartTime,
    Instant lastExitTime,
    DriverStatusReport report,
    String driverUrl) {

  /** An observation without the driver's URL. */
  public DriverObservation(
      String driverName, Instant driverStartTime, Instant lastExitTime, DriverStatusReport report) {
    this(driverName, driverStartTime, lastExitTime, report, null);
  }
}
