package dev.millrace.runtime.cli;

import dev.millrace.crds.supervision.FailureClass;

/**
 * What a Millrace process's exit code means to whoever supervises it: part of the launch contract
 * shared by every backend. The codes a supervisor must not restart are defined once, in {@link
 * FailureClass}, which every backend classifies exits with.
 */
public enum ExitCode {
  /** Finished, or stopped gracefully (including on SIGTERM). Restart only under policy Always. */
  OK(0),
  /** The application failed (a batch threw, the process crashed): restart per policy. */
  APPLICATION_FAILURE(1),
  /**
   * The checkpoint was written by an incompatible graph: restarting cannot help. Start with {@code
   * upgradeMode: stateless} or restore the previous build.
   */
  CHECKPOINT_INCOMPATIBLE(FailureClass.INCOMPATIBLE_CHECKPOINT_EXIT_CODE),
  /** The command line, spec or configuration is invalid: fix it; restarting cannot help. */
  BAD_CONFIGURATION(FailureClass.CONFIGURATION_EXIT_CODE);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The numeric process exit code. */
  public int code() {
    return code;
  }
}
