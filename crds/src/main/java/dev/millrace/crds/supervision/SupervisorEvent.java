package dev.millrace.crds.supervision;

import java.time.Instant;
import java.util.Objects;

/**
 * What a backend tells the {@link Supervisor}: something it observed in the world, something the
 * user asked for, or that time has passed. Each event carries the time it happened on the backend's
 * clock; the Supervisor reads no clock of its own.
 */
public sealed interface SupervisorEvent {
  /** When it happened. */
  Instant at();

  /** The driver process of {@code attempt} is up (its pod or container runs). */
  record DriverStarted(Instant at, int attempt) implements SupervisorEvent {
    /** Requires a time. */
    public DriverStarted {
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * The driver process of {@code attempt} is gone. Backends report every exit, including the ones
   * the Supervisor asked for and launches that failed outright; the Supervisor waits for it before
   * it launches another attempt.
   */
  record DriverExited(Instant at, int attempt, ExitReport exit) implements SupervisorEvent {
    /** Requires a time and an exit. */
    public DriverExited {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(exit, "exit");
    }
  }

  /** Executor {@code executorId} (as named in {@code LaunchExecutor}) is up. */
  record ExecutorStarted(Instant at, String executorId) implements SupervisorEvent {
    /** Requires a time and an id. */
    public ExecutorStarted {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(executorId, "executorId");
    }
  }

  /**
   * Executor {@code executorId} is gone, including after a {@code StopExecutor}; the Supervisor
   * launches that id again only after it has seen this.
   */
  record ExecutorExited(Instant at, String executorId, ExitReport exit) implements SupervisorEvent {
    /** Requires a time, an id and an exit. */
    public ExecutorExited {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(executorId, "executorId");
      Objects.requireNonNull(exit, "exit");
    }
  }

  /**
   * The live driver's last completed batch time advanced to {@code batchTime}. Backends send it
   * when they see it advance (from the driver's status endpoint); a repeat of the same batch time
   * is not progress.
   */
  record BatchCompleted(Instant at, Instant batchTime) implements SupervisorEvent {
    /** Requires both times. */
    public BatchCompleted {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(batchTime, "batchTime");
    }
  }

  /**
   * The spec changed; {@code change} says what that asks for (the backend classifies the diff) and
   * {@code policy} is the new spec's policy, obeyed from now on.
   */
  record SpecChanged(Instant at, SpecChange change, SupervisorPolicy policy)
      implements SupervisorEvent {
    /** Requires all three. */
    public SpecChanged {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(change, "change");
      Objects.requireNonNull(policy, "policy");
    }
  }

  /** {@code suspend: true}: stop gracefully, keep the checkpoint. */
  record SuspendRequested(Instant at) implements SupervisorEvent {
    /** Requires a time. */
    public SuspendRequested {
      Objects.requireNonNull(at, "at");
    }
  }

  /** {@code suspend: false} after a suspend: start again from the checkpoint. */
  record ResumeRequested(Instant at) implements SupervisorEvent {
    /** Requires a time. */
    public ResumeRequested {
      Objects.requireNonNull(at, "at");
    }
  }

  /** Stop for good (the resource is deleted, {@code millrace run} is interrupted). */
  record StopRequested(Instant at) implements SupervisorEvent {
    /** Requires a time. */
    public StopRequested {
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A new {@code restartNonce}: restart the driver gracefully from its checkpoint. A nonce equal to
   * the last one acted on is ignored, so a backend may resend it; {@code null} always acts.
   */
  record RestartRequested(Instant at, String nonce) implements SupervisorEvent {
    /** Requires a time. */
    public RestartRequested {
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * Time has passed. Backends send one at (or soon after) {@link Supervisor#nextDeadline()}, and
   * one to start a new Supervisor.
   */
  record Tick(Instant at) implements SupervisorEvent {
    /** Requires a time. */
    public Tick {
      Objects.requireNonNull(at, "at");
    }
  }
}
