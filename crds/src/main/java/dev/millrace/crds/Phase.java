package dev.millrace.crds;

/** Where a {@link StreamingApp} is in its life. */
public enum Phase {
  /** Accepted; no driver launched yet. */
  Pending,
  /** A driver attempt is launched and has not completed a batch yet. */
  Starting,
  /** The driver completes batches. */
  Running,
  /** The driver stopped; the next attempt waits for its backoff. */
  Restarting,
  /** A graceful stop was requested by {@code suspend: true}. */
  Suspending,
  /** Stopped on request with its checkpoint kept; {@code suspend: false} resumes it. */
  Suspended,
  /** A graceful stop for an application change is under way. */
  Upgrading,
  /** Finished or stopped on request. */
  Succeeded,
  /** Given up: see the status message for why and what to do. */
  Failed
}
