package dev.millrace.crds.supervision;

/**
 * The current driver attempt as the {@link Supervisor} knows it, from the events it was fed. Not
 * the state a driver reports of itself on its status endpoint: that is {@link
 * dev.millrace.crds.launch.DriverState}.
 */
public enum DriverAttemptState {
  /** No driver is live: none was launched, or the last attempt's exit has been seen. */
  NONE,
  /** {@code LaunchDriver} was emitted; {@code DriverStarted} has not arrived. */
  LAUNCHING,
  /** The driver reported that it started. */
  RUNNING,
  /** {@code StopDriver} was emitted; its exit has not arrived. */
  STOPPING
}
