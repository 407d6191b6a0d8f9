package dev.millrace.crds.supervision;

import java.util.Objects;

/**
 * How a driver or executor process ended.
 *
 * @param code the process exit code, or {@code null} if there is none (an evicted pod, a lost node)
 * @param reason a short cause as the cluster names it, e.g. {@code Error}, {@code OOMKilled},
 *     {@code Killed}, {@code Evicted}; when {@code null}, {@code Completed} for code 0, {@code
 *     Error} for another code and {@code Unknown} without one
 * @param failureClass what the exit means for restarting
 */
public record ExitReport(Integer code, String reason, FailureClass failureClass) {
  /** Fills in a missing reason; requires a failure class. */
  public ExitReport {
    Objects.requireNonNull(failureClass, "failureClass");
    if (reason == null || reason.isBlank()) {
      reason = code == null ? "Unknown" : code == 0 ? "Completed" : "Error";
    }
  }

  /**
   * The exit of a local process with {@code code}, classified by {@link FailureClass#ofExitCode}.
   */
  public static ExitReport ofExitCode(int code) {
    return new ExitReport(code, null, FailureClass.ofExitCode(code));
  }

  /** An exit that is not the application's fault, e.g. {@code infrastructure("Evicted")}. */
  public static ExitReport infrastructure(String reason) {
    return new ExitReport(null, reason, FailureClass.INFRASTRUCTURE);
  }

  /** For messages: {@code code 1 (Error)} or {@code no exit code (Evicted)}. */
  public String describe() {
    return (code == null ? "no exit code" : "code " + code) + " (" + reason + ")";
  }
}
