package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import java.util.Objects;

/** The current driver attempt. */
public class DriverStatus {
  @JsonPropertyDescription("Pod, container or process name of the driver.")
  private String name;

  @JsonPropertyDescription("Driver attempt number, from 1.")
  @PrinterColumn(name = "Attempt")
  private Integer attempt;

  @JsonPropertyDescription("When the attempt started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("How the previous attempt ended.")
  private DriverExit lastExit;

  @JsonPropertyDescription(
      "Where the driver serves its status (/api/v1/status), Prometheus metrics (/metrics) and"
          + " UI, e.g. http://wordcount-driver.apps.svc:4040/ on Kubernetes (inside the cluster;"
          + " from outside: kubectl port-forward svc/wordcount-driver 4040).")
  private String url;

  /** Where the driver serves its status, metrics and UI. */
  public String getUrl() {
    return url;
  }

  /** Sets {@link #getUrl()}. */
  public void setUrl(String url) {
    this.url = url;
  }

  /** Pod, container or process name of the driver. */
  public String getName() {
    return name;
  }

  /** Sets {@link #getName()}. */
  public void setName(String name) {
    this.name = name;
  }

  /** Driver attempt number, from 1. */
  public Integer getAttempt() {
    return attempt;
  }

  /** Sets {@link #getAttempt()}. */
  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  /** When the attempt started (RFC 3339). */
  public String getStartTime() {
    return startTime;
  }

  /** Sets {@link #getStartTime()}. */
  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  /** How the previous attempt ended. */
  public DriverExit getLastExit() {
    return lastExit;
  }

  /** Sets {@link #getLastExit()}. */
  public void setLastExit(DriverExit lastExit) {
    this.lastExit = lastExit;
  }

  /** Equal when every field is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof DriverStatus other
        && Objects.equals(name, other.name)
        && Objects.equals(attempt, other.attempt)
        && Objects.equals(startTime, other.startTime)
        && Objects.equals(lastExit, other.lastExit)
        && Objects.equals(url, other.url);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, attempt, startTime, lastExit, url);
  }
}
