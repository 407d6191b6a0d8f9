package dev.millrace.runtime.recovery;

import dev.millrace.runtime.checkpoint.CheckpointException;

/**
 * A checkpoint directory that this build of the application must not resume from: written by a
 * graph whose inputs or stateful operators differ, with another batch interval, or holding no
 * readable generation. Starting would lose or misplace state, so the application stops instead; the
 * launcher exits with the documented code for it (65) and supervisors do not restart it.
 */
public final class CheckpointIncompatibleException extends CheckpointException {
  /** An incompatibility described by {@code message}, which says what to do. */
  public CheckpointIncompatibleException(String message) {
    super(message);
  }
}
