package dev.millrace.streaming;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A checkpoint generation the driver has just written: for which batch, how long writing it took,
 * and how large it is, in all and for each stateful stream.
 *
 * @param batchTime the batch whose state the generation holds
 * @param durationMs milliseconds from taking the state's snapshot to the generation committed
 * @param bytes bytes of the generation's files (state snapshots and input positions)
 * @param stateBytes bytes of each stateful stream's snapshot, by the stream's name as the status
 *     names streams (e.g. {@code updateStateByKey#4}), in the order the streams were defined; a
 *     stream whose state executors own and checkpoint themselves counts only its reference here
 * @param stateRecords records in each stateful stream's snapshot, by name: keys for {@code
 *     updateStateByKey}, the open window's records for a window
 */
public record CheckpointInfo(
    long batchTime,
    long durationMs,
    long bytes,
    Map<String, Long> stateBytes,
    Map<String, Long> stateRecords) {

  /** Copies both maps, keeping their order. */
  public CheckpointInfo {
    stateBytes = Collections.unmodifiableMap(new LinkedHashMap<>(stateBytes));
    stateRecords = Collections.unmodifiableMap(new LinkedHashMap<>(stateRecords));
  }
}
