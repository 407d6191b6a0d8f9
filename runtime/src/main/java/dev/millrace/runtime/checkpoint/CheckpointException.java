package dev.millrace.runtime.checkpoint;

/**
 * A checkpoint directory could not be read or written. The message names the path, what went wrong
 * and what to do about it.
 */
public class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with an actionable message. */
  public CheckpointException(String message) {
    super(message);
  }

  /** Creates an exception with an actionable message and the underlying I/O failure. */
  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
