package dev.millrace.yarn;

import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;

/**
 * How a finished YARN container reads to the {@link dev.millrace.crds.supervision.Supervisor}: the
 * process exit codes of the launch contract, and YARN's own negative exit statuses, most of which
 * are not the application's fault.
 */
final class ContainerExits {
  /** 128 + the signal number, as the container's shell reports a process ended by a signal. */
  private static final int SIGKILL_EXIT = 128 + 9;

  private static final int SIGTERM_EXIT = 128 + 15;

  private ContainerExits() {}

  /**
   * Classifies the exit status of a completed container.
   *
   * @param exitStatus {@code ContainerStatus.getExitStatus()}
   * @param requested whether this AM asked for the container to end (a stop, a kill, a release): a
   *     container it ended is {@link FailureClass#REQUESTED}, not a failure
   */
  static ExitReport classify(int exitStatus, boolean requested) {
    return switch (exitStatus) {
      case 0 -> ExitReport.ofExitCode(0);
      case -100 -> nonApplication(exitStatus, "Aborted", requested);
      case -101 -> infrastructure(exitStatus, "DisksFailed");
      case -102 -> infrastructure(exitStatus, "Preempted");
      case -103 -> new ExitReport(exitStatus, "ExceededVirtualMemory", FailureClass.APPLICATION);
      case -104 -> new ExitReport(exitStatus, "ExceededPhysicalMemory", FailureClass.APPLICATION);
      case -105 -> nonApplication(exitStatus, "KilledByApplicationMaster", requested);
      case -106 -> infrastructure(exitStatus, "KilledByResourceManager");
      case -107 -> infrastructure(exitStatus, "KilledAfterApplicationCompletion");
      case -1000 -> infrastructure(exitStatus, "Invalid");
      case SIGKILL_EXIT -> signalled(exitStatus, "Killed", requested);
      case SIGTERM_EXIT -> signalled(exitStatus, "Terminated", requested);
      default ->
          exitStatus < 0
              ? infrastructure(exitStatus, "ContainerExitStatus" + exitStatus)
              : new ExitReport(exitStatus, null, FailureClass.ofExitCode(exitStatus));
    };
  }

  private static ExitReport nonApplication(int exitStatus, String reason, boolean requested) {
    return new ExitReport(
        exitStatus, reason, requested ? FailureClass.REQUESTED : FailureClass.INFRASTRUCTURE);
  }

  // A signal nobody here sent is the node's OOM killer or a user: the application's failure.
  private static ExitReport signalled(int exitStatus, String reason, boolean requested) {
    return new ExitReport(
        exitStatus, reason, requested ? FailureClass.REQUESTED : FailureClass.APPLICATION);
  }

  private static ExitReport infrastructure(int exitStatus, String reason) {
    return new ExitReport(exitStatus, reason, FailureClass.INFRASTRUCTURE);
  }
}
