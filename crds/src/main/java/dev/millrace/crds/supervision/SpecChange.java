package dev.millrace.crds.supervision;

/** What a change of the {@code StreamingApp} spec asks of a running application. */
public enum SpecChange {
  /** Only how it is supervised changed (restart policy, health check): nothing is restarted. */
  POLICY_ONLY,
  /** Only {@code executor.instances} changed: executors are added or removed, the driver stays. */
  SCALE_EXECUTORS,
  /** The application changed: graceful stop, then a new attempt resumes from the checkpoint. */
  RESTART,
  /**
   * The application changed with {@code upgradeMode: stateless}: graceful stop, then a new attempt
   * starts with a fresh checkpoint.
   */
  RESTART_FRESH
}
