package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The newest checkpoint. */
public class CheckpointStatus {
  @JsonPropertyDescription("Batch time (RFC 3339) of the newest checkpoint generation.")
  private String batchTime;

  /** Batch time (RFC 3339) of the newest checkpoint generation. */
  public String getBatchTime() {
    return batchTime;
  }

  /** Sets {@link #getBatchTime()}. */
  public void setBatchTime(String batchTime) {
    this.batchTime = batchTime;
  }
}
