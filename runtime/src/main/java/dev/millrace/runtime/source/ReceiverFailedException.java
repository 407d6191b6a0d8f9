package dev.millrace.runtime.source;

/**
 * A receiver thread failed more often than its restart budget allows, or in a way it cannot repair
 * in place: the input fails the batch that would take from it, so the driver stops with the cause
 * and its supervisor restarts it from the checkpoint. The message names the input, the failures and
 * what to check.
 */
public final class ReceiverFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}, caused by the receiver's last failure. */
  ReceiverFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
