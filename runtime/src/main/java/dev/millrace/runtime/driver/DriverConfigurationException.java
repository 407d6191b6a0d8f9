package dev.millrace.runtime.driver;

/**
 * The spec, the application's jars or classes, or its configuration cannot run; the message says
 * what to fix. The driver exits with {@link
 * dev.millrace.runtime.launch.ExitCode#BAD_CONFIGURATION}, which a supervisor does not restart: the
 * same spec would fail the same way.
 */
public final class DriverConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A configuration problem described by {@code message}. */
  public DriverConfigurationException(String message) {
    super(message);
  }

  /** A configuration problem described by {@code message}, found through {@code cause}. */
  public DriverConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
