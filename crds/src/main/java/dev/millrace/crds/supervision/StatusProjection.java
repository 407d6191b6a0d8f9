package dev.millrace.crds.supervision;

import dev.millrace.crds.BatchesStatus;
import dev.millrace.crds.CheckpointStatus;
import dev.millrace.crds.DriverExit;
import dev.millrace.crds.DriverStatus;
import dev.millrace.crds.ExecutorsStatus;
import dev.millrace.crds.InputStatus;
import dev.millrace.crds.Phase;
import dev.millrace.crds.RestartsStatus;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.FallingBehindReport;
import dev.millrace.crds.launch.InputReport;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The StreamingApp status every backend writes, built from what it knows: the {@link Supervisor}'s
 * {@link SupervisorView} and a {@link DriverObservation}. One function, so {@code millrace run},
 * the Kubernetes operator and the YARN application master tell a user the same thing. Pure: no I/O,
 * no clock of its own.
 *
 * <h2>Progress</h2>
 *
 * {@code lastCheckpoint} and {@code batches} come from the driver's report only when it belongs to
 * the current attempt and has them; otherwise they are kept from the previous status, so the last
 * known progress stays visible while a driver restarts. {@code executors.ready} counts only while
 * the current attempt's driver is live (executors register with a driver, not with the app). {@code
 * inputs} come from the report; without one they are kept from the previous status while the driver
 * is live, and cleared once it is not (they describe a driver's connections).
 *
 * <h2>Conditions</h2>
 *
 * Always {@code Ready}, {@code Progressing}, {@code Degraded}, in that order; each carries the
 * view's message unless said otherwise, and its {@code lastTransitionTime} moves only when its
 * status changes.
 *
 * <table>
 *   <caption>Conditions by phase</caption>
 *   <tr><th>Phase</th><th>Ready</th><th>Progressing</th></tr>
 *   <tr><td>Running</td><td>True {@code Running}, or False {@code InputOutage} while an input's
 *       outage has lasted longer than {@code healthCheck.maxInputOutage} (the message names each
 *       such input, since when, and its last error)</td><td>False {@code Stable}</td></tr>
 *   <tr><td>Pending, Starting, Restarting, Suspending, Upgrading</td>
 *       <td>False, the phase</td><td>True, the phase</td></tr>
 *   <tr><td>Suspended, Succeeded, Failed</td><td>False, the phase</td><td>False, the phase</td></tr>
 * </table>
 *
 * {@code Degraded} is True when the application is Failed, with the reason of the last exit: {@code
 * Configuration}, {@code IncompatibleCheckpoint}, {@code DamagedCheckpoint}, {@code MissingInput},
 * {@code CheckpointInUse}, {@code Infrastructure} (only under {@code restartPolicy.type: Never}),
 * or {@code RestartLimit} when the application itself failed and the restart policy allows no
 * further attempt (more than {@code maxRestarts} counted failures within the window, or type {@code
 * Never}). Otherwise it is True with reason {@code Restarting} while counted failures are within
 * the window of an application that has not ended; otherwise True with reason {@code FallingBehind}
 * while the driver reports that its batches cannot keep up with the batch interval (the message
 * gives the figures), and False with reason {@code Healthy}.
 */
public final class StatusProjection {
  private static final String READY = "Ready";
  private static final String PROGRESSING = "Progressing";
  private static final String DEGRADED = "Degraded";

  private StatusProjection() {}

  /**
   * The status to write: a new {@link StreamingAppStatus} built from {@code view} and {@code
   * driver}; it shares no object with {@code previous}.
   *
   * @param previous the status written last, {@code null} if none: conditions keep their {@code
   *     lastTransitionTime} from it when their status did not change, and progress not known from
   *     the current attempt is kept from it
   * @param view what the Supervisor knows now
   * @param driver what the backend knows about the current driver attempt
   * @param desiredExecutors {@code executor.instances} of the spec
   * @param observedGeneration the {@code metadata.generation} the backend acts on, {@code null} if
   *     it has none (a local run)
   * @param now stamps the conditions whose status changed
   */
  public static StreamingAppStatus project(
      StreamingAppStatus previous,
      SupervisorView view,
      DriverObservation driver,
      int desiredExecutors,
      Long observedGeneration,
      Instant now) {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(now, "now");
    DriverStatusReport report = driver.report();
    if (report != null && report.attempt() != view.attempt()) {
      report = null;
    }
    StreamingAppStatus status = new StreamingAppStatus();
    status.setPhase(view.phase());
    status.setMessage(view.message());
    status.setObservedGeneration(observedGeneration);
    status.setDriver(driverStatus(view, driver, report));
    status.setExecutors(executors(view, desiredExecutors, report));
    status.setRestarts(restarts(view));
    status.setLastCheckpoint(lastCheckpoint(previous, report));
    status.setBatches(batches(previous, report));
    status.setInputs(inputs(previous, view, report));
    FallingBehindReport fallingBehind = report == null ? null : report.fallingBehind();
    status.setConditions(
        List.of(
            condition(previous, READY, ready(view, status.getInputs()), observedGeneration, now),
            condition(previous, PROGRESSING, progressing(view), observedGeneration, now),
            condition(previous, DEGRADED, degraded(view, fallingBehind), observedGeneration, now)));
    return status;
  }

  // ---- fields

  private static DriverStatus driverStatus(
      SupervisorView view, DriverObservation driver, DriverStatusReport report) {
    DriverStatus status = new DriverStatus();
    status.setName(driver.driverName());
    status.setAttempt(view.attempt() == 0 ? null : view.attempt());
    status.setUrl(view.attempt() == 0 ? null : driver.driverUrl());
    if (driver.driverStartTime() != null) {
      status.setStartTime(rfc3339(driver.driverStartTime()));
    } else if (report != null) {
      status.setStartTime(rfc3339(report.startTimeMs()));
    }
    view.lastExit()
        .ifPresent(
            exit -> {
              DriverExit lastExit = new DriverExit();
              lastExit.setCode(exit.code());
              lastExit.setReason(exit.reason());
              lastExit.setFailureClass(exit.failureClass().statusValue());
              lastExit.setTime(rfc3339(driver.lastExitTime()));
              status.setLastExit(lastExit);
            });
    return status;
  }

  private static ExecutorsStatus executors(
      SupervisorView view, int desiredExecutors, DriverStatusReport report) {
    ExecutorsStatus status = new ExecutorsStatus();
    status.setDesired(desiredExecutors);
    boolean driverLive = report != null && view.driverState() != DriverAttemptState.NONE;
    status.setReady(driverLive ? report.executorsReady() : 0);
    return status;
  }

  private static RestartsStatus restarts(SupervisorView view) {
    RestartsStatus status = new RestartsStatus();
    status.setTotal(view.restartsTotal());
    status.setInWindow(view.restartsInWindow());
    status.setNextAttemptTime(view.nextAttemptAt().map(StatusProjection::rfc3339).orElse(null));
    return status;
  }

  private static CheckpointStatus lastCheckpoint(
      StreamingAppStatus previous, DriverStatusReport report) {
    CheckpointStatus status = new CheckpointStatus();
    if (report != null && report.lastCheckpointTimeMs() != null) {
      status.setBatchTime(rfc3339(report.lastCheckpointTimeMs()));
    } else if (previous != null && previous.getLastCheckpoint() != null) {
      status.setBatchTime(previous.getLastCheckpoint().getBatchTime());
    }
    return status;
  }

  private static BatchesStatus batches(StreamingAppStatus previous, DriverStatusReport report) {
    BatchesStatus status = new BatchesStatus();
    if (report != null && report.lastCompletedBatchTimeMs() != null) {
      status.setLastCompletedTime(rfc3339(report.lastCompletedBatchTimeMs()));
      status.setProcessingDelayMs(report.processingDelayMs());
      status.setSchedulingDelayMs(report.schedulingDelayMs());
      status.setRecordsPerSecond(report.recordsPerSecond());
    } else if (previous != null && previous.getBatches() != null) {
      BatchesStatus known = previous.getBatches();
      status.setLastCompletedTime(known.getLastCompletedTime());
      status.setProcessingDelayMs(known.getProcessingDelayMs());
      status.setSchedulingDelayMs(known.getSchedulingDelayMs());
      status.setRecordsPerSecond(known.getRecordsPerSecond());
    }
    return status;
  }

  private static List<InputStatus> inputs(
      StreamingAppStatus previous, SupervisorView view, DriverStatusReport report) {
    List<InputStatus> inputs = new ArrayList<>();
    if (report != null) {
      for (InputReport input : report.inputs()) {
        inputs.add(inputStatus(input));
      }
    } else if (previous != null
        && previous.getInputs() != null
        && view.driverState() != DriverAttemptState.NONE) {
      for (InputStatus known : previous.getInputs()) {
        inputs.add(copy(known));
      }
    }
    return inputs;
  }

  private static InputStatus inputStatus(InputReport input) {
    InputStatus status = new InputStatus();
    status.setName(input.name());
    status.setSource(input.source());
    status.setConnected(input.connected());
    status.setHealthy(input.healthy());
    status.setOutageSince(input.outageSinceMs() == null ? null : rfc3339(input.outageSinceMs()));
    status.setLastError(input.lastError());
    status.setLastErrorTime(
        input.lastErrorTimeMs() == null ? null : rfc3339(input.lastErrorTimeMs()));
    status.setRecordsReceived(input.recordsReceived());
    status.setBytesReceived(input.bytesReceived());
    status.setLinesDropped(input.linesDropped());
    status.setReceiverRestarts(input.receiverRestarts());
    status.setRemovableUpTo(
        input.removableUpToMs() == null ? null : rfc3339(input.removableUpToMs()));
    status.setRecordsPlanned(input.recordsPlanned());
    status.setFigures(input.figures().isEmpty() ? null : new LinkedHashMap<>(input.figures()));
    return status;
  }

  private static InputStatus copy(InputStatus known) {
    InputStatus status = new InputStatus();
    status.setName(known.getName());
    status.setSource(known.getSource());
    status.setConnected(known.getConnected());
    status.setHealthy(known.getHealthy());
    status.setOutageSince(known.getOutageSince());
    status.setLastError(known.getLastError());
    status.setLastErrorTime(known.getLastErrorTime());
    status.setRecordsReceived(known.getRecordsReceived());
    status.setBytesReceived(known.getBytesReceived());
    status.setLinesDropped(known.getLinesDropped());
    status.setReceiverRestarts(known.getReceiverRestarts());
    status.setRemovableUpTo(known.getRemovableUpTo());
    status.setRecordsPlanned(known.getRecordsPlanned());
    status.setFigures(known.getFigures() == null ? null : new LinkedHashMap<>(known.getFigures()));
    return status;
  }

  // ---- conditions

  /** A condition's status, reason and message, before its times are stamped. */
  private record Verdict(boolean status, String reason, String message) {}

  private static Verdict ready(SupervisorView view, List<InputStatus> inputs) {
    List<InputStatus> out =
        inputs.stream().filter(i -> Boolean.FALSE.equals(i.getHealthy())).toList();
    if (view.phase() == Phase.Running && !out.isEmpty()) {
      return new Verdict(
          false,
          StatusChanges.INPUT_OUTAGE,
          out.stream().map(StatusProjection::describeOutage).collect(Collectors.joining("; "))
              + ". Batches run without this input until it is back: check that what it reads is up"
              + " and reachable (spec.healthCheck.maxInputOutage sets how long an outage may last"
              + " before the application is not Ready)");
    }
    return new Verdict(view.phase() == Phase.Running, view.phase().name(), view.message());
  }

  private static String describeOutage(InputStatus input) {
    String name =
        input.getSource() == null
            ? input.getName()
            : input.getName() + " (" + input.getSource() + ")";
    String state = Boolean.FALSE.equals(input.getConnected()) ? "disconnected" : "failing";
    return "input "
        + name
        + " has been "
        + state
        + (input.getOutageSince() == null ? "" : " since " + input.getOutageSince())
        + (input.getLastError() == null ? "" : ", last error: " + input.getLastError());
  }

  private static Verdict progressing(SupervisorView view) {
    return switch (view.phase()) {
      case Pending, Starting, Restarting, Suspending, Upgrading ->
          new Verdict(true, view.phase().name(), view.message());
      case Running -> new Verdict(false, "Stable", view.message());
      case Suspended, Succeeded, Failed -> new Verdict(false, view.phase().name(), view.message());
    };
  }

  private static Verdict degraded(SupervisorView view, FallingBehindReport fallingBehind) {
    if (view.phase() == Phase.Failed) {
      return new Verdict(true, failedReason(view), view.message());
    }
    int inWindow = view.restartsInWindow();
    if (!view.terminal() && inWindow > 0) {
      String lastExit = view.lastExit().map(ExitReport::describe).orElse("unknown");
      return new Verdict(
          true,
          "Restarting",
          inWindow
              + (inWindow == 1 ? " restart" : " restarts")
              + " within restartPolicy.window; last exit: "
              + lastExit
              + ". The driver log says why it failed; the count clears after a stable run of"
              + " restartPolicy.resetAfter");
    }
    if (!view.terminal() && fallingBehind != null) {
      return new Verdict(
          true,
          StatusChanges.FALLING_BEHIND,
          "the batches cannot keep up with the batch interval: "
              + fallingBehind.describe()
              + ". Every batch waits longer than the one before; make processing faster (more"
              + " executors or parallelism), lengthen spec.batchInterval, or lower the input rate"
              + " (millrace.backpressure.enabled, millrace.receiver.max-rate)");
    }
    return new Verdict(
        false,
        "Healthy",
        view.terminal() ? view.message() : "no driver failure counted within restartPolicy.window");
  }

  private static String failedReason(SupervisorView view) {
    if (view.lastExit().isEmpty()) {
      return Phase.Failed.name();
    }
    FailureClass failure = view.lastExit().get().failureClass();
    return switch (failure) {
      case CONFIGURATION,
              INCOMPATIBLE_CHECKPOINT,
              DAMAGED_CHECKPOINT,
              MISSING_INPUT,
              CHECKPOINT_IN_USE,
              INFRASTRUCTURE ->
          failure.statusValue();
      case APPLICATION, FINISHED, REQUESTED -> "RestartLimit";
    };
  }

  private static Condition condition(
      StreamingAppStatus previous,
      String type,
      Verdict verdict,
      Long observedGeneration,
      Instant now) {
    String status = verdict.status() ? "True" : "False";
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(verdict.reason())
        .withMessage(verdict.message())
        .withLastTransitionTime(transitionTime(previous, type, status, now))
        .withObservedGeneration(observedGeneration)
        .build();
  }

  /** The previous condition's time if its status is unchanged, else {@code now}. */
  private static String transitionTime(
      StreamingAppStatus previous, String type, String status, Instant now) {
    if (previous != null && previous.getConditions() != null) {
      for (Condition c : previous.getConditions()) {
        if (type.equals(c.getType())
            && status.equals(c.getStatus())
            && c.getLastTransitionTime() != null) {
          return c.getLastTransitionTime();
        }
      }
    }
    return rfc3339(now);
  }

  // ---- times

  private static String rfc3339(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  private static String rfc3339(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
