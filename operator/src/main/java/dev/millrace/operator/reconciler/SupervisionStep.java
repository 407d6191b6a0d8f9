package dev.millrace.operator.reconciler;

import dev.millrace.crds.DriverExit;
import dev.millrace.crds.SpecDurations;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.supervision.DriverAttemptState;
import dev.millrace.crds.supervision.DriverObservation;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.crds.supervision.StatusProjection;
import dev.millrace.crds.supervision.Supervisor;
import dev.millrace.crds.supervision.SupervisorAction;
import dev.millrace.crds.supervision.SupervisorAction.GiveUp;
import dev.millrace.crds.supervision.SupervisorAction.KillDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchDriver;
import dev.millrace.crds.supervision.SupervisorAction.RestartScheduled;
import dev.millrace.crds.supervision.SupervisorAction.StopDriver;
import dev.millrace.crds.supervision.SupervisorEvent;
import dev.millrace.crds.supervision.SupervisorEvent.BatchCompleted;
import dev.millrace.crds.supervision.SupervisorEvent.DriverExited;
import dev.millrace.crds.supervision.SupervisorEvent.DriverStarted;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorExited;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorStarted;
import dev.millrace.crds.supervision.SupervisorEvent.RestartRequested;
import dev.millrace.crds.supervision.SupervisorEvent.ResumeRequested;
import dev.millrace.crds.supervision.SupervisorEvent.SpecChanged;
import dev.millrace.crds.supervision.SupervisorEvent.SuspendRequested;
import dev.millrace.crds.supervision.SupervisorEvent.Tick;
import dev.millrace.crds.supervision.SupervisorPolicy;
import dev.millrace.crds.supervision.SupervisorSnapshot;
import dev.millrace.crds.supervision.SupervisorSnapshot.ExecutorSnapshot;
import dev.millrace.crds.supervision.SupervisorSnapshot.ExecutorState;
import dev.millrace.operator.observer.AppObservation;
import dev.millrace.operator.observer.PodOutcome;
import dev.millrace.operator.reconciler.Decision.Notice;
import dev.millrace.operator.reconciler.Decision.PodDeletion;
import dev.millrace.operator.resource.AppNames;
import dev.millrace.operator.resource.AppPods;
import dev.millrace.operator.resource.LaunchContract;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One reconcile of a valid StreamingApp, decided without I/O: restore the {@link Supervisor} from
 * the status, tell it what was observed and what the user asked for, and turn its state into the
 * pods that must exist. The decision is state-based: a driver the Supervisor is launching is
 * created if its pod is missing, one it is stopping is deleted if its pod still runs, so a decision
 * persisted before an operator crash is carried out by the next reconcile, and carrying one out
 * twice is harmless.
 *
 * <h2>Observations</h2>
 *
 * <ul>
 *   <li>The current attempt's driver pod: running is {@link DriverStarted}; ended is {@link
 *       DriverExited} with the exit {@link PodOutcome} reads; gone (confirmed by a live read) while
 *       running or stopping is an exit the cluster asked for ({@link FailureClass#REQUESTED},
 *       reason {@code Deleted}). Gone while launching is a launch not carried out yet.
 *   <li>Executor pods, likewise, as {@link ExecutorStarted} and {@link ExecutorExited}; a pod being
 *       deleted is waited for.
 *   <li>The driver's status report, for the current attempt: {@link BatchCompleted} with its last
 *       batch time (the Supervisor ignores repeats).
 * </ul>
 *
 * <h2>Requests, against the last reconciled spec</h2>
 *
 * A spec change ({@link SpecDiff}) is {@link SpecChanged}; {@code suspend} turning true is {@link
 * SuspendRequested}, turning false {@link ResumeRequested}; a new {@code restartNonce} is {@link
 * RestartRequested}. An application first seen with {@code suspend: true} starts Suspended.
 */
public final class SupervisionStep {
  private static final Duration SHORTEST_REQUEUE = Duration.ofMillis(50);

  private SupervisionStep() {}

  /**
   * What to do for {@code app} (valid for Kubernetes), given what was seen, at {@code now}.
   *
   * @param pollInterval how often a live driver's status endpoint is read
   */
  public static Decision decide(
      StreamingApp app, AppObservation seen, Instant now, Duration pollInterval) {
    StreamingAppSpec spec = app.getSpec();
    StreamingAppStatus previous = app.getStatus();
    AppMemory memory = AppMemory.of(previous);
    SupervisorPolicy policy = SupervisorPolicy.from(spec);
    Supervisor supervisor =
        memory
            .snapshot()
            .map(
                s ->
                    Supervisor.restore(
                        memory.lastSpec().map(SupervisorPolicy::from).orElse(policy), s))
            .orElseGet(() -> new Supervisor(policy));

    List<SupervisorEvent> events = new ArrayList<>();
    memory.snapshot().ifPresent(s -> events.addAll(observed(s, seen, now)));
    events.addAll(requested(memory, spec, policy, now));
    events.add(new Tick(now));

    List<Notice> notices = new ArrayList<>();
    boolean exited = false;
    for (SupervisorEvent event : events) {
      exited |= event instanceof DriverExited;
      for (SupervisorAction action : supervisor.on(event)) {
        notice(action).ifPresent(notices::add);
      }
    }
    SupervisorSnapshot after = supervisor.snapshot();

    List<PodDeletion> deletions = new ArrayList<>();
    List<Pod> creations = new ArrayList<>();
    planDriver(app, after, seen, deletions, creations);
    planExecutors(app, after, seen, deletions, creations);

    StreamingAppStatus status =
        StatusProjection.project(
            previous,
            supervisor.view(),
            driverObservation(app, after, seen, previous, exited ? now : null),
            policy.executorInstances(),
            app.getMetadata().getGeneration(),
            now);
    status.setReconciliation(AppMemory.remember(spec, after, memory));
    return new Decision(
        status, deletions, creations, notices, requeueAfter(supervisor, after, now, pollInterval));
  }

  // ---- events

  private static List<SupervisorEvent> observed(
      SupervisorSnapshot before, AppObservation seen, Instant now) {
    List<SupervisorEvent> events = new ArrayList<>();
    int attempt = before.attempt();
    if (before.driverState() != DriverAttemptState.NONE) {
      Optional<Pod> driver = seen.driver();
      if (driver.isPresent()) {
        PodOutcome outcome = PodOutcome.of(driver.get());
        if (outcome instanceof PodOutcome.Started) {
          events.add(new DriverStarted(now, attempt));
        } else if (outcome instanceof PodOutcome.Ended ended) {
          events.add(new DriverExited(now, attempt, ended.exit()));
        }
      } else if (before.driverState() != DriverAttemptState.LAUNCHING) {
        events.add(new DriverExited(now, attempt, deleted()));
      }
    }
    seen.report()
        .filter(r -> r.attempt() == attempt && r.lastCompletedBatchTimeMs() != null)
        .ifPresent(
            r ->
                events.add(
                    new BatchCompleted(now, Instant.ofEpochMilli(r.lastCompletedBatchTimeMs()))));
    for (ExecutorSnapshot executor : before.executors()) {
      Pod pod = seen.executors().get(executor.id());
      if (executor.state() == ExecutorState.WAITING) {
        continue;
      }
      if (pod == null) {
        if (executor.state() != ExecutorState.LAUNCHING) {
          events.add(new ExecutorExited(now, executor.id(), deleted()));
        }
        continue;
      }
      if (isDeleting(pod) && executor.state() == ExecutorState.LAUNCHING) {
        continue; // the previous run of this id, going away before the new one is created
      }
      PodOutcome outcome = PodOutcome.of(pod);
      if (outcome instanceof PodOutcome.Ended ended) {
        events.add(new ExecutorExited(now, executor.id(), ended.exit()));
      } else if (isDeleting(pod)) {
        continue;
      } else if (outcome instanceof PodOutcome.Started) {
        events.add(new ExecutorStarted(now, executor.id()));
      }
    }
    return events;
  }

  private static List<SupervisorEvent> requested(
      AppMemory memory, StreamingAppSpec spec, SupervisorPolicy policy, Instant now) {
    List<SupervisorEvent> events = new ArrayList<>();
    if (memory.lastSpec().isEmpty()) {
      if (spec.isSuspend()) {
        events.add(new SuspendRequested(now));
      }
      return events;
    }
    StreamingAppSpec last = memory.lastSpec().get();
    SpecDiff.classify(last, spec).ifPresent(c -> events.add(new SpecChanged(now, c, policy)));
    if (!last.isSuspend() && spec.isSuspend()) {
      events.add(new SuspendRequested(now));
    } else if (last.isSuspend() && !spec.isSuspend()) {
      events.add(new ResumeRequested(now));
    }
    if (spec.getRestartNonce() != null
        && !Objects.equals(last.getRestartNonce(), spec.getRestartNonce())) {
      events.add(new RestartRequested(now, spec.getRestartNonce()));
    }
    return events;
  }

  /** A pod that vanished: deleted by someone, or by the operator's own stop. */
  private static ExitReport deleted() {
    return new ExitReport(null, "Deleted", FailureClass.REQUESTED);
  }

  private static Optional<Notice> notice(SupervisorAction action) {
    if (action instanceof LaunchDriver launch) {
      return Optional.of(
          Notice.normal(
              "LaunchingDriver",
              "launching driver attempt " + launch.attempt() + ": " + launch.reason()));
    }
    if (action instanceof StopDriver stop) {
      return Optional.of(
          Notice.normal(
              "StoppingDriver",
              "stopping driver attempt " + stop.attempt() + " gracefully: " + stop.reason()));
    }
    if (action instanceof KillDriver kill) {
      return Optional.of(Notice.warning("KillingDriver", kill.reason()));
    }
    if (action instanceof RestartScheduled scheduled) {
      return Optional.of(
          Notice.warning(
              "RestartScheduled",
              "driver attempt "
                  + scheduled.attempt()
                  + " starts in "
                  + SpecDurations.format(scheduled.delay())
                  + ": "
                  + scheduled.reason()));
    }
    if (action instanceof GiveUp giveUp) {
      return Optional.of(Notice.warning("Failed", giveUp.reason()));
    }
    return Optional.empty();
  }

  // ---- pods

  private static void planDriver(
      StreamingApp app,
      SupervisorSnapshot after,
      AppObservation seen,
      List<PodDeletion> deletions,
      List<Pod> creations) {
    int attempt = after.attempt();
    String name = attempt == 0 ? null : AppNames.driverPod(app, attempt);
    Optional<Pod> current = seen.driver().filter(p -> p.getMetadata().getName().equals(name));
    switch (after.driverState()) {
      case LAUNCHING -> {
        if (current.isEmpty()) {
          creations.add(AppPods.driver(app, attempt, after.attemptStartsFresh()));
        }
      }
      case STOPPING ->
          current
              .filter(p -> !(PodOutcome.of(p) instanceof PodOutcome.Ended))
              .ifPresent(
                  p -> {
                    if (after.killSent() && !isKilled(p)) {
                      deletions.add(new PodDeletion(p, Duration.ZERO));
                    } else if (!isDeleting(p)) {
                      deletions.add(new PodDeletion(p, graceful(app)));
                    }
                  });
      case NONE ->
          current
              .filter(SupervisionStep::holdsOn)
              .ifPresent(p -> deletions.add(new PodDeletion(p, Duration.ZERO)));
      case RUNNING -> {
        // Runs.
      }
    }
    // Keep the previous attempt's ended pod for its logs; older ones go.
    for (Pod old : seen.otherDrivers()) {
      boolean ended = PodOutcome.of(old) instanceof PodOutcome.Ended;
      if (ended && (attemptOf(old) < attempt - 1 || holdsOn(old)) && !isDeleting(old)) {
        deletions.add(new PodDeletion(old, Duration.ZERO));
      }
    }
  }

  /**
   * Whether {@code pod} ended as far as the Supervisor is concerned but still holds its node: an
   * image that cannot be pulled, a configuration the kubelet cannot create. Kept, it would retry
   * and hold its resources for ever; its Events already tell why.
   */
  private static boolean holdsOn(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return PodOutcome.of(pod) instanceof PodOutcome.Ended
        && !"Failed".equals(phase)
        && !"Succeeded".equals(phase)
        && !isDeleting(pod);
  }

  private static void planExecutors(
      StreamingApp app,
      SupervisorSnapshot after,
      AppObservation seen,
      List<PodDeletion> deletions,
      List<Pod> creations) {
    String current = SpecDiff.restartHash(app.getSpec());
    boolean upgraded = upgradeDriverRuns(after, seen, current);
    for (ExecutorSnapshot e : after.executors()) {
      Pod pod = seen.executors().get(e.id());
      boolean ended = pod != null && PodOutcome.of(pod) instanceof PodOutcome.Ended;
      switch (e.state()) {
        case LAUNCHING -> {
          if (pod == null) {
            creations.add(AppPods.executor(app, e.id()));
          } else if (ended && !isDeleting(pod)) {
            // The previous run of this id; its name must be free before the new one is created.
            deletions.add(new PodDeletion(pod, Duration.ZERO));
          }
        }
        case WAITING -> {
          if (pod != null && !isDeleting(pod)) {
            deletions.add(new PodDeletion(pod, Duration.ZERO));
          }
        }
        case STOPPING -> {
          if (pod != null && !isDeleting(pod)) {
            deletions.add(new PodDeletion(pod, graceful(app)));
          }
        }
        case RUNNING -> {
          if (upgraded && pod != null && !isDeleting(pod) && !current.equals(specHash(pod))) {
            // Built from the spec before an upgrade (its resources, image or template); the
            // upgrade's driver attempt runs, so it is replaced by one built from the new spec.
            deletions.add(new PodDeletion(pod, graceful(app)));
          }
        }
      }
    }
    Set<String> known =
        after.executors().stream().map(ExecutorSnapshot::id).collect(Collectors.toSet());
    for (Map.Entry<String, Pod> e : seen.executors().entrySet()) {
      if (!known.contains(e.getKey()) && !isDeleting(e.getValue())) {
        deletions.add(new PodDeletion(e.getValue(), graceful(app)));
      }
    }
  }

  /**
   * Whether the application was restarted for an upgrade and that upgrade's driver attempt runs
   * (its old driver has checkpointed and gone): the current attempt's pod was built from the
   * current spec, whose {@link SpecDiff#restartHash} is {@code current}.
   */
  private static boolean upgradeDriverRuns(
      SupervisorSnapshot after, AppObservation seen, String current) {
    return seen.driver()
        .filter(d -> attemptOf(d) == after.attempt() && !isDeleting(d))
        .filter(d -> current.equals(specHash(d)))
        .isPresent();
  }

  private static String specHash(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(AppNames.SPEC_HASH_ANNOTATION);
  }

  private static Duration graceful(StreamingApp app) {
    return Duration.ofSeconds(AppPods.terminationGracePeriodSeconds(app.getSpec()));
  }

  private static boolean isDeleting(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  private static boolean isKilled(Pod pod) {
    Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
    return isDeleting(pod) && grace != null && grace == 0;
  }

  private static int attemptOf(Pod pod) {
    try {
      return Integer.parseInt(pod.getMetadata().getLabels().get(AppNames.ATTEMPT_LABEL));
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }

  // ---- status and time

  private static DriverObservation driverObservation(
      StreamingApp app,
      SupervisorSnapshot after,
      AppObservation seen,
      StreamingAppStatus previous,
      Instant exitedAt) {
    int attempt = after.attempt();
    if (attempt == 0) {
      return new DriverObservation(null, null, null, null);
    }
    String name = AppNames.driverPod(app, attempt);
    Instant startTime =
        seen.driver()
            .filter(p -> p.getMetadata().getName().equals(name))
            .map(p -> p.getStatus() == null ? null : p.getStatus().getStartTime())
            .map(Instant::parse)
            .orElse(null);
    Instant lastExitTime = exitedAt;
    if (lastExitTime == null && previous != null && previous.getDriver() != null) {
      DriverExit exit = previous.getDriver().getLastExit();
      if (exit != null && exit.getTime() != null) {
        lastExitTime = Instant.parse(exit.getTime());
      }
    }
    return new DriverObservation(
        name, startTime, lastExitTime, seen.report().orElse(null), LaunchContract.driverUrl(app));
  }

  private static Optional<Duration> requeueAfter(
      Supervisor supervisor, SupervisorSnapshot after, Instant now, Duration pollInterval) {
    Optional<Duration> deadline = supervisor.nextDeadline().map(d -> Duration.between(now, d));
    boolean live =
        after.driverState() == DriverAttemptState.LAUNCHING
            || after.driverState() == DriverAttemptState.RUNNING;
    Optional<Duration> poll = live ? Optional.of(pollInterval) : Optional.empty();
    return deadline
        .map(d -> poll.filter(p -> p.compareTo(d) < 0).orElse(d))
        .or(() -> poll)
        .map(d -> d.compareTo(SHORTEST_REQUEUE) < 0 ? SHORTEST_REQUEUE : d);
  }
}
