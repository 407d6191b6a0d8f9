package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * When a driver that is alive but makes no progress is restarted, and when a running one is shown
 * as not Ready (an input out too long) or Degraded (falling behind).
 */
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

  @JsonPropertyDescription(
      "An input that has been unable to deliver (disconnected, failing) for longer than this makes the application not Ready, with the input and its last error as the reason; the driver keeps running.")
  @Default("1m")
  @Pattern(SpecDurations.PATTERN)
  private String maxInputOutage = "1m";

  @JsonPropertyDescription(
      "After this many completed batches in a row whose scheduling delay grew, the newest waiting longer than batchInterval, the application is Degraded with reason FallingBehind and the figures; it clears once a batch waits less than batchInterval.")
  @Min(2)
  @Default("10")
  private Integer fallingBehindBatches = 10;

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

  /**
   * An input that has been unable to deliver (disconnected, failing) for longer than this makes the
   * application not Ready, with the input and its last error as the reason; the driver keeps
   * running.
   */
  public String getMaxInputOutage() {
    return maxInputOutage;
  }

  /** Sets {@link #getMaxInputOutage()}. */
  public void setMaxInputOutage(String maxInputOutage) {
    this.maxInputOutage = maxInputOutage;
  }

  /**
   * After this many completed batches in a row whose scheduling delay grew, the newest waiting
   * longer than the batch interval, the application is Degraded with reason {@code FallingBehind}
   * and the figures; it clears once a batch waits less than the batch interval.
   */
  public Integer getFallingBehindBatches() {
    return fallingBehindBatches;
  }

  /** Sets {@link #getFallingBehindBatches()}. */
  public void setFallingBehindBatches(Integer fallingBehindBatches) {
    this.fallingBehindBatches = fallingBehindBatches;
  }
}
