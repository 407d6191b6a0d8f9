package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What is known about a {@link StreamingApp}, written by its backend. */
public class StreamingAppStatus {
  @JsonPropertyDescription("Where the application is in its life.")
  @PrinterColumn(name = "Phase")
  private Phase phase;

  @JsonPropertyDescription("Ready, Progressing and Degraded, each with a reason and a message.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The metadata.generation this status reflects.")
  private Long observedGeneration;

  @JsonPropertyDescription("The current driver attempt.")
  private DriverStatus driver = new DriverStatus();

  @JsonPropertyDescription("Executor counts.")
  private ExecutorsStatus executors = new ExecutorsStatus();

  @JsonPropertyDescription("Restart counters.")
  private RestartsStatus restarts = new RestartsStatus();

  @JsonPropertyDescription("The newest checkpoint written.")
  private CheckpointStatus lastCheckpoint = new CheckpointStatus();

  @JsonPropertyDescription("Batch progress reported by the driver.")
  private BatchesStatus batches = new BatchesStatus();

  @JsonPropertyDescription(
      "The input streams as the driver reports them: connection, outage, last error, counts.")
  private List<InputStatus> inputs = new ArrayList<>();

  @JsonPropertyDescription("A sentence for humans: what is happening, or what to do.")
  private String message;

  @JsonPropertyDescription(
      "What a cluster backend remembers between reconciles (last reconciled spec, Supervisor state); absent elsewhere.")
  private ReconciliationStatus reconciliation;

  /** Where the application is in its life. */
  public Phase getPhase() {
    return phase;
  }

  /** Sets {@link #getPhase()}. */
  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  /** Ready, Progressing and Degraded, each with a reason and a message. */
  public List<Condition> getConditions() {
    return conditions;
  }

  /** Sets {@link #getConditions()}. */
  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  /** The {@code metadata.generation} this status reflects. */
  public Long getObservedGeneration() {
    return observedGeneration;
  }

  /** Sets {@link #getObservedGeneration()}. */
  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  /** The current driver attempt. */
  public DriverStatus getDriver() {
    return driver;
  }

  /** Sets {@link #getDriver()}. */
  public void setDriver(DriverStatus driver) {
    this.driver = driver;
  }

  /** Executor counts. */
  public ExecutorsStatus getExecutors() {
    return executors;
  }

  /** Sets {@link #getExecutors()}. */
  public void setExecutors(ExecutorsStatus executors) {
    this.executors = executors;
  }

  /** Restart counters. */
  public RestartsStatus getRestarts() {
    return restarts;
  }

  /** Sets {@link #getRestarts()}. */
  public void setRestarts(RestartsStatus restarts) {
    this.restarts = restarts;
  }

  /** The newest checkpoint written. */
  public CheckpointStatus getLastCheckpoint() {
    return lastCheckpoint;
  }

  /** Sets {@link #getLastCheckpoint()}. */
  public void setLastCheckpoint(CheckpointStatus lastCheckpoint) {
    this.lastCheckpoint = lastCheckpoint;
  }

  /** Batch progress reported by the driver. */
  public BatchesStatus getBatches() {
    return batches;
  }

  /** Sets {@link #getBatches()}. */
  public void setBatches(BatchesStatus batches) {
    this.batches = batches;
  }

  /** The input streams as the driver reports them: connection, outage, last error, counts. */
  public List<InputStatus> getInputs() {
    return inputs;
  }

  /** Sets {@link #getInputs()}. */
  public void setInputs(List<InputStatus> inputs) {
    this.inputs = inputs;
  }

  /** A sentence for humans: what is happening, or what to do. */
  public String getMessage() {
    return message;
  }

  /** Sets {@link #getMessage()}. */
  public void setMessage(String message) {
    this.message = message;
  }

  /**
   * What a cluster backend remembers between reconciles (last reconciled spec, Supervisor state);
   * {@code null} where the backend keeps it elsewhere (a local run).
   */
  public ReconciliationStatus getReconciliation() {
    return reconciliation;
  }

  /** Sets {@link #getReconciliation()}. */
  public void setReconciliation(ReconciliationStatus reconciliation) {
    this.reconciliation = reconciliation;
  }

  /**
   * Equal when every field is, conditions included: a backend need not write a status equal to the
   * one it wrote last.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof StreamingAppStatus other
        && Objects.equals(phase, other.phase)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(driver, other.driver)
        && Objects.equals(executors, other.executors)
        && Objects.equals(restarts, other.restarts)
        && Objects.equals(lastCheckpoint, other.lastCheckpoint)
        && Objects.equals(batches, other.batches)
        && Objects.equals(inputs, other.inputs)
        && Objects.equals(message, other.message)
        && Objects.equals(reconciliation, other.reconciliation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase,
        conditions,
        observedGeneration,
        driver,
        executors,
        restarts,
        lastCheckpoint,
        batches,
        inputs,
        message,
        reconciliation);
  }
}
