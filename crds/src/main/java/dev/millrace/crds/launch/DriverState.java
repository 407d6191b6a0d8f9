package dev.millrace.crds.launch;

/** Where a driver process is in its life, as its status endpoint reports it. */
public enum DriverState {
  /** Loading the application, recovering from the checkpoint; no batch has run yet. */
  STARTING,
  /** Generating and processing batches. */
  RUNNING,
  /** A graceful stop was requested: finishing queued batches and writing the final checkpoint. */
  STOPPING,
  /** Stopped gracefully or finished; the process is about to exit with code 0. */
  STOPPED,
  /** The application failed or could not start; the process is about to exit with an error. */
  FAILED;

  /** Whether a supervisor should consider the driver healthy: starting or running. */
  public boolean isHealthy() {
    return this == STARTING || this == RUNNING;
  }
}
