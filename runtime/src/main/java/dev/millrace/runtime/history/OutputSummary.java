package dev.millrace.runtime.history;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One output operation of a batch as the history keeps it: what {@code OutputOperationInfo} told,
 * without the batch time its batch already holds. Times are epoch milliseconds; -1 means "not yet".
 *
 * @param index its place among the output operations, in definition order from 0
 * @param name what the application called, e.g. {@code foreachBatch}
 * @param stream the stream it writes out, e.g. {@code map#2}
 * @param startTime when it began
 * @param endTime when it ended, or -1 while it runs
 * @param error why it failed, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OutputSummary(
    int index, String name, String stream, long startTime, long endTime, String error) {

  /** Time it took, or -1 while it runs. */
  public long duration() {
    return endTime < 0 ? -1 : endTime - startTime;
  }

  /** Where it is: running, failed or succeeded. */
  public String status() {
    return endTime < 0 ? "running" : error != null ? "failed" : "succeeded";
  }
}
