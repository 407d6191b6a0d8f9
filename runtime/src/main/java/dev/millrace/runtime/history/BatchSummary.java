package dev.millrace.runtime.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch as the history keeps it: small and flat, so that a thousand of them cost little memory
 * and a file line each. Times are epoch milliseconds; -1 means "not yet" (as in {@code BatchInfo}).
 *
 * @param run which driver run of this checkpoint directory ran it, counted from 1 by the history
 *     itself: a change of run between two batches is a restart
 * @param attempt the driver attempt that ran it, as its backend counts attempts
 * @param batchTime the batch time
 * @param submissionTime when its input was planned
 * @param processingStartTime when its processing began, or -1
 * @param processingEndTime when it completed or failed, or -1
 * @param records its input records across inputs, or -1 until it completed
 * @param inputRecords its input records by input stream name, empty until it completed
 * @param status where it is
 * @param error why it failed, or null
 * @param outputs its output operations that began, in the order they ran; empty in histories saved
 *     before they were kept
 * @param stages its stages, in the order they began; empty until it ended, and in histories saved
 *     before they were kept
 * @param inputParts the parts each input read (of the inputs whose plans know them), as {@code
 *     stages}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchSummary(
    int run,
    int attempt,
    long batchTime,
    long submissionTime,
    long processingStartTime,
    long processingEndTime,
    long records,
    Map<String, Long> inputRecords,
    BatchStatus status,
    String error,
    List<OutputSummary> outputs,
    List<StageSummary> stages,
    List<PartsSummary> inputParts) {

  /**
   * Copies {@code inputRecords}, keeping its order, in as little memory as its size allows, and the
   * details; a detail absent (a file saved before it was kept) is empty.
   */
  @JsonCreator
  public BatchSummary {
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    stages = stages == null ? List.of() : List.copyOf(stages);
    inputParts = inputParts == null ? List.of() : List.copyOf(inputParts);
    if (inputRecords == null || inputRecords.isEmpty()) {
      inputRecords = Map.of();
    } else if (inputRecords.size() == 1) {
      Map.Entry<String, Long> only = inputRecords.entrySet().iterator().next();
      inputRecords = Map.of(only.getKey(), only.getValue());
    } else {
      inputRecords = Collections.unmodifiableMap(new LinkedHashMap<>(inputRecords));
    }
  }

  /** A batch of which no detail is known. */
  public BatchSummary(
      int run,
      int attempt,
      long batchTime,
      long submissionTime,
      long processingStartTime,
      long processingEndTime,
      long records,
      Map<String, Long> inputRecords,
      BatchStatus status,
      String error) {
    this(
        run,
        attempt,
        batchTime,
        submissionTime,
        processingStartTime,
        processingEndTime,
        records,
        inputRecords,
        status,
        error,
        List.of(),
        List.of(),
        List.of());
  }

  /** This batch with its records by input given by {@code inputRecords}. */
  BatchSummary withInputRecords(Map<String, Long> inputRecords) {
    return with(inputRecords, outputs, stages, inputParts);
  }

  /**
   * This batch with the details (outputs, stages, input parts) of {@code earlier}, an older entry
   * of it.
   */
  BatchSummary withDetailsOf(BatchSummary earlier) {
    return with(inputRecords, earlier.outputs, earlier.stages, earlier.inputParts);
  }

  /** This batch with {@code output} in place of its entry of the same index, or added. */
  BatchSummary withOutput(OutputSummary output) {
    List<OutputSummary> changed = new ArrayList<>(outputs.size() + 1);
    boolean replaced = false;
    for (OutputSummary o : outputs) {
      if (o.index() == output.index()) {
        changed.add(output);
        replaced = true;
      } else {
        changed.add(o);
      }
    }
    if (!replaced) {
      changed.add(output);
    }
    return with(inputRecords, changed, stages, inputParts);
  }

  /** This batch with its outputs given. */
  BatchSummary withOutputs(List<OutputSummary> outputs) {
    return with(inputRecords, outputs, stages, inputParts);
  }

  /** This batch with its stages and input parts given. */
  BatchSummary withTrace(List<StageSummary> stages, List<PartsSummary> inputParts) {
    return with(inputRecords, outputs, stages, inputParts);
  }

  /** This batch's times and status with the records by input and the details given. */
  private BatchSummary with(
      Map<String, Long> inputRecords,
      List<OutputSummary> outputs,
      List<StageSummary> stages,
      List<PartsSummary> inputParts) {
    return new BatchSummary(
        run,
        attempt,
        batchTime,
        submissionTime,
        processingStartTime,
        processingEndTime,
        records,
        inputRecords,
        status,
        error,
        outputs,
        stages,
        inputParts);
  }

  /** Map output bytes its shuffles moved from executors to the driver. */
  public long shuffleBytes() {
    long bytes = 0;
    for (StageSummary stage : stages) {
      bytes += Math.max(0, stage.shuffleBytes());
    }
    return bytes;
  }

  /** Time it waited for the batches before it, or -1 before it started. */
  public long schedulingDelay() {
    return processingStartTime < 0 ? -1 : processingStartTime - submissionTime;
  }

  /** Time its processing took, or -1 before it ended. */
  public long processingTime() {
    return processingEndTime < 0 || processingStartTime < 0
        ? -1
        : processingEndTime - processingStartTime;
  }

  /** Scheduling delay plus processing time, or -1 before it ended. */
  public long totalDelay() {
    return processingEndTime < 0 ? -1 : processingEndTime - submissionTime;
  }
}
