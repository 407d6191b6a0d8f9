package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.crd.generator.annotation.PrinterColumnFormat;
import java.util.Objects;

/** Batch progress reported by the driver. */
public class BatchesStatus {
  @JsonPropertyDescription("Batch time (RFC 3339) of the newest completed batch.")
  @PrinterColumn(name = "Last Batch", format = PrinterColumnFormat.DATE)
  private String lastCompletedTime;

  @JsonPropertyDescription("Processing time of that batch.")
  private Long processingDelayMs;

  @JsonPropertyDescription("How long that batch waited to start.")
  private Long schedulingDelayMs;

  @JsonPropertyDescription("Input records per second over recent batches.")
  private Double recordsPerSecond;

  /** Batch time (RFC 3339) of the newest completed batch. */
  public String getLastCompletedTime() {
    return lastCompletedTime;
  }

  /** Sets {@link #getLastCompletedTime()}. */
  public void setLastCompletedTime(String lastCompletedTime) {
    this.lastCompletedTime = lastCompletedTime;
  }

  /** Processing time of that batch. */
  public Long getProcessingDelayMs() {
    return processingDelayMs;
  }

  /** Sets {@link #getProcessingDelayMs()}. */
  public void setProcessingDelayMs(Long processingDelayMs) {
    this.processingDelayMs = processingDelayMs;
  }

  /** How long that batch waited to start. */
  public Long getSchedulingDelayMs() {
    return schedulingDelayMs;
  }

  /** Sets {@link #getSchedulingDelayMs()}. */
  public void setSchedulingDelayMs(Long schedulingDelayMs) {
    this.schedulingDelayMs = schedulingDelayMs;
  }

  /** Input records per second over recent batches. */
  public Double getRecordsPerSecond() {
    return recordsPerSecond;
  }

  /** Sets {@link #getRecordsPerSecond()}. */
  public void setRecordsPerSecond(Double recordsPerSecond) {
    this.recordsPerSecond = recordsPerSecond;
  }

  /** Equal when every field is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof BatchesStatus other
        && Objects.equals(lastCompletedTime, other.lastCompletedTime)
        && Objects.equals(processingDelayMs, other.processingDelayMs)
        && Objects.equals(schedulingDelayMs, other.schedulingDelayMs)
        && Objects.equals(recordsPerSecond, other.recordsPerSecond);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lastCompletedTime, processingDelayMs, schedulingDelayMs, recordsPerSecond);
  }
}
