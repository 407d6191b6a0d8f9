package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** When and how fast a stopped driver is restarted. */
public class RestartPolicySpec {
  @JsonPropertyDescription("Which exits restart the driver.")
  @Default("Always")
  private RestartPolicyType type = RestartPolicyType.Always;

  @JsonPropertyDescription(
      "Restarts allowed within the window before the application is marked Failed.")
  @Min(0)
  @Default("5")
  private Integer maxRestarts = 5;

  @JsonPropertyDescription("The sliding window over which restarts are counted.")
  @Default("10m")
  @Pattern(SpecDurations.PATTERN)
  private String window = "10m";

  @JsonPropertyDescription("Delay before each restart.")
  private BackoffSpec backoff = new BackoffSpec();

  @JsonPropertyDescription(
      "After this long running with progress, the restart count and the backoff start over.")
  @Default("10m")
  @Pattern(SpecDurations.PATTERN)
  private String resetAfter = "10m";

  /** Which exits restart the driver. */
  public RestartPolicyType getType() {
    return type;
  }

  /** Sets {@link #getType()}. */
  public void setType(RestartPolicyType type) {
    this.type = type;
  }

  /**
   * Restarts allowed within {@link #getWindow() the window} before the application is marked
   * Failed.
   */
  public Integer getMaxRestarts() {
    return maxRestarts;
  }

  /** Sets {@link #getMaxRestarts()}. */
  public void setMaxRestarts(Integer maxRestarts) {
    this.maxRestarts = maxRestarts;
  }

  /** The sliding window over which restarts are counted. */
  public String getWindow() {
    return window;
  }

  /** Sets {@link #getWindow()}. */
  public void setWindow(String window) {
    this.window = window;
  }

  /** Delay before each restart. */
  public BackoffSpec getBackoff() {
    return backoff;
  }

  /** Sets {@link #getBackoff()}. */
  public void setBackoff(BackoffSpec backoff) {
    this.backoff = backoff;
  }

  /** After this long running with progress, the restart count and the backoff start over. */
  public String getResetAfter() {
    return resetAfter;
  }

  /** Sets {@link #getResetAfter()}. */
  public void setResetAfter(String resetAfter) {
    this.resetAfter = resetAfter;
  }
}
