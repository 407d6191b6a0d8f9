package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** How a driver attempt ended. */
public class DriverExit {
  @JsonPropertyDescription("Process exit code, if it exited.")
  private Integer code;

  @JsonPropertyDescription("Why, e.g. Error, OOMKilled, Evicted, HealthCheck.")
  private String reason;

  @JsonPropertyDescription(
      "How the Supervisor classified it: Application, Infrastructure, Configuration, IncompatibleCheckpoint, DamagedCheckpoint, MissingInput, CheckpointInUse, Requested or Finished.")
  private String failureClass;

  @JsonPropertyDescription("When (RFC 3339).")
  private String time;

  /** Process exit code, if it exited. */
  public Integer getCode() {
    return code;
  }

  /** Sets {@link #getCode()}. */
  public void setCode(Integer code) {
    this.code = code;
  }

  /** Why, e.g. {@code Error}, {@code OOMKilled}, {@code Evicted}, {@code HealthCheck}. */
  public String getReason() {
    return reason;
  }

  /** Sets {@link #getReason()}. */
  public void setReason(String reason) {
    this.reason = reason;
  }

  /**
   * How the Supervisor classified it: {@code Application}, {@code Infrastructure}, {@code
   * Configuration}, {@code IncompatibleCheckpoint}, {@code DamagedCheckpoint}, {@code
   * MissingInput}, {@code CheckpointInUse}, {@code Requested} or {@code Finished}.
   */
  public String getFailureClass() {
    return failureClass;
  }

  /** Sets {@link #getFailureClass()}. */
  public void setFailureClass(String failureClass) {
    this.failureClass = failureClass;
  }

  /** When (RFC 3339). */
  public String getTime() {
    return time;
  }

  /** Sets {@link #getTime()}. */
  public void setTime(String time) {
    this.time = time;
  }

  /** Equal when every field is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof DriverExit other
        && Objects.equals(code, other.code)
        && Objects.equals(reason, other.reason)
        && Objects.equals(failureClass, other.failureClass)
        && Objects.equals(time, other.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, reason, failureClass, time);
  }
}
