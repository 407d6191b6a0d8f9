package dev.millrace.crds.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the {@link Supervisor} asks a backend to do, in the order given. Every action carries a
 * human reason for logs, Events and status.
 */
public sealed interface SupervisorAction {
  /**
   * Start driver {@code attempt} (Kubernetes names the pod {@code <app>-driver-<attempt>}). Only
   * emitted once the previous attempt's exit has been seen, so two drivers never run at once.
   *
   * @param freshCheckpoint start with an empty checkpoint ({@code upgradeMode: stateless}) instead
   *     of resuming from the last one
   */
  record LaunchDriver(int attempt, boolean freshCheckpoint, String reason)
      implements SupervisorAction {
    /** Requires a reason. */
    public LaunchDriver {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Stop driver {@code attempt} gracefully (SIGTERM: finish the batch, write the final checkpoint).
   * If it has not exited after {@code gracePeriod}, exactly one {@link KillDriver} follows.
   */
  record StopDriver(int attempt, Duration gracePeriod, String reason) implements SupervisorAction {
    /** Requires a grace period and a reason. */
    public StopDriver {
      Objects.requireNonNull(gracePeriod, "gracePeriod");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Kill driver {@code attempt} now (SIGKILL): its graceful stop ran out of time. */
  record KillDriver(int attempt, String reason) implements SupervisorAction {
    /** Requires a reason. */
    public KillDriver {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Start executor {@code executorId} ({@code exec-1 … exec-N}). */
  record LaunchExecutor(String executorId, String reason) implements SupervisorAction {
    /** Requires an id and a reason. */
    public LaunchExecutor {
      Objects.requireNonNull(executorId, "executorId");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Stop executor {@code executorId}, then report its exit. */
  record StopExecutor(String executorId, String reason) implements SupervisorAction {
    /** Requires an id and a reason. */
    public StopExecutor {
      Objects.requireNonNull(executorId, "executorId");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Informational, for logs and status: driver {@code attempt} will be launched at {@code at},
   * {@code delay} from now, because of {@code reason}. The launch itself comes as a {@link
   * LaunchDriver} on the first event at or after {@code at}.
   */
  record RestartScheduled(int attempt, Duration delay, Instant at, String reason)
      implements SupervisorAction {
    /** Requires all but the attempt. */
    public RestartScheduled {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Terminal: the application is Failed and will not be restarted; {@code reason} says why and what
   * to do. A spec change that restarts it or a new {@code restartNonce} starts over.
   */
  record GiveUp(String reason) implements SupervisorAction {
    /** Requires a reason. */
    public GiveUp {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
