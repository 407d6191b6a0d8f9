package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Executor counts. */
public class ExecutorsStatus {
  @JsonPropertyDescription("Executors the spec asks for.")
  private Integer desired;

  @JsonPropertyDescription("Executors registered with the driver.")
  private Integer ready;

  /** Executors the spec asks for. */
  public Integer getDesired() {
    return desired;
  }

  /** Sets {@link #getDesired()}. */
  public void setDesired(Integer desired) {
    this.desired = desired;
  }

  /** Executors registered with the driver. */
  public Integer getReady() {
    return ready;
  }

  /** Sets {@link #getReady()}. */
  public void setReady(Integer ready) {
    this.ready = ready;
  }

  /** Equal when every field is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ExecutorsStatus other
        && Objects.equals(desired, other.desired)
        && Objects.equals(ready, other.ready);
  }

  @Override
  public int hashCode() {
    return Objects.hash(desired, ready);
  }
}
