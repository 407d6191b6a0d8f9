package dev.millrace.runtime.launch;

import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.runtime.checkpoint.CheckpointDamagedException;
import dev.millrace.runtime.checkpoint.CheckpointInUseException;
import dev.millrace.runtime.checkpoint.CheckpointVanishedException;
import dev.millrace.runtime.recovery.CheckpointIncompatibleException;
import dev.millrace.runtime.source.InputMissingException;
import java.util.Optional;

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
  /**
   * A recovery needs input that is gone (a file a logged batch took was deleted): restore it, or
   * let the source remove input only once a checkpoint covers it.
   */
  INPUT_MISSING(FailureClass.MISSING_INPUT_EXIT_CODE),
  /**
   * A checkpoint file the recovery needs is damaged and nothing older stands in for it, or the
   * checkpoint directory vanished under the running driver: the log names the file and the way out.
   */
  CHECKPOINT_DAMAGED(FailureClass.DAMAGED_CHECKPOINT_EXIT_CODE),
  /**
   * Another driver holds the checkpoint directory, or took it over from this one: run one driver
   * per checkpoint directory.
   */
  CHECKPOINT_IN_USE(FailureClass.CHECKPOINT_IN_USE_EXIT_CODE),
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

  /**
   * The code for a failure that no restart can cure, if {@code failure} or one of its causes is
   * one: a checkpoint this build cannot resume ({@link #CHECKPOINT_INCOMPATIBLE}), one that is
   * damaged or vanished under the driver ({@link #CHECKPOINT_DAMAGED}), input a batch needs that is
   * gone ({@link #INPUT_MISSING}), or a checkpoint another driver holds ({@link
   * #CHECKPOINT_IN_USE}); empty for any other failure, which a restart may cure.
   */
  public static Optional<ExitCode> restartCannotHelp(Throwable failure) {
    return incurableCause(failure).map(ExitCode::ofIncurable);
  }

  /**
   * The first of {@code failure} and its causes that no restart can cure (see {@link
   * #restartCannotHelp}), whose message says what happened and what to do; empty if there is none.
   */
  public static Optional<Throwable> incurableCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (ofIncurable(t) != null) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private static ExitCode ofIncurable(Throwable t) {
    if (t instanceof CheckpointIncompatibleException) {
      return CHECKPOINT_INCOMPATIBLE;
    }
    if (t instanceof CheckpointDamagedException || t instanceof CheckpointVanishedException) {
      return CHECKPOINT_DAMAGED;
    }
    if (t instanceof InputMissingException) {
      return INPUT_MISSING;
    }
    if (t instanceof CheckpointInUseException) {
      return CHECKPOINT_IN_USE;
    }
    return null;
  }
}
