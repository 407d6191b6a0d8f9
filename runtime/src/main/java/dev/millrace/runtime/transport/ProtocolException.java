package dev.millrace.runtime.transport;

/**
 * A frame that this build cannot read: another protocol version, an unknown message type, or a
 * truncated body. The connection it came on is closed; the peer runs another build or is no
 * Millrace process.
 */
public final class ProtocolException extends RuntimeException {
  /** A protocol error described by {@code message}. */
  public ProtocolException(String message) {
    super(message);
  }
}
