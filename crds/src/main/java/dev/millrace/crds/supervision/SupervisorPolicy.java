package dev.millrace.crds.supervision;

import dev.millrace.crds.BackoffSpec;
import dev.millrace.crds.ExecutorSpec;
import dev.millrace.crds.HealthCheckSpec;
import dev.millrace.crds.RestartPolicySpec;
import dev.millrace.crds.RestartPolicyType;
import dev.millrace.crds.SpecDurations;
import dev.millrace.crds.StreamingAppSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * The parts of a {@link StreamingAppSpec} the {@link Supervisor} obeys, parsed once.
 *
 * @param type which exits restart the driver ({@code restartPolicy.type})
 * @param maxRestarts counted failures allowed within {@code window}; one more gives up
 * @param window the sliding window over which failures are counted
 * @param backoffInitial the delay before the first restart after a reset
 * @param backoffMax the longest delay
 * @param backoffMultiplier growth per consecutive failure, at least 1
 * @param resetAfter a driver that runs this long with progress clears the failure history
 * @param maxBatchDelay a driver with no completed batch for this long is stopped
 * @param startTimeout a driver with no completed batch this long after its start (or its launch, if
 *     it never reports a start) is stopped
 * @param gracefulStopTimeout how long a graceful stop may take before the driver is killed
 * @param executorInstances how many executors {@code exec-1 … exec-N} to keep running
 */
public record SupervisorPolicy(
    RestartPolicyType type,
    int maxRestarts,
    Duration window,
    Duration backoffInitial,
    Duration backoffMax,
    double backoffMultiplier,
    Duration resetAfter,
    Duration maxBatchDelay,
    Duration startTimeout,
    Duration gracefulStopTimeout,
    int executorInstances) {

  /** Rejects values no validated spec can hold, naming the field. */
  public SupervisorPolicy {
    Objects.requireNonNull(type, "restartPolicy.type");
    requireNonNegative(window, "restartPolicy.window");
    requireNonNegative(backoffInitial, "restartPolicy.backoff.initial");
    requireNonNegative(backoffMax, "restartPolicy.backoff.max");
    requireNonNegative(resetAfter, "restartPolicy.resetAfter");
    requireNonNegative(maxBatchDelay, "healthCheck.maxBatchDelay");
    requireNonNegative(startTimeout, "healthCheck.startTimeout");
    requireNonNegative(gracefulStopTimeout, "gracefulStopTimeout");
    if (maxRestarts < 0) {
      throw new IllegalArgumentException(
          "restartPolicy.maxRestarts is " + maxRestarts + "; it must be 0 or more");
    }
    if (!(backoffMultiplier >= 1) || Double.isInfinite(backoffMultiplier)) {
      throw new IllegalArgumentException(
          "restartPolicy.backoff.multiplier is " + backoffMultiplier + "; it must be 1 or more");
    }
    if (executorInstances < 0) {
      throw new IllegalArgumentException(
          "executor.instances is " + executorInstances + "; it must be 0 or more");
    }
  }

  /**
   * Reads the policy of a validated spec. A section or field left {@code null} takes the default
   * the spec model declares, so defaults live in one place.
   *
   * @throws IllegalArgumentException if a duration does not parse
   */
  public static SupervisorPolicy from(StreamingAppSpec spec) {
    RestartPolicySpec defaultRestart = new RestartPolicySpec();
    RestartPolicySpec restart = or(spec.getRestartPolicy(), defaultRestart);
    BackoffSpec defaultBackoff = new BackoffSpec();
    BackoffSpec backoff = or(restart.getBackoff(), defaultBackoff);
    HealthCheckSpec defaultHealth = new HealthCheckSpec();
    HealthCheckSpec health = or(spec.getHealthCheck(), defaultHealth);
    ExecutorSpec executor = or(spec.getExecutor(), new ExecutorSpec());
    StreamingAppSpec defaultSpec = new StreamingAppSpec();
    return new SupervisorPolicy(
        or(restart.getType(), defaultRestart.getType()),
        or(restart.getMaxRestarts(), defaultRestart.getMaxRestarts()),
        SpecDurations.parse(or(restart.getWindow(), defaultRestart.getWindow())),
        SpecDurations.parse(or(backoff.getInitial(), defaultBackoff.getInitial())),
        SpecDurations.parse(or(backoff.getMax(), defaultBackoff.getMax())),
        or(backoff.getMultiplier(), defaultBackoff.getMultiplier()),
        SpecDurations.parse(or(restart.getResetAfter(), defaultRestart.getResetAfter())),
        SpecDurations.parse(or(health.getMaxBatchDelay(), defaultHealth.getMaxBatchDelay())),
        SpecDurations.parse(or(health.getStartTimeout(), defaultHealth.getStartTimeout())),
        SpecDurations.parse(
            or(spec.getGracefulStopTimeout(), defaultSpec.getGracefulStopTimeout())),
        or(executor.getInstances(), new ExecutorSpec().getInstances()));
  }

  /**
   * The delay before restart number {@code consecutiveFailures} since the last reset: {@code
   * min(backoffMax, backoffInitial × backoffMultiplier^(consecutiveFailures-1))}. Non-decreasing in
   * {@code consecutiveFailures} and never above {@code backoffMax}.
   *
   * @param consecutiveFailures 1 for the first failure after a reset
   */
  public Duration backoffDelay(int consecutiveFailures) {
    if (consecutiveFailures < 1) {
      throw new IllegalArgumentException(
          "consecutiveFailures is " + consecutiveFailures + "; the first failure is 1");
    }
    // In doubles, so that a large exponent or a duration of centuries cannot overflow a long.
    double nanos = nanos(backoffInitial) * Math.pow(backoffMultiplier, consecutiveFailures - 1.0);
    if (!(nanos < nanos(backoffMax))) {
      return backoffMax;
    }
    return Duration.ofNanos((long) nanos);
  }

  private static double nanos(Duration d) {
    return d.getSeconds() * 1e9 + d.getNano();
  }

  private static void requireNonNegative(Duration d, String field) {
    Objects.requireNonNull(d, field);
    if (d.isNegative()) {
      throw new IllegalArgumentException(field + " is " + d + "; it must not be negative");
    }
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
