package dev.millrace.runtime.checkpoint;

/**
 * Another driver holds the checkpoint directory's lease: it refused this driver at start, or took
 * the lease over while this driver ran (this driver is fenced and must write nothing more). The
 * message names the directory, the other driver and how to take over safely; a launcher exits with
 * code 75, which supervisors never restart.
 */
public final class CheckpointInUseException extends CheckpointException {
  private static final long serialVersionUID = 1L;

  CheckpointInUseException(String message) {
    super(message);
  }
}
