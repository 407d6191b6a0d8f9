package dev.millrace.crds.supervision;

import dev.millrace.crds.Phase;
import dev.millrace.crds.RestartPolicyType;
import dev.millrace.crds.SpecDurations;
import dev.millrace.crds.supervision.SupervisorAction.GiveUp;
import dev.millrace.crds.supervision.SupervisorAction.KillDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchExecutor;
import dev.millrace.crds.supervision.SupervisorAction.RestartScheduled;
import dev.millrace.crds.supervision.SupervisorAction.StopDriver;
import dev.millrace.crds.supervision.SupervisorAction.StopExecutor;
import dev.millrace.crds.supervision.SupervisorEvent.BatchCompleted;
import dev.millrace.crds.supervision.SupervisorEvent.DriverExited;
import dev.millrace.crds.supervision.SupervisorEvent.DriverStarted;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorExited;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorStarted;
import dev.millrace.crds.supervision.SupervisorEvent.RestartRequested;
import dev.millrace.crds.supervision.SupervisorEvent.ResumeRequested;
import dev.millrace.crds.supervision.SupervisorEvent.SpecChanged;
import dev.millrace.crds.supervision.SupervisorEvent.StopRequested;
import dev.millrace.crds.supervision.SupervisorEvent.SuspendRequested;
import dev.millrace.crds.supervision.SupervisorEvent.Tick;
import dev.millrace.crds.supervision.SupervisorSnapshot.ExecutorSnapshot;
import dev.millrace.crds.supervision.SupervisorSnapshot.ExecutorState;
import dev.millrace.crds.supervision.SupervisorSnapshot.StopIntent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one restart brain every backend obeys: a pure state machine from {@link SupervisorEvent}s to
 * {@link SupervisorAction}s. It does no I/O, starts no thread and reads no clock: time is the
 * latest {@link SupervisorEvent#at()} seen (an event from the past does not move it back), and the
 * backend sends a {@link Tick} at {@link #nextDeadline()}. Not thread-safe: one owner feeds it.
 *
 * <h2>Start</h2>
 *
 * A new Supervisor is {@link Phase#Pending}. Its first event launches driver attempt 1 and
 * executors {@code exec-1 … exec-N} ({@code executor.instances}), except that a suspend makes it
 * Suspended and a stop makes it Succeeded without launching anything. Backends send a {@link Tick}
 * to start it.
 *
 * <h2>Driver lifecycle</h2>
 *
 * {@link LaunchDriver} makes the driver LAUNCHING (phase Starting); {@link DriverStarted} makes it
 * RUNNING; its first {@link BatchCompleted} makes the phase Running (a batch from a driver that
 * never reported its start counts as its start). Driver events for another attempt than the current
 * one, and repeats, are stale and ignored. Two drivers never run at once: {@code LaunchDriver} is
 * emitted only once the previous attempt's {@link DriverExited} has been seen.
 *
 * <h2>Exits the Supervisor asked for</h2>
 *
 * While a {@link StopDriver} (and perhaps {@link KillDriver}) is outstanding, the exit is what the
 * stop was for, whatever its code: a suspend makes the application Suspended (executors stopped);
 * an upgrade, a new restart nonce or a resume launches the next attempt at once, not counted; a
 * health check counts as an {@link FailureClass#APPLICATION} failure with reason {@code
 * HealthCheck}. The recorded exit of the suspend and the relaunch is classed {@link
 * FailureClass#REQUESTED}.
 *
 * <p>A stop for good is the exception: it makes the application Succeeded (executors stopped, the
 * exit recorded as {@link FailureClass#REQUESTED}) only if the stop explains the exit: the driver
 * finished ({@link FailureClass#FINISHED}), ended on the backend's own request ({@link
 * FailureClass#REQUESTED}) or the cluster's ({@link FailureClass#INFRASTRUCTURE}), or exited after
 * the {@link KillDriver}. Any other exit (a crash, a bad configuration, a checkpoint failure) means
 * the driver failed while stopping, for instance its last batch broke: the application is Failed
 * ({@link GiveUp} naming the exit, executors stopped) with the exit recorded as it was, never
 * restarted, because the stop was asked for.
 *
 * <h2>Other exits, by class</h2>
 *
 * <ul>
 *   <li>{@code restartPolicy.type: Never}: any exit ends the application, Succeeded if it finished
 *       (exit 0) or was stopped by someone else, Failed otherwise.
 *   <li>{@link FailureClass#APPLICATION}: a counted failure (below).
 *   <li>{@link FailureClass#FINISHED} (exit 0): Succeeded under OnFailure; under Always a counted
 *       failure, so a driver that keeps exiting 0 cannot loop for ever.
 *   <li>{@link FailureClass#INFRASTRUCTURE}, and {@link FailureClass#REQUESTED} when the request
 *       came from elsewhere (someone deleted the pod): restarted after a backoff of its own
 *       consecutive counter, never counted.
 *   <li>The classes a restart cannot help ({@link FailureClass#restartCannotHelp()}: {@link
 *       FailureClass#CONFIGURATION}, {@link FailureClass#INCOMPATIBLE_CHECKPOINT}, {@link
 *       FailureClass#DAMAGED_CHECKPOINT}, {@link FailureClass#MISSING_INPUT}, {@link
 *       FailureClass#CHECKPOINT_IN_USE}): never restarted; {@link GiveUp} says what to do.
 * </ul>
 *
 * <h2>Bounded restarts</h2>
 *
 * A counted failure at time t joins the failures within the sliding {@code window}, those after
 * {@code t - window}. If that makes more than {@code maxRestarts}, the application is Failed
 * ({@link GiveUp} with the count, the last exit and what to do). Otherwise it is Restarting: {@link
 * RestartScheduled} for the next attempt, launched by the first event at or after that time.
 *
 * <h2>Backoff</h2>
 *
 * The delay before a restart is {@link SupervisorPolicy#backoffDelay(int)} of the consecutive
 * counted failures since the last reset; infrastructure failures use their own consecutive counter
 * and the same formula. Delays never decrease between resets and never exceed {@code backoff.max}.
 *
 * <h2>Reset</h2>
 *
 * Once a RUNNING driver has run {@code resetAfter} since its start and completed a batch within the
 * last {@code maxBatchDelay}, the failure history and both consecutive counters are cleared ({@code
 * restartsInWindow} becomes 0; {@code restartsTotal} never decreases).
 *
 * <h2>Health check</h2>
 *
 * A LAUNCHING driver is stopped {@code startTimeout} after its launch, a RUNNING one without a
 * batch {@code startTimeout} after its start, and one with batches {@code maxBatchDelay} after the
 * last: {@link StopDriver} with the rule in the reason, phase Restarting.
 *
 * <h2>Graceful stops</h2>
 *
 * Every {@link StopDriver} carries {@code gracefulStopTimeout}; if the driver has not exited when
 * it runs out, exactly one {@link KillDriver} follows. After that the Supervisor waits for the
 * exit, however long, rather than risk two drivers.
 *
 * <h2>Requests</h2>
 *
 * <ul>
 *   <li>Suspend: phase Suspending and a graceful stop; on the exit, Suspended with executors
 *       stopped. While waiting for a backoff, Suspended at once.
 *   <li>Resume (when Suspended): the next attempt at once, phase Starting, executors launched.
 *       While still Suspending, the stop becomes a relaunch (phase Upgrading).
 *   <li>Stop: a graceful stop, then Succeeded with executors stopped; at once if no driver is live.
 *       It outranks every other stop under way. (The model has no Stopping phase: the phase stays
 *       as it was and the message says the driver is stopping for good.)
 *   <li>New restart nonce: a graceful restart (phase Upgrading), not counted; without a live
 *       driver, the next attempt at once.
 *   <li>Spec change: the new policy is obeyed from now on. {@link SpecChange#SCALE_EXECUTORS}
 *       launches or stops executor ids to match the new count without touching the driver (any
 *       change does, as executors always follow the policy). {@link SpecChange#RESTART} and {@link
 *       SpecChange#RESTART_FRESH} restart like a nonce, the next attempt with a fresh checkpoint
 *       for the latter. When Suspended, a restart change waits for the resume (freshness kept).
 * </ul>
 *
 * <h2>Terminal phases</h2>
 *
 * Succeeded and Failed launch nothing. In Failed, a restart spec change or a new restart nonce
 * starts over with the failure counters cleared; that is how a user recovers a Failed application.
 * Terminal phases still record the latest policy and executor exits; other events are ignored.
 *
 * <h2>Executors</h2>
 *
 * While the application is Starting, Running, Restarting, Upgrading or Suspending, executors {@code
 * exec-1 … exec-N} are kept running; they survive driver restarts. One that exits is launched
 * again: at once after an {@link FailureClass#INFRASTRUCTURE} exit, otherwise after the backoff of
 * its own consecutive exits, cleared once it has run {@code resetAfter}. Executor exits never count
 * toward the driver's {@code maxRestarts}. An id that was stopped is launched again only after its
 * exit has been seen.
 */
public final class Supervisor {
  private SupervisorPolicy policy;
  private Instant now;
  private Phase phase = Phase.Pending;
  private int attempt;
  private DriverAttemptState driverState = DriverAttemptState.NONE;
  private Instant driverLaunchedAt;
  private Instant driverStartedAt;
  private Instant attemptProgressAt;
  private Instant lastProgressAt;
  private Instant lastBatchTime;
  private StopIntent stopIntent;
  private String stopReason;
  private Instant killAt;
  private boolean killSent;
  private Instant nextAttemptAt;
  private String nextAttemptReason;
  private boolean freshCheckpointOnNextLaunch;
  private boolean attemptStartsFresh;
  private final Deque<Instant> countedFailures = new ArrayDeque<>();
  private int restartsTotal;
  private int consecutiveFailures;
  private int consecutiveInfrastructureFailures;
  private ExitReport lastExit;
  private String lastRestartNonce;
  private String message = "waiting for the first event to launch the driver";
  private final Map<String, Executor> executors = new LinkedHashMap<>();

  /** A new Supervisor, Pending, obeying {@code policy} until a {@link SpecChanged}. */
  public Supervisor(SupervisorPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * Handles one event and returns what the backend must do, in order. This is the only way the
   * Supervisor's state changes. Every event also lets time pass: launches, kills, health checks and
   * resets that are due at its time happen now, after the event itself is applied. So an event that
   * arrives after a deadline it bears on is taken as it comes (a {@link DriverStarted} after the
   * start timeout gives the driver its {@code startTimeout} from then; a {@link DriverExited} is
   * classified by its own cause, not as a health-check stop); a backend that ticks at {@link
   * #nextDeadline()} meets every deadline on time.
   */
  public List<SupervisorAction> on(SupervisorEvent event) {
    Objects.requireNonNull(event, "event");
    if (now == null || event.at().isAfter(now)) {
      now = event.at();
    }
    List<SupervisorAction> actions = new ArrayList<>();
    if (isTerminal()) {
      if (!startsOver(event)) {
        recordWhileTerminal(event);
        return List.of();
      }
      startOver(event, actions);
    } else if (event instanceof DriverStarted e) {
      onDriverStarted(e);
    } else if (event instanceof DriverExited e) {
      onDriverExited(e, actions);
    } else if (event instanceof BatchCompleted e) {
      onBatchCompleted(e);
    } else if (event instanceof ExecutorStarted e) {
      onExecutorStarted(e);
    } else if (event instanceof ExecutorExited e) {
      onExecutorExited(e);
    } else if (event instanceof SpecChanged e) {
      onSpecChanged(e, actions);
    } else if (event instanceof SuspendRequested) {
      onSuspendRequested(actions);
    } else if (event instanceof ResumeRequested) {
      onResumeRequested(actions);
    } else if (event instanceof StopRequested) {
      onStopRequested(actions);
    } else if (event instanceof RestartRequested e) {
      onRestartRequested(e, actions);
    } else if (!(event instanceof Tick)) {
      throw new IllegalArgumentException("unknown event " + event);
    }
    if (phase == Phase.Pending) {
      launchDriver("first start", actions);
    }
    passTime(actions);
    return List.copyOf(actions);
  }

  /** What the Supervisor knows now. */
  public SupervisorView view() {
    return new SupervisorView(
        phase,
        attempt,
        driverState,
        restartsTotal,
        countedFailures.size(),
        Optional.ofNullable(nextAttemptAt),
        Optional.ofNullable(lastProgressAt),
        Optional.ofNullable(lastBatchTime),
        Optional.ofNullable(lastExit),
        message,
        isTerminal());
  }

  /**
   * When the backend must send the next {@link Tick}: the next attempt's launch, the health-check
   * deadline, the kill deadline, a counter reset or an executor's relaunch, whichever comes first;
   * empty if nothing is due (Pending, Suspended, terminal, or waiting for an exit after a kill).
   * After any event it lies strictly after that event's time.
   */
  public Optional<Instant> nextDeadline() {
    if (now == null || isTerminal()) {
      return Optional.empty();
    }
    List<Instant> deadlines = new ArrayList<>();
    if (driverState == DriverAttemptState.NONE && nextAttemptAt != null) {
      deadlines.add(nextAttemptAt);
    }
    if (isHealthChecked()) {
      deadlines.add(healthDeadline());
    }
    if (driverState == DriverAttemptState.STOPPING && !killSent) {
      deadlines.add(killAt);
    }
    if (isResettable() && driverStartedAt.plus(policy.resetAfter()).isAfter(now)) {
      deadlines.add(driverStartedAt.plus(policy.resetAfter()));
    }
    for (Executor executor : executors.values()) {
      if (executor.state == ExecutorState.WAITING) {
        deadlines.add(executor.relaunchAt);
      } else if (executor.state == ExecutorState.RUNNING && executor.consecutiveFailures > 0) {
        Instant reset = executor.since.plus(policy.resetAfter());
        if (reset.isAfter(now)) {
          deadlines.add(reset);
        }
      }
    }
    return deadlines.stream().min(Instant::compareTo);
  }

  /** Everything this Supervisor remembers, as a value. */
  public SupervisorSnapshot snapshot() {
    return new SupervisorSnapshot(
        now,
        phase,
        attempt,
        driverState,
        driverLaunchedAt,
        driverStartedAt,
        attemptProgressAt,
        lastProgressAt,
        lastBatchTime,
        stopIntent,
        stopReason,
        killAt,
        killSent,
        nextAttemptAt,
        nextAttemptReason,
        freshCheckpointOnNextLaunch,
        attemptStartsFresh,
        List.copyOf(countedFailures),
        restartsTotal,
        consecutiveFailures,
        consecutiveInfrastructureFailures,
        lastExit,
        lastRestartNonce,
        message,
        executors.entrySet().stream()
            .map(
                e ->
                    new ExecutorSnapshot(
                        e.getKey(),
                        e.getValue().state,
                        e.getValue().since,
                        e.getValue().relaunchAt,
                        e.getValue().consecutiveFailures,
                        e.getValue().lastExit))
            .toList());
  }

  /**
   * A Supervisor that continues exactly where the one that took {@code snapshot} was, obeying
   * {@code policy} (the current spec's; if it changed meanwhile, send a {@link SpecChanged} too).
   */
  public static Supervisor restore(SupervisorPolicy policy, SupervisorSnapshot snapshot) {
    Supervisor s = new Supervisor(policy);
    s.now = snapshot.now();
    s.phase = snapshot.phase();
    s.attempt = snapshot.attempt();
    s.driverState = snapshot.driverState();
    s.driverLaunchedAt = snapshot.driverLaunchedAt();
    s.driverStartedAt = snapshot.driverStartedAt();
    s.attemptProgressAt = snapshot.attemptProgressAt();
    s.lastProgressAt = snapshot.lastProgressAt();
    s.lastBatchTime = snapshot.lastBatchTime();
    s.stopIntent = snapshot.stopIntent();
    s.stopReason = snapshot.stopReason();
    s.killAt = snapshot.killAt();
    s.killSent = snapshot.killSent();
    s.nextAttemptAt = snapshot.nextAttemptAt();
    s.nextAttemptReason = snapshot.nextAttemptReason();
    s.freshCheckpointOnNextLaunch = snapshot.freshCheckpointOnNextLaunch();
    s.attemptStartsFresh = snapshot.attemptStartsFresh();
    s.countedFailures.addAll(snapshot.countedFailures());
    s.restartsTotal = snapshot.restartsTotal();
    s.consecutiveFailures = snapshot.consecutiveFailures();
    s.consecutiveInfrastructureFailures = snapshot.consecutiveInfrastructureFailures();
    s.lastExit = snapshot.lastExit();
    s.lastRestartNonce = snapshot.lastRestartNonce();
    s.message = snapshot.message();
    for (ExecutorSnapshot e : snapshot.executors()) {
      Executor executor = new Executor(e.state());
      executor.since = e.since();
      executor.relaunchAt = e.relaunchAt();
      executor.consecutiveFailures = e.consecutiveFailures();
      executor.lastExit = e.lastExit();
      s.executors.put(e.id(), executor);
    }
    return s;
  }

  // ---- events

  private void onDriverStarted(DriverStarted e) {
    if (e.attempt() != attempt
        || driverState == DriverAttemptState.NONE
        || driverStartedAt != null) {
      return;
    }
    driverStartedAt = now;
    if (driverState == DriverAttemptState.LAUNCHING) {
      driverState = DriverAttemptState.RUNNING;
      message =
          "driver attempt "
              + attempt
              + " started; waiting for its first batch (healthCheck.startTimeout "
              + text(policy.startTimeout())
              + ")";
    }
  }

  private void onBatchCompleted(BatchCompleted e) {
    boolean repeat =
        attemptProgressAt != null && lastBatchTime != null && !e.batchTime().isAfter(lastBatchTime);
    if (driverState == DriverAttemptState.NONE || repeat) {
      return;
    }
    attemptProgressAt = now;
    lastProgressAt = now;
    lastBatchTime = e.batchTime();
    if (driverStartedAt == null) {
      driverStartedAt = now;
    }
    if (driverState == DriverAttemptState.LAUNCHING) {
      driverState = DriverAttemptState.RUNNING;
    }
    if (driverState == DriverAttemptState.RUNNING && phase == Phase.Starting) {
      phase = Phase.Running;
      message = "driver attempt " + attempt + " is running and completing batches";
    }
  }

  private void onDriverExited(DriverExited e, List<SupervisorAction> actions) {
    if (e.attempt() != attempt || driverState == DriverAttemptState.NONE) {
      return;
    }
    ExitReport exit = e.exit();
    StopIntent intent = stopIntent;
    String why = stopReason;
    boolean killed = killSent;
    driverState = DriverAttemptState.NONE;
    stopIntent = null;
    stopReason = null;
    killAt = null;
    killSent = false;
    String exited = "driver attempt " + attempt + " exited with " + exit.describe();
    if (intent == null) {
      lastExit = exit;
      onUnrequestedExit(exit, exited, actions);
      return;
    }
    switch (intent) {
      case HEALTH_CHECK -> {
        if (driverStartedAt == null
            && policy.type() != RestartPolicyType.Never
            && (exit.failureClass() == FailureClass.INFRASTRUCTURE
                || exit.failureClass() == FailureClass.REQUESTED)) {
          // It never started (a pod never scheduled, a container never created) and the backend
          // saw no failure of its own: the start timeout is the cluster's, not the application's.
          lastExit = new ExitReport(exit.code(), "StartTimeout", FailureClass.INFRASTRUCTURE);
          consecutiveInfrastructureFailures++;
          scheduleRestart(
              policy.backoffDelay(consecutiveInfrastructureFailures),
              "driver attempt "
                  + attempt
                  + " never started ("
                  + why
                  + "), not the application's fault (not counted toward"
                  + " restartPolicy.maxRestarts); check that the cluster can schedule it",
              actions);
          return;
        }
        lastExit = new ExitReport(exit.code(), "HealthCheck", FailureClass.APPLICATION);
        String stopped = "driver attempt " + attempt + " was stopped by the health check: " + why;
        if (policy.type() == RestartPolicyType.Never) {
          giveUp(
              stopped + "; restartPolicy.type is Never. " + remedy(FailureClass.APPLICATION),
              actions);
        } else {
          countedFailure(stopped, actions);
        }
      }
      case RELAUNCH -> {
        lastExit = requested(exit);
        launchDriver(why, actions);
      }
      case SUSPEND -> {
        lastExit = requested(exit);
        phase = Phase.Suspended;
        message = "suspended: " + exited + "; the checkpoint is kept; set suspend: false to resume";
      }
      case STOP -> {
        if (killed || stopExplains(exit.failureClass())) {
          lastExit = requested(exit);
          phase = Phase.Succeeded;
          message = "stopped on request: " + exited;
        } else {
          // Reading a failure as the stop's success hid a last batch that broke.
          lastExit = exit;
          giveUp(
              exited
                  + " while stopping on request, so it did not stop cleanly (the driver log says"
                  + " why). "
                  + remedy(exit.failureClass()),
              actions);
        }
      }
    }
  }

  private void onUnrequestedExit(ExitReport exit, String exited, List<SupervisorAction> actions) {
    FailureClass failure = exit.failureClass();
    if (policy.type() == RestartPolicyType.Never) {
      if (failure == FailureClass.FINISHED || failure == FailureClass.REQUESTED) {
        succeed(exited + "; restartPolicy.type is Never");
      } else {
        giveUp(
            exited + "; restartPolicy.type is Never, so it is not restarted. " + remedy(failure),
            actions);
      }
      return;
    }
    switch (failure) {
      case APPLICATION -> countedFailure(exited, actions);
      case FINISHED -> {
        if (policy.type() == RestartPolicyType.OnFailure) {
          succeed(exited + ": finished; restartPolicy.type OnFailure does not restart it");
        } else {
          countedFailure(exited + " under restartPolicy.type Always", actions);
        }
      }
      case INFRASTRUCTURE, REQUESTED -> {
        consecutiveInfrastructureFailures++;
        scheduleRestart(
            policy.backoffDelay(consecutiveInfrastructureFailures),
            exited + ", not the application's fault (not counted toward restartPolicy.maxRestarts)",
            actions);
      }
      case CONFIGURATION,
              INCOMPATIBLE_CHECKPOINT,
              DAMAGED_CHECKPOINT,
              MISSING_INPUT,
              CHECKPOINT_IN_USE ->
          giveUp(exited + ". " + remedy(failure), actions);
    }
  }

  private void onExecutorStarted(ExecutorStarted e) {
    Executor executor = executors.get(e.executorId());
    if (executor != null && executor.state == ExecutorState.LAUNCHING) {
      executor.state = ExecutorState.RUNNING;
      executor.since = now;
    }
  }

  private void onExecutorExited(ExecutorExited e) {
    Executor executor = executors.get(e.executorId());
    if (executor == null || executor.state == ExecutorState.WAITING) {
      return;
    }
    if (executor.state == ExecutorState.STOPPING || !isWanted(e.executorId())) {
      executors.remove(e.executorId());
      return;
    }
    executor.state = ExecutorState.WAITING;
    executor.since = null;
    executor.lastExit = e.exit();
    if (e.exit().failureClass() == FailureClass.INFRASTRUCTURE) {
      executor.relaunchAt = now;
    } else {
      executor.consecutiveFailures++;
      executor.relaunchAt = now.plus(policy.backoffDelay(executor.consecutiveFailures));
    }
  }

  private void onSpecChanged(SpecChanged e, List<SupervisorAction> actions) {
    policy = e.policy();
    switch (e.change()) {
      case POLICY_ONLY, SCALE_EXECUTORS -> {
        // Executors follow the policy in passTime(); nothing else to do.
      }
      case RESTART ->
          relaunch(false, "the application changed (resuming from the checkpoint)", actions);
      case RESTART_FRESH ->
          relaunch(
              true,
              "the application changed (upgradeMode: stateless, starting with a fresh checkpoint)",
              actions);
    }
  }

  private void onRestartRequested(RestartRequested e, List<SupervisorAction> actions) {
    if (e.nonce() != null && e.nonce().equals(lastRestartNonce)) {
      return;
    }
    lastRestartNonce = e.nonce();
    relaunch(false, restartRequestedReason(e), actions);
  }

  private void onSuspendRequested(List<SupervisorAction> actions) {
    if (phase == Phase.Suspended) {
      return;
    }
    if (phase == Phase.Pending || driverState == DriverAttemptState.NONE) {
      cancelNextAttempt();
      phase = Phase.Suspended;
      message =
          "suspended before driver attempt "
              + (attempt + 1)
              + " was launched; set suspend: false to resume";
      return;
    }
    requestStop(StopIntent.SUSPEND, "suspend requested", actions);
    if (stopIntent == StopIntent.SUSPEND) {
      phase = Phase.Suspending;
      message = stoppingMessage();
    }
  }

  private void onResumeRequested(List<SupervisorAction> actions) {
    if (phase == Phase.Suspended) {
      launchDriver("resume requested", actions);
    } else if (driverState == DriverAttemptState.STOPPING && stopIntent == StopIntent.SUSPEND) {
      stopIntent = StopIntent.RELAUNCH;
      stopReason = "resume requested while suspending";
      phase = Phase.Upgrading;
      message = stoppingMessage();
    }
  }

  private void onStopRequested(List<SupervisorAction> actions) {
    if (phase == Phase.Pending || driverState == DriverAttemptState.NONE) {
      cancelNextAttempt();
      succeed("stopped on request" + (attempt == 0 ? " before the driver was launched" : ""));
      return;
    }
    requestStop(StopIntent.STOP, "stop requested", actions);
    message = stoppingMessage();
  }

  // ---- terminal phases

  private boolean startsOver(SupervisorEvent event) {
    if (phase != Phase.Failed) {
      return false;
    }
    if (event instanceof SpecChanged e) {
      return e.change() == SpecChange.RESTART || e.change() == SpecChange.RESTART_FRESH;
    }
    return event instanceof RestartRequested e
        && (e.nonce() == null || !e.nonce().equals(lastRestartNonce));
  }

  private void startOver(SupervisorEvent event, List<SupervisorAction> actions) {
    countedFailures.clear();
    consecutiveFailures = 0;
    consecutiveInfrastructureFailures = 0;
    executors.values().forEach(e -> e.consecutiveFailures = 0);
    String reason;
    if (event instanceof SpecChanged e) {
      policy = e.policy();
      freshCheckpointOnNextLaunch = e.change() == SpecChange.RESTART_FRESH;
      reason = "starting over after Failed: the application changed";
    } else {
      RestartRequested e = (RestartRequested) event;
      lastRestartNonce = e.nonce();
      reason = "starting over after Failed: " + restartRequestedReason(e);
    }
    launchDriver(reason, actions);
  }

  private void recordWhileTerminal(SupervisorEvent event) {
    if (event instanceof SpecChanged e) {
      policy = e.policy();
    } else if (event instanceof ExecutorExited e) {
      Executor executor = executors.get(e.executorId());
      if (executor != null && executor.state == ExecutorState.STOPPING) {
        executors.remove(e.executorId());
      }
    }
  }

  // ---- decisions

  private void launchDriver(String reason, List<SupervisorAction> actions) {
    if (driverState != DriverAttemptState.NONE) {
      throw new IllegalStateException(
          "bug: launching attempt "
              + (attempt + 1)
              + " while attempt "
              + attempt
              + " is "
              + driverState);
    }
    attempt++;
    boolean fresh = freshCheckpointOnNextLaunch;
    freshCheckpointOnNextLaunch = false;
    attemptStartsFresh = fresh;
    driverState = DriverAttemptState.LAUNCHING;
    driverLaunchedAt = now;
    driverStartedAt = null;
    attemptProgressAt = null;
    cancelNextAttempt();
    phase = Phase.Starting;
    message =
        "launching driver attempt "
            + attempt
            + (fresh ? " with a fresh checkpoint" : "")
            + ": "
            + reason;
    actions.add(new LaunchDriver(attempt, fresh, reason));
  }

  /** A graceful restart the user asked for: not counted, no backoff. */
  private void relaunch(boolean fresh, String reason, List<SupervisorAction> actions) {
    if (fresh) {
      freshCheckpointOnNextLaunch = true;
    }
    if (phase == Phase.Pending) {
      return;
    }
    if (phase == Phase.Suspended) {
      message = "suspended; " + reason + ", which takes effect on resume (set suspend: false)";
      return;
    }
    if (driverState == DriverAttemptState.NONE) {
      launchDriver(reason, actions);
      return;
    }
    requestStop(StopIntent.RELAUNCH, reason, actions);
    if (stopIntent == StopIntent.RELAUNCH) {
      phase = Phase.Upgrading;
      message = stoppingMessage();
    }
  }

  /**
   * Emits a StopDriver for a live driver, or, if one is already stopping, lets the stronger intent
   * win without a second StopDriver (the grace period already runs).
   */
  private void requestStop(StopIntent intent, String reason, List<SupervisorAction> actions) {
    if (driverState == DriverAttemptState.STOPPING) {
      if (intent.compareTo(stopIntent) >= 0) {
        stopIntent = intent;
        stopReason = reason;
      }
      return;
    }
    driverState = DriverAttemptState.STOPPING;
    stopIntent = intent;
    stopReason = reason;
    killAt = now.plus(policy.gracefulStopTimeout());
    killSent = false;
    actions.add(new StopDriver(attempt, policy.gracefulStopTimeout(), reason));
  }

  private void countedFailure(String what, List<SupervisorAction> actions) {
    pruneWindow();
    int inWindow = countedFailures.size() + 1;
    if (inWindow > policy.maxRestarts()) {
      giveUp(
          "driver failed "
              + inWindow
              + (inWindow == 1 ? " time" : " times")
              + " within "
              + text(policy.window())
              + " (restartPolicy.maxRestarts="
              + policy.maxRestarts()
              + "); last exit: "
              + lastExit.describe()
              + ". "
              + remedy(FailureClass.APPLICATION),
          actions);
      return;
    }
    countedFailures.addLast(now);
    consecutiveFailures++;
    scheduleRestart(
        policy.backoffDelay(consecutiveFailures),
        what
            + " (restart "
            + inWindow
            + " of at most "
            + policy.maxRestarts()
            + " within "
            + text(policy.window())
            + ")",
        actions);
  }

  private void scheduleRestart(Duration delay, String why, List<SupervisorAction> actions) {
    restartsTotal++;
    phase = Phase.Restarting;
    nextAttemptAt = now.plus(delay);
    nextAttemptReason = "restart after " + why;
    message =
        why
            + "; driver attempt "
            + (attempt + 1)
            + " starts in "
            + text(delay)
            + " at "
            + nextAttemptAt;
    actions.add(new RestartScheduled(attempt + 1, delay, nextAttemptAt, why));
  }

  private void giveUp(String reason, List<SupervisorAction> actions) {
    cancelNextAttempt();
    phase = Phase.Failed;
    message = reason;
    actions.add(new GiveUp(reason));
  }

  private void succeed(String why) {
    phase = Phase.Succeeded;
    message = why;
  }

  /** Carries out what is due at {@link #now}: kills, launches, health checks, resets, executors. */
  private void passTime(List<SupervisorAction> actions) {
    if (driverState == DriverAttemptState.NONE
        && nextAttemptAt != null
        && !now.isBefore(nextAttemptAt)) {
      launchDriver(nextAttemptReason, actions);
    }
    if (isHealthChecked() && !now.isBefore(healthDeadline())) {
      String reason = healthProblem();
      requestStop(StopIntent.HEALTH_CHECK, reason, actions);
      phase = Phase.Restarting;
      message = stoppingMessage();
    }
    // After the health check, so that a stop it makes with a zero grace period is killed now.
    if (driverState == DriverAttemptState.STOPPING && !killSent && !now.isBefore(killAt)) {
      killSent = true;
      actions.add(
          new KillDriver(
              attempt,
              "driver attempt "
                  + attempt
                  + " did not exit within gracefulStopTimeout after the stop ("
                  + stopReason
                  + ")"));
      message = stoppingMessage();
    }
    if (isResettable() && !now.isBefore(driverStartedAt.plus(policy.resetAfter()))) {
      countedFailures.clear();
      consecutiveFailures = 0;
      consecutiveInfrastructureFailures = 0;
      message =
          "driver attempt "
              + attempt
              + " is running and completing batches; restart counters reset after a stable run of "
              + text(policy.resetAfter());
    }
    pruneWindow();
    reconcileExecutors(actions);
  }

  private void reconcileExecutors(List<SupervisorAction> actions) {
    int wanted = executorsActive() ? policy.executorInstances() : 0;
    for (Map.Entry<String, Executor> e : List.copyOf(executors.entrySet())) {
      Executor executor = e.getValue();
      if (isWanted(e.getKey())) {
        if (executor.state == ExecutorState.RUNNING
            && executor.consecutiveFailures > 0
            && !now.isBefore(executor.since.plus(policy.resetAfter()))) {
          executor.consecutiveFailures = 0;
        }
        continue;
      }
      switch (executor.state) {
        case LAUNCHING, RUNNING -> {
          executor.state = ExecutorState.STOPPING;
          executor.since = null;
          actions.add(new StopExecutor(e.getKey(), executorStopReason(wanted)));
        }
        case WAITING -> executors.remove(e.getKey());
        case STOPPING -> {
          // Waiting for its exit.
        }
      }
    }
    for (int i = 1; i <= wanted; i++) {
      String id = executorId(i);
      Executor executor = executors.get(id);
      if (executor == null) {
        executors.put(id, new Executor(ExecutorState.LAUNCHING));
        actions.add(new LaunchExecutor(id, "executor.instances is " + wanted));
      } else if (executor.state == ExecutorState.WAITING && !now.isBefore(executor.relaunchAt)) {
        executor.state = ExecutorState.LAUNCHING;
        executor.relaunchAt = null;
        actions.add(
            new LaunchExecutor(
                id, "replacing " + id + ", which exited with " + executor.lastExit.describe()));
      }
    }
  }

  // ---- derived state

  private boolean isTerminal() {
    return phase == Phase.Succeeded || phase == Phase.Failed;
  }

  private boolean executorsActive() {
    return switch (phase) {
      case Starting, Running, Restarting, Upgrading, Suspending -> true;
      case Pending, Suspended, Succeeded, Failed -> false;
    };
  }

  private boolean isWanted(String executorId) {
    if (!executorsActive()) {
      return false;
    }
    for (int i = 1; i <= policy.executorInstances(); i++) {
      if (executorId(i).equals(executorId)) {
        return true;
      }
    }
    return false;
  }

  private boolean isHealthChecked() {
    return driverState == DriverAttemptState.LAUNCHING || driverState == DriverAttemptState.RUNNING;
  }

  private Instant healthDeadline() {
    if (driverState == DriverAttemptState.LAUNCHING) {
      return driverLaunchedAt.plus(policy.startTimeout());
    }
    if (attemptProgressAt == null) {
      return driverStartedAt.plus(policy.startTimeout());
    }
    return attemptProgressAt.plus(policy.maxBatchDelay());
  }

  private String healthProblem() {
    if (driverState == DriverAttemptState.LAUNCHING) {
      return "driver attempt "
          + attempt
          + " did not start within "
          + text(policy.startTimeout())
          + " (healthCheck.startTimeout)";
    }
    if (attemptProgressAt == null) {
      return "no batch completed within "
          + text(policy.startTimeout())
          + " of the driver's start (healthCheck.startTimeout)";
    }
    return "no batch completed for "
        + text(policy.maxBatchDelay())
        + " (healthCheck.maxBatchDelay)";
  }

  /** Whether a reset is possible at all now: the health check guarantees the recent progress. */
  private boolean isResettable() {
    return driverState == DriverAttemptState.RUNNING
        && attemptProgressAt != null
        && (!countedFailures.isEmpty()
            || consecutiveFailures > 0
            || consecutiveInfrastructureFailures > 0);
  }

  private void pruneWindow() {
    Instant horizon = now.minus(policy.window());
    while (!countedFailures.isEmpty() && !countedFailures.peekFirst().isAfter(horizon)) {
      countedFailures.removeFirst();
    }
  }

  private void cancelNextAttempt() {
    nextAttemptAt = null;
    nextAttemptReason = null;
  }

  private String stoppingMessage() {
    String then =
        switch (stopIntent) {
          case HEALTH_CHECK -> "then restart it per restartPolicy";
          case RELAUNCH -> "then launch attempt " + (attempt + 1) + " at once";
          case SUSPEND -> "then suspend";
          case STOP -> "then stop for good";
        };
    return "stopping driver attempt "
        + attempt
        + " gracefully ("
        + stopReason
        + "), "
        + then
        + (killSent ? "; it was killed after gracefulStopTimeout" : "");
  }

  private String executorStopReason(int wanted) {
    return switch (phase) {
      case Suspended -> "the application is suspended";
      case Succeeded -> "the application stopped";
      case Failed -> "the application failed";
      default -> "executor.instances is " + wanted;
    };
  }

  /** Whether an exit of {@code failure} is what a graceful stop leads to. */
  private static boolean stopExplains(FailureClass failure) {
    return failure == FailureClass.FINISHED
        || failure == FailureClass.REQUESTED
        || failure == FailureClass.INFRASTRUCTURE;
  }

  private static ExitReport requested(ExitReport exit) {
    return new ExitReport(exit.code(), exit.reason(), FailureClass.REQUESTED);
  }

  private static String restartRequestedReason(RestartRequested e) {
    return e.nonce() == null
        ? "restart requested"
        : "restart requested (restartNonce " + e.nonce() + ")";
  }

  private static String remedy(FailureClass failure) {
    return switch (failure) {
      case CONFIGURATION ->
          "The configuration is invalid and a restart cannot fix it: fix the spec (the driver log"
              + " names the setting), then apply it or set a new restartNonce";
      case INCOMPATIBLE_CHECKPOINT ->
          "The checkpoint was written by an incompatible build of the application: set"
              + " upgradeMode: stateless to start with a fresh checkpoint (its state is lost), or"
              + " restore the previous build";
      case DAMAGED_CHECKPOINT ->
          "A checkpoint file the recovery needs is damaged, or the checkpoint directory was"
              + " deleted while the driver ran, and every restart would meet it again: the driver"
              + " log names the file and what to do with it";
      case MISSING_INPUT ->
          "The recovery needs input that was deleted (the driver log names the file): restore"
              + " it, or let textFileStream's cleanSource remove input instead of deleting it by"
              + " hand";
      case CHECKPOINT_IN_USE ->
          "Another driver holds the checkpoint directory (the driver log names its host, pid and"
              + " since when): stop it, or point this application at its own checkpoint"
              + " directory, then start it again (on Kubernetes, set a new restartNonce)";
      case INFRASTRUCTURE ->
          "The cluster ended it, not the application: set a new restartNonce to run it again, or"
              + " use restartPolicy.type OnFailure to restart after such exits";
      default -> "Fix the application, then change the spec or set a new restartNonce to try again";
    };
  }

  private static String executorId(int index) {
    return "exec-" + index;
  }

  /** A duration as a spec writes it: {@code 10m}, {@code 4s}, {@code 1500ms}. */
  static String text(Duration d) {
    return SpecDurations.format(d);
  }

  /** One executor id's state; mutable, owned by its Supervisor. */
  private static final class Executor {
    ExecutorState state;
    Instant since;
    Instant relaunchAt;
    int consecutiveFailures;
    ExitReport lastExit;

    Executor(ExecutorState state) {
      this.state = state;
    }
  }
}
