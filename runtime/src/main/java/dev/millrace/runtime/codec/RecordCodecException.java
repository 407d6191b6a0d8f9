package dev.millrace.runtime.codec;

/**
 * Records could not be encoded or decoded. The message names the offending type or what is wrong
 * with the bytes, and what to do about it.
 */
public class RecordCodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with an actionable message. */
  public RecordCodecException(String message) {
    super(message);
  }

  /** Creates an exception with an actionable message and the underlying failure. */
  public RecordCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
