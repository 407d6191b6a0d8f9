package dev.millrace.crds.supervision;

import java.util.Locale;

/**
 * Why a driver or executor process ended, as far as restarting is concerned. Backends classify each
 * exit (a process exit code through {@link #ofExitCode(int)}, a container status such as {@code
 * Evicted} or a YARN exit status -100 as {@link #INFRASTRUCTURE}); the {@link Supervisor} decides
 * what each class means under the restart policy.
 */
public enum FailureClass {
  /** The application crashed: restarted per policy, counts toward {@code maxRestarts}. */
  APPLICATION,
  /**
   * Not the application's fault (eviction, preemption, node loss, a container the cluster killed):
   * restarted with backoff, never counted.
   */
  INFRASTRUCTURE,
  /** Bad configuration: restarting cannot help, so it is never restarted. */
  CONFIGURATION,
  /**
   * The checkpoint was written by an incompatible build of the application: never restarted; the
   * user starts fresh ({@code upgradeMode: stateless}) or restores the previous build.
   */
  INCOMPATIBLE_CHECKPOINT,
  /** Exit 0: the driver finished or stopped gracefully. */
  FINISHED,
  /** The process was stopped on request (by the Supervisor or an operator of the cluster). */
  REQUESTED;

  /**
   * The exit code of a driver whose checkpoint is incompatible with its code ({@code EX_DATAERR}).
   */
  public static final int INCOMPATIBLE_CHECKPOINT_EXIT_CODE = 65;

  /**
   * The exit code of a driver or executor with a bad command line or configuration ({@code
   * EX_CONFIG}).
   */
  public static final int CONFIGURATION_EXIT_CODE = 78;

  /**
   * Classifies a process exit code, for process backends: 0 {@link #FINISHED}, {@value
   * #INCOMPATIBLE_CHECKPOINT_EXIT_CODE} {@link #INCOMPATIBLE_CHECKPOINT}, {@value
   * #CONFIGURATION_EXIT_CODE} {@link #CONFIGURATION}, anything else {@link #APPLICATION} (a signal,
   * an uncaught exception, an out-of-memory kill).
   */
  public static FailureClass ofExitCode(int code) {
    return switch (code) {
      case 0 -> FINISHED;
      case INCOMPATIBLE_CHECKPOINT_EXIT_CODE -> INCOMPATIBLE_CHECKPOINT;
      case CONFIGURATION_EXIT_CODE -> CONFIGURATION;
      default -> APPLICATION;
    };
  }

  /**
   * How the status writes it ({@code DriverExit.failureClass}): {@code Application}, {@code
   * Infrastructure}, {@code Configuration}, {@code IncompatibleCheckpoint}, {@code Finished} or
   * {@code Requested}.
   */
  public String statusValue() {
    StringBuilder camel = new StringBuilder();
    for (String word : name().split("_")) {
      camel.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return camel.toString();
  }
}
