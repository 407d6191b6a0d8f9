package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

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

  /** Equal when every field is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof CheckpointStatus other && Objects.equals(batchTime, other.batchTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(batchTime);
  }
}
