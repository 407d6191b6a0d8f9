package dev.millrace.runtime.checkpoint;

/**
 * The checkpoint directory (or its lease file) disappeared under the running driver: deleted, moved
 * or replaced. The driver stops without writing, since a checkpoint rewritten from memory would no
 * longer match what was output; the message says what was lost and what to do. A launcher exits
 * with code 74, which supervisors never restart.
 */
public final class CheckpointVanishedException extends CheckpointException {
  private static final long serialVersionUID = 1L;

  CheckpointVanishedException(String message) {
    super(message);
  }

  CheckpointVanishedException(String message, Throwable cause) {
    super(message, cause);
  }
}
