package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * What a cluster backend (the Kubernetes operator) must remember between reconciles, kept in the
 * status so that a restarted operator, or a second one, continues where the last one was instead of
 * launching another driver. Both fields are JSON documents written and read only by the backend.
 */
public class ReconciliationStatus {
  @JsonPropertyDescription(
      "The spec the backend last acted on, as JSON: spec changes are classified against it.")
  private String lastReconciledSpec;

  @JsonPropertyDescription(
      "The Supervisor's state as JSON (attempt, driver state, restart history); internal to the backend.")
  private String supervisor;

  /** The spec the backend last acted on, as JSON: spec changes are classified against it. */
  public String getLastReconciledSpec() {
    return lastReconciledSpec;
  }

  /** Sets {@link #getLastReconciledSpec()}. */
  public void setLastReconciledSpec(String lastReconciledSpec) {
    this.lastReconciledSpec = lastReconciledSpec;
  }

  /**
   * The Supervisor's state as JSON (attempt, driver state, restart history); internal to the
   * backend.
   */
  public String getSupervisor() {
    return supervisor;
  }

  /** Sets {@link #getSupervisor()}. */
  public void setSupervisor(String supervisor) {
    this.supervisor = supervisor;
  }

  /** Equal when every field is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ReconciliationStatus other
        && Objects.equals(lastReconciledSpec, other.lastReconciledSpec)
        && Objects.equals(supervisor, other.supervisor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lastReconciledSpec, supervisor);
  }
}
