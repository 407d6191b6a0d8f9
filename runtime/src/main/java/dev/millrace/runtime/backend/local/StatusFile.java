package dev.millrace.runtime.backend.local;

import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.supervision.DriverObservation;
import dev.millrace.crds.supervision.StatusProjection;
import dev.millrace.crds.supervision.SupervisorView;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code status.yaml} in the run directory: the application as {@code kubectl get -o yaml} would
 * show it, with the status every backend projects, rewritten whenever the status changes, and each
 * change of its conditions printed as progress. Its own class so the process backend only says what
 * it observed; updated by the supervision thread, read by any.
 */
final class StatusFile {
  private static final Logger LOG = LoggerFactory.getLogger(StatusFile.class);
  // The resource with its status, as the Kubernetes API would return it.
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final LocalApp app;
  private final ProgressPrinter progress;
  private final Clock clock;
  private volatile StreamingAppStatus status;

  StatusFile(LocalApp app, ProgressPrinter progress, Clock clock) {
    this.app = app;
    this.progress = progress;
    this.clock = clock;
  }

  /** The status as last written to {@code status.yaml}; safe from any thread. */
  Optional<StreamingAppStatus> current() {
    return Optional.ofNullable(status);
  }

  /** Projects the status from {@code view} and {@code driver}; writes it if it changed. */
  void update(SupervisorView view, DriverObservation driver) {
    StreamingAppStatus next =
        StatusProjection.project(
            status,
            view,
            driver,
            app.resource().getSpec().getExecutor().getInstances(),
            null,
            clock.instant());
    if (next.equals(status)) {
      return;
    }
    progress.conditions(status, next);
    app.resource().setStatus(next);
    try {
      Path temp = app.runDirectory().resolve(".status.yaml.tmp");
      Files.writeString(temp, SERIALIZATION.asYaml(app.resource()), StandardCharsets.UTF_8);
      Files.move(
          temp,
          app.runDirectory().resolve("status.yaml"),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot write {}: {}", app.runDirectory().resolve("status.yaml"), e.toString());
    }
    // After the file: whoever sees this status through current() finds status.yaml at least as new.
    status = next;
  }
}
