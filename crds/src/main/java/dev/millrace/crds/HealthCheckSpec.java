package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** When a driver that is alive but makes no progress is restarted. */
public class HealthCheckSpec {
  @JsonPropertyDescription(
      "A running driver that completes no batch for this long is restarted; at least twice batchInterval.")
  @Default("5m")
  @Pattern(SpecDurations.PATTERN)
  private String maxBatchDelay = "5m";

  @JsonPropertyDescription(
      "A driver that completes no batch this long after starting is restarted.")
  @Default("5m")
  @Pattern(SpecDurations.PATTERN)
  private String startTimeout = "5m";

  /**
   * A running driver that completes no batch for this long is restarted; at least twice the batch
   * interval.
   */
  public String getMaxBatchDelay() {
    return maxBatchDelay;
  }

  /** Sets {@link #getMaxBatchDelay()}. */
  public void setMaxBatchDelay(String maxBatchDelay) {
    this.maxBatchDelay = maxBatchDelay;
  }

  /** A driver that completes no batch this long after starting is restarted. */
  public String getStartTimeout() {
    return startTimeout;
  }

  /** Sets {@link #getStartTimeout()}. */
  public void setStartTimeout(String startTimeout) {
    this.startTimeout = startTimeout;
  }
}
