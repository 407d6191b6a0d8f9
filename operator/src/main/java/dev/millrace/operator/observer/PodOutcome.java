package dev.millrace.operator.observer;

import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.operator.resource.LaunchContract;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a driver or executor pod is, read from its status: not started yet, running, or ended with
 * an {@link ExitReport} the {@link dev.millrace.crds.supervision.Supervisor} understands. Pure; the
 * one place that knows how Kubernetes says a container ended.
 *
 * <ul>
 *   <li>A pod the node gave up ({@code status.reason} {@code Evicted}, {@code Preempting}, {@code
 *       NodeShutdown}, {@code NodeLost}, {@code Terminated}) ended through no fault of the
 *       application: {@link FailureClass#INFRASTRUCTURE}.
 *   <li>A terminated main container ended with its exit code, classified by {@link
 *       FailureClass#ofExitCode} (0 finished, 78 configuration, 65/66/74/75 a checkpoint a restart
 *       cannot resume, else a crash), with the kubelet's reason ({@code OOMKilled}, {@code Error},
 *       {@code Completed}).
 *   <li>{@code CrashLoopBackOff} (only if a pod template overrode {@code restartPolicy: Never})
 *       ended with the last exit code and reason {@code CrashLoopBackOff}.
 *   <li>{@code ImagePullBackOff}, {@code ErrImagePull}, {@code InvalidImageName} and {@code
 *       CreateContainerConfigError} will not start by waiting: {@link FailureClass#CONFIGURATION},
 *       fixed by changing the spec (as the Flink operator treats them).
 *   <li>A Failed or Succeeded pod without a container status ended without an exit code.
 * </ul>
 */
public sealed interface PodOutcome {
  /** Scheduled or pulling; the main container has not run yet. */
  record NotStarted() implements PodOutcome {}

  /** The main container runs. */
  record Started() implements PodOutcome {}

  /** The main container will not run (again). */
  record Ended(ExitReport exit) implements PodOutcome {}

  /** The reasons a node gives for a pod it stopped through no fault of the application. */
  Set<String> NODE_REASONS =
      Set.of("Evicted", "Preempting", "NodeShutdown", "NodeLost", "Terminated");

  /** The waiting reasons that waiting does not cure. */
  Set<String> CONFIGURATION_REASONS =
      Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError");

  /** The outcome {@code pod}'s status shows. */
  static PodOutcome of(Pod pod) {
    PodStatus status = pod.getStatus();
    if (status == null) {
      return new NotStarted();
    }
    String phase = status.getPhase();
    String podReason = status.getReason() == null ? "" : status.getReason();
    if ("Failed".equals(phase) && NODE_REASONS.contains(podReason)) {
      return new Ended(ExitReport.infrastructure(status.getReason()));
    }
    Optional<ContainerStatus> main = mainContainer(status.getContainerStatuses());
    if (main.isPresent() && main.get().getState() != null) {
      ContainerState state = main.get().getState();
      if (state.getTerminated() != null) {
        return new Ended(exit(state.getTerminated(), null));
      }
      if (state.getWaiting() != null) {
        String reason =
            state.getWaiting().getReason() == null ? "" : state.getWaiting().getReason();
        if (CONFIGURATION_REASONS.contains(reason)) {
          return new Ended(new ExitReport(null, reason, FailureClass.CONFIGURATION));
        }
        if ("CrashLoopBackOff".equals(reason)) {
          ContainerState last = main.get().getLastState();
          return new Ended(
              last != null && last.getTerminated() != null
                  ? exit(last.getTerminated(), reason)
                  : new ExitReport(null, reason, FailureClass.APPLICATION));
        }
      }
      if (state.getRunning() != null) {
        return new Started();
      }
    }
    if ("Failed".equals(phase)) {
      return new Ended(ExitReport.infrastructure(status.getReason()));
    }
    if ("Succeeded".equals(phase)) {
      return new Ended(new ExitReport(0, status.getReason(), FailureClass.FINISHED));
    }
    return "Running".equals(phase) ? new Started() : new NotStarted();
  }

  private static ExitReport exit(ContainerStateTerminated terminated, String reason) {
    Integer code = terminated.getExitCode();
    FailureClass failure = code == null ? FailureClass.APPLICATION : FailureClass.ofExitCode(code);
    return new ExitReport(code, reason != null ? reason : terminated.getReason(), failure);
  }

  private static Optional<ContainerStatus> mainContainer(List<ContainerStatus> statuses) {
    if (statuses == null) {
      return Optional.empty();
    }
    return statuses.stream()
        .filter(s -> LaunchContract.CONTAINER.equals(s.getName()))
        .findFirst()
        .or(() -> statuses.stream().findFirst());
  }
}
