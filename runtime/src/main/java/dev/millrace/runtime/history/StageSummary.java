package dev.millrace.runtime.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One stage of a batch as the history keeps it (what the engine's {@code task.StageInfo} told).
 *
 * @param kind {@code output}, {@code shuffle}, {@code state} or {@code other}
 * @param name the operator and its stream (e.g. {@code reduceByKey#3}), or the output operation and
 *     the stream it writes out (e.g. {@code foreachBatch of map#2})
 * @param startTime when it began, epoch milliseconds
 * @param durationMicros how long it took
 * @param tasks how many tasks it ran
 * @param tasksRetried how many of them ran again
 * @param executors where its tasks ran, the driver first, then executors by id
 * @param shuffleBytes a shuffle's map output bytes that came from executors; -1 for no shuffle
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageSummary(
    String kind,
    String name,
    long startTime,
    long durationMicros,
    int tasks,
    int tasksRetried,
    List<Ran> executors,
    long shuffleBytes) {

  /** Copies {@code executors}; none if absent. */
  @JsonCreator
  public StageSummary {
    executors = executors == null ? List.of() : List.copyOf(executors);
  }

  /**
   * How many tasks of a stage one process ran.
   *
   * @param id {@code driver}, or the executor's id
   * @param host the executor's host, or null for the driver
   * @param tasks how many tasks it ran
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Ran(String id, String host, int tasks) {}
}
