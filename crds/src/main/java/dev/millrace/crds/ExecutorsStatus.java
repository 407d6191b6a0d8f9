package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

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
}
