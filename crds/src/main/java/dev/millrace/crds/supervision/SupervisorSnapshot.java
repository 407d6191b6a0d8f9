package dev.millrace.crds.supervision;

import dev.millrace.crds.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link Supervisor} remembers, as a plain value: {@link
 * Supervisor#restore(SupervisorPolicy, SupervisorSnapshot)} of it continues exactly where the
 * original was. Instants are {@code null} where there is nothing to remember.
 *
 * @param now the latest event time seen (the Supervisor's clock), {@code null} before any event
 * @param driverLaunchedAt when the current attempt was launched
 * @param driverStartedAt when the current attempt reported its start (or its first batch)
 * @param attemptProgressAt when the current attempt last completed a batch
 * @param stopIntent why the current attempt is being stopped, while {@code driverState} is {@code
 *     STOPPING}
 * @param stopReason the human reason of that stop
 * @param killAt when the graceful stop runs out and the driver is killed
 * @param killSent whether {@code KillDriver} was emitted for the current attempt
 * @param nextAttemptAt when the next attempt is launched, while waiting for a backoff
 * @param nextAttemptReason why it will be launched
 * @param freshCheckpointOnNextLaunch the next attempt starts with a fresh checkpoint
 * @param attemptStartsFresh the current attempt was launched with a fresh checkpoint: a backend
 *     that creates its process later (a pod whose creation is retried) still passes the flag
 * @param countedFailures the times of counted failures that led to a restart, oldest first
 * @param consecutiveFailures counted failures since the last reset (the backoff exponent)
 * @param consecutiveInfrastructureFailures infrastructure failures since the last reset
 * @param lastRestartNonce the last {@code restartNonce} acted on
 * @param executors every executor id the Supervisor tracks, in launch order
 */
public record SupervisorSnapshot(
    Instant now,
    Phase phase,
    int attempt,
    DriverAttemptState driverState,
    Instant driverLaunchedAt,
    Instant driverStartedAt,
    Instant attemptProgressAt,
    Instant lastProgressAt,
    Instant lastBatchTime,
    StopIntent stopIntent,
    String stopReason,
    Instant killAt,
    boolean killSent,
    Instant nextAttemptAt,
    String nextAttemptReason,
    boolean freshCheckpointOnNextLaunch,
    boolean attemptStartsFresh,
    List<Instant> countedFailures,
    int restartsTotal,
    int consecutiveFailures,
    int consecutiveInfrastructureFailures,
    ExitReport lastExit,
    String lastRestartNonce,
    String message,
    List<ExecutorSnapshot> executors) {

  /** Requires a phase, a driver state and a message; copies the lists. */
  public SupervisorSnapshot {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(driverState, "driverState");
    Objects.requireNonNull(message, "message");
    countedFailures = List.copyOf(countedFailures);
    executors = List.copyOf(executors);
  }

  /**
   * Why the Supervisor asked the driver to stop; decides what its exit means. When several requests
   * meet, the later declared one wins (a stop outranks a suspend, which outranks a relaunch, which
   * outranks a health check), except that a resume turns a suspend into a relaunch.
   */
  public enum StopIntent {
    /** No progress: the exit is a counted application failure with reason {@code HealthCheck}. */
    HEALTH_CHECK,
    /** Upgrade, new restart nonce or resume: launch the next attempt at once, not counted. */
    RELAUNCH,
    /** Suspend: the exit makes the application Suspended. */
    SUSPEND,
    /** Stop: the exit makes the application Succeeded. */
    STOP
  }

  /** Where one executor id is. */
  public enum ExecutorState {
    /** {@code LaunchExecutor} was emitted; no start seen yet. */
    LAUNCHING,
    /** Reported started. */
    RUNNING,
    /** Exited; launched again at {@code relaunchAt}. */
    WAITING,
    /** {@code StopExecutor} was emitted; its exit has not been seen. */
    STOPPING
  }

  /**
   * One executor id.
   *
   * @param since when it reported its start, while {@code RUNNING}
   * @param relaunchAt when it is launched again, while {@code WAITING}
   * @param consecutiveFailures exits since it last ran for {@code resetAfter} (its backoff
   *     exponent)
   * @param lastExit how it last ended, if it did
   */
  public record ExecutorSnapshot(
      String id,
      ExecutorState state,
      Instant since,
      Instant relaunchAt,
      int consecutiveFailures,
      ExitReport lastExit) {
    /** Requires an id and a state. */
    public ExecutorSnapshot {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(state, "state");
    }
  }
}
