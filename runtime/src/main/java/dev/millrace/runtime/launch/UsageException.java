package dev.millrace.runtime.launch;

/**
 * The command line is wrong; the message says how. Exits with {@link ExitCode#BAD_CONFIGURATION}.
 * An {@link IllegalArgumentException}, as a flag's value that a parser refuses always was.
 */
public final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** A usage error described by {@code message}. */
  public UsageException(String message) {
    super(message);
  }
}
