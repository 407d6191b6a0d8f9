package dev.millrace.streaming;

/**
 * A streaming context stopped because a batch failed. The message names the batch time and the
 * output operation; the cause is what the user function or the engine threw.
 */
public class StreamingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with {@code message} caused by {@code cause}. */
  public StreamingException(String message, Throwable cause) {
    super(message, cause);
  }
}
