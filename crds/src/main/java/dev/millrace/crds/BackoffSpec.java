package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Exponential delay before a restart: {@code initial × multiplier^(n-1)}, at most {@code max}. */
public class BackoffSpec {
  @JsonPropertyDescription("Delay before the first restart.")
  @Default("1s")
  @Pattern(SpecDurations.PATTERN)
  private String initial = "1s";

  @JsonPropertyDescription("The longest delay, at least initial.")
  @Default("5m")
  @Pattern(SpecDurations.PATTERN)
  private String max = "5m";

  @JsonPropertyDescription("Growth factor per consecutive failure, at least 1.0.")
  @Min(1)
  @Default("2.0")
  private Double multiplier = 2.0;

  /** Delay before the first restart. */
  public String getInitial() {
    return initial;
  }

  /** Sets {@link #getInitial()}. */
  public void setInitial(String initial) {
    this.initial = initial;
  }

  /** The longest delay, at least {@link #getInitial() initial}. */
  public String getMax() {
    return max;
  }

  /** Sets {@link #getMax()}. */
  public void setMax(String max) {
    this.max = max;
  }

  /** Growth factor per consecutive failure, at least 1.0. */
  public Double getMultiplier() {
    return multiplier;
  }

  /** Sets {@link #getMultiplier()}. */
  public void setMultiplier(Double multiplier) {
    this.multiplier = multiplier;
  }
}
