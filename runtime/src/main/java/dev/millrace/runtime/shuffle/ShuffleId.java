package dev.millrace.runtime.shuffle;

/**
 * Names a shuffle the same way in every process: the {@code index}-th shuffle created while stream
 * node {@code nodeId} computed its dataset for batch {@code batchTime}. Node ids follow creation
 * order and every process rebuilds the graph from the same code, so a driver and its executors
 * agree on the name without exchanging anything.
 *
 * @param nodeId the {@code StreamNode} whose compute created the shuffle
 * @param batchTime the batch time it computed
 * @param index the shuffle's place among those that compute created, from 0
 */
public record ShuffleId(int nodeId, long batchTime, int index) {

  /** {@code shuffle-<node>-<time>-<index>}, for messages. */
  @Override
  public String toString() {
    return "shuffle-" + nodeId + "-" + batchTime + "-" + index;
  }
}
