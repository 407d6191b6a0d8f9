package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Where and how often a {@link StreamingApp}'s state is checkpointed. */
public class CheckpointSpec {
  @JsonPropertyDescription(
      "Where checkpoints go; every driver attempt resumes from there. An absolute Hadoop FileSystem URI: hdfs://, s3a://, or file:/// on a filesystem all nodes share. millrace run also takes a path relative to the spec file.")
  @Required
  private String dir;

  @JsonPropertyDescription(
      "How often state is checkpointed, a multiple of batchInterval; unset means ten batch intervals.")
  @Pattern(SpecDurations.PATTERN)
  private String interval;

  @JsonPropertyDescription("How many checkpoint generations are kept.")
  @Min(1)
  @Default("10")
  private Integer retain = 10;

  /**
   * Where checkpoints go; every driver attempt resumes from there. An absolute Hadoop FileSystem
   * URI: {@code hdfs://}, {@code s3a://}, or {@code file:///} on a filesystem all nodes share.
   * {@code millrace run} also takes a path relative to the spec file.
   */
  public String getDir() {
    return dir;
  }

  /** Sets {@link #getDir()}. */
  public void setDir(String dir) {
    this.dir = dir;
  }

  /**
   * How often state is checkpointed, a multiple of batchInterval; unset means ten batch intervals.
   */
  public String getInterval() {
    return interval;
  }

  /** Sets {@link #getInterval()}. */
  public void setInterval(String interval) {
    this.interval = interval;
  }

  /** How many checkpoint generations are kept. */
  public Integer getRetain() {
    return retain;
  }

  /** Sets {@link #getRetain()}. */
  public void setRetain(Integer retain) {
    this.retain = retain;
  }
}
