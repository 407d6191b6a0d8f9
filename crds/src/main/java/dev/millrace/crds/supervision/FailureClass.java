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
  /**
   * A checkpoint file the recovery needs is damaged (its CRC or framing does not verify) and
   * nothing older can stand in for it, or the checkpoint directory vanished under a running driver:
   * never restarted, since every restart would meet the same file; the driver log names the file
   * and what to do with it.
   */
  DAMAGED_CHECKPOINT,
  /**
   * The recovery needs input that is gone (a file a logged batch took was deleted): never
   * restarted; the driver log names the file and the rule it broke.
   */
  MISSING_INPUT,
  /**
   * Another driver holds the checkpoint directory's lease, or took it over from this one: never
   * restarted, so two drivers never take turns on one checkpoint; the driver log names the holder
   * and how to take over safely.
   */
  CHECKPOINT_IN_USE,
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

  /** The exit code of a driver whose checkpoint is damaged beyond fallback ({@code EX_IOERR}). */
  public static final int DAMAGED_CHECKPOINT_EXIT_CODE = 74;

  /** The exit code of a driver whose recovery needs input that is gone ({@code EX_NOINPUT}). */
  public static final int MISSING_INPUT_EXIT_CODE = 66;

  /**
   * The exit code of a driver refused or fenced by another driver's checkpoint lease ({@code
   * EX_TEMPFAIL}: it may run once the other has stopped).
   */
  public static final int CHECKPOINT_IN_USE_EXIT_CODE = 75;

  /**
   * Classifies a process exit code, for process backends: 0 {@link #FINISHED}, {@value
   * #INCOMPATIBLE_CHECKPOINT_EXIT_CODE} {@link #INCOMPATIBLE_CHECKPOINT}, {@value
   * #MISSING_INPUT_EXIT_CODE} {@link #MISSING_INPUT}, {@value #DAMAGED_CHECKPOINT_EXIT_CODE} {@link
   * #DAMAGED_CHECKPOINT}, {@value #CHECKPOINT_IN_USE_EXIT_CODE} {@link #CHECKPOINT_IN_USE}, {@value
   * #CONFIGURATION_EXIT_CODE} {@link #CONFIGURATION}, anything else {@link #APPLICATION} (a signal,
   * an uncaught exception, an out-of-memory kill).
   */
  public static FailureClass ofExitCode(int code) {
    return switch (code) {
      case 0 -> FINISHED;
      case INCOMPATIBLE_CHECKPOINT_EXIT_CODE -> INCOMPATIBLE_CHECKPOINT;
      case MISSING_INPUT_EXIT_CODE -> MISSING_INPUT;
      case DAMAGED_CHECKPOINT_EXIT_CODE -> DAMAGED_CHECKPOINT;
      case CHECKPOINT_IN_USE_EXIT_CODE -> CHECKPOINT_IN_USE;
      case CONFIGURATION_EXIT_CODE -> CONFIGURATION;
      default -> APPLICATION;
    };
  }

  /**
   * Whether a restart can only meet the same failure, so the Supervisor never restarts after it: a
   * bad configuration, and a checkpoint that this build cannot resume, that is damaged, whose input
   * is gone or that another driver holds.
   */
  public boolean restartCannotHelp() {
    return switch (this) {
      case CONFIGURATION,
              INCOMPATIBLE_CHECKPOINT,
              DAMAGED_CHECKPOINT,
              MISSING_INPUT,
              CHECKPOINT_IN_USE ->
          true;
      case APPLICATION, INFRASTRUCTURE, FINISHED, REQUESTED -> false;
    };
  }

  /**
   * How the status writes it ({@code DriverExit.failureClass}): {@code Application}, {@code
   * Infrastructure}, {@code Configuration}, {@code IncompatibleCheckpoint}, {@code
   * DamagedCheckpoint}, {@code MissingInput}, {@code CheckpointInUse}, {@code Finished} or {@code
   * Requested}.
   */
  public String statusValue() {
    StringBuilder camel = new StringBuilder();
    for (String word : name().split("_")) {
      camel.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return camel.toString();
  }
}
