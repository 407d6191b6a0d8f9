package dev.millrace.streaming;

/**
 * A setting, an argument or an application's configuration that cannot run: it would fail the same
 * way on every start, so a supervisor must not restart it. A driver that meets it exits with code
 * 78 (bad configuration), which no supervisor restarts, and the message (which names the offending
 * value and what to do) goes to its log.
 *
 * <p>Millrace throws it when it refuses a setting or an argument of this API, for instance a window
 * length that is not a multiple of the batch interval, or a misspelt {@code millrace.*} key. An
 * application may throw it from {@link StreamingApplication#define} for arguments it refuses, so
 * that they too are reported as a bad configuration. Any other exception thrown by {@code define}
 * (say, an {@link IllegalStateException} because a service it needs is unreachable) is the
 * application's failure: the driver logs it with its stack trace and exits with code 1, and the
 * supervisor restarts it per {@code restartPolicy}.
 *
 * <p>It is an {@link IllegalArgumentException}, so code that catches those catches it too.
 */
public class ConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** A configuration that cannot run, described by {@code message}. */
  public ConfigurationException(String message) {
    super(message);
  }

  /** A configuration that cannot run, described by {@code message}, found through {@code cause}. */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
