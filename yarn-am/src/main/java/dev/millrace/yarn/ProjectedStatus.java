package dev.millrace.yarn;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.supervision.DriverObservation;
import dev.millrace.crds.supervision.StatusChanges;
import dev.millrace.crds.supervision.StatusProjection;
import dev.millrace.crds.supervision.SupervisorView;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StreamingApp status this ApplicationMaster projects as every backend does, from the
 * Supervisor's view, the driver's newest report and the time its attempt last exited; served at
 * {@code GET /status} ({@link AmStatus}). A change is logged as what a person watching should be
 * told (an input out too long, falling behind). Its own class so the containers' backend only
 * reports what it saw; updated by the supervision thread, read by the endpoint's.
 */
final class ProjectedStatus {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectedStatus.class);

  private final StreamingApp app;
  private final Clock clock;
  private volatile StreamingAppStatus status;
  // Owned by the supervision thread.
  private DriverStatusReport lastReport;
  private Instant lastExitTime;

  ProjectedStatus(StreamingApp app, Clock clock) {
    this.app = app;
    this.clock = clock;
  }

  /** The newest status, once there is one; safe from any thread. */
  Optional<StreamingAppStatus> current() {
    return Optional.ofNullable(status);
  }

  /** Notes the current driver's newest report. */
  void driverReported(DriverStatusReport report) {
    lastReport = report;
  }

  /** Notes that the current driver attempt exited at {@code at}. */
  void driverExited(Instant at) {
    lastExitTime = at;
  }

  /**
   * Projects the status from {@code view} and the container running the current driver, if any, and
   * logs what changed.
   */
  void update(SupervisorView view, Optional<String> driverContainer) {
    StreamingAppStatus next =
        StatusProjection.project(
            status,
            view,
            new DriverObservation(driverContainer.orElse(null), null, lastExitTime, lastReport),
            app.getSpec().getExecutor().getInstances(),
            null,
            clock.instant());
    if (next.equals(status)) {
      return;
    }
    for (StatusChanges.Change change : StatusChanges.between(status, next)) {
      if (change.worse()) {
        LOG.warn("{}: {}", app.getMetadata().getName(), change.sentence());
      } else {
        LOG.info("{}: {}", app.getMetadata().getName(), change.sentence());
      }
    }
    status = next;
  }
}
