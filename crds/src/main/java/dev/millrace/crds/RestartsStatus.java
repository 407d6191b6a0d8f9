package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import java.util.Objects;

/** Restart counters. */
public class RestartsStatus {
  @JsonPropertyDescription("Driver restarts since the application was created.")
  @PrinterColumn(name = "Restarts")
  private Integer total;

  @JsonPropertyDescription(
      "Restarts counted against restartPolicy.maxRestarts in the current window.")
  private Integer inWindow;

  @JsonPropertyDescription(
      "When the next driver attempt starts, while one is scheduled (RFC 3339).")
  private String nextAttemptTime;

  /** Driver restarts since the application was created. */
  public Integer getTotal() {
    return total;
  }

  /** Sets {@link #getTotal()}. */
  public void setTotal(Integer total) {
    this.total = total;
  }

  /** Restarts counted against {@code restartPolicy.maxRestarts} in the current window. */
  public Integer getInWindow() {
    return inWindow;
  }

  /** Sets {@link #getInWindow()}. */
  public void setInWindow(Integer inWindow) {
    this.inWindow = inWindow;
  }

  /** When the next driver attempt starts, while one is scheduled (RFC 3339). */
  public String getNextAttemptTime() {
    return nextAttemptTime;
  }

  /** Sets {@link #getNextAttemptTime()}. */
  public void setNextAttemptTime(String nextAttemptTime) {
    this.nextAttemptTime = nextAttemptTime;
  }

  /** Equal when every field is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof RestartsStatus other
        && Objects.equals(total, other.total)
        && Objects.equals(inWindow, other.inWindow)
        && Objects.equals(nextAttemptTime, other.nextAttemptTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(total, inWindow, nextAttemptTime);
  }
}
