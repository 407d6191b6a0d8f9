package dev.millrace.crds.launch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * What a driver's {@code GET /api/v1/status} answers, as JSON: part of the launch contract, read by
 * every backend's supervisor (the local launcher, the Kubernetes operator, the YARN application
 * master). Fields are only ever added; a reader ignores the fields it does not know, so an older
 * backend can supervise a newer driver.
 *
 * @param app the application's name ({@code metadata.name} of its spec)
 * @param attempt the driver attempt, counted by the backend from 1
 * @param state a {@link DriverState} name; a string, so a state added later still parses
 * @param startTimeMs when the driver process started, epoch milliseconds
 * @param lastCompletedBatchTimeMs the batch time of the newest completed batch, or null before one
 * @param processingDelayMs how long that batch took to process, or null
 * @param schedulingDelayMs how long that batch waited before processing began, or null
 * @param totalDelayMs scheduling plus processing delay of that batch, or null
 * @param batchesCompleted batches completed by this attempt
 * @param recordsLastBatch input records of the newest completed batch, 0 before one
 * @param recordsPerSecond input records per second of batch time over the recent batches
 * @param lastCheckpointTimeMs the batch time of the newest checkpoint generation, written or
 *     restored by this attempt, or null before one
 * @param executorsReady executor processes registered with the driver (0: tasks run in the driver)
 * @param executors those executors, in the order they registered; empty when none, and when read
 *     from a driver that does not list them
 * @param inputs the input streams, in the order the graph defines them; empty before the graph is
 *     defined, and when read from a driver that does not list them
 * @param fallingBehind set while the batches cannot keep up with the batch interval, else {@code
 *     null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DriverStatusReport(
    String app,
    int attempt,
    String state,
    long startTimeMs,
    Long lastCompletedBatchTimeMs,
    Long processingDelayMs,
    Long schedulingDelayMs,
    Long totalDelayMs,
    long batchesCompleted,
    long recordsLastBatch,
    double recordsPerSecond,
    Long lastCheckpointTimeMs,
    int executorsReady,
    List<ExecutorReport> executors,
    List<InputReport> inputs,
    FallingBehindReport fallingBehind) {

  /** Copies the lists; a report without one (an older driver) lists none. */
  public DriverStatusReport {
    executors = executors == null ? List.of() : List.copyOf(executors);
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }

  /** A report without inputs, not falling behind. */
  public DriverStatusReport(
      String app,
      int attempt,
      String state,
      long startTimeMs,
      Long lastCompletedBatchTimeMs,
      Long processingDelayMs,
      Long schedulingDelayMs,
      Long totalDelayMs,
      long batchesCompleted,
      long recordsLastBatch,
      double recordsPerSecond,
      Long lastCheckpointTimeMs,
      int executorsReady,
      List<ExecutorReport> executors) {
    this(
        app,
        attempt,
        state,
        startTimeMs,
        lastCompletedBatchTimeMs,
        processingDelayMs,
        schedulingDelayMs,
        totalDelayMs,
        batchesCompleted,
        recordsLastBatch,
        recordsPerSecond,
        lastCheckpointTimeMs,
        executorsReady,
        executors,
        List.of(),
        null);
  }

  /** The inputs whose outage has lasted too long: the application is not Ready while any is. */
  public List<InputReport> unhealthyInputs() {
    return inputs.stream().filter(i -> !i.healthy()).toList();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** This report as a JSON object; absent values are {@code null}. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a status report of strings and numbers failed to encode", e);
    }
  }

  /**
   * The report in {@code json}, ignoring fields this version does not know.
   *
   * @throws IllegalArgumentException if {@code json} is not a status report
   */
  public static DriverStatusReport fromJson(String json) {
    try {
      return JSON.readValue(json, DriverStatusReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a driver status report: " + e.getOriginalMessage(), e);
    }
  }
}
