package dev.millrace.runtime.launch;

/**
 * The command line is wrong; the message says how. Exits with {@link ExitCode#BAD_CONFIGURATION}.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A usage error described by {@code message}. */
  public UsageException(String message) {
    super(message);
  }
}
