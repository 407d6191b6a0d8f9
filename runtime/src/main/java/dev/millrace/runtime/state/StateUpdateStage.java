package dev.millrace.runtime.state;

import dev.millrace.runtime.dataset.TaskPool;
import java.util.List;

/**
 * One batch of {@code updateStateByKey} being materialized, as a {@link StateUpdateRunner} sees it:
 * the previous state, the batch's new values grouped by key, one update per partition.
 */
public interface StateUpdateStage {

  /** The id of the state's stream node, the same in every process; -1 if it has none. */
  int nodeId();

  /** The batch whose state this computes. */
  long batchTime();

  /** The batch of the previous state. */
  long previousTime();

  /** How many partitions the state has. */
  int partitions();

  /** Whether there is a previous state: false for the first batch, where every key is new. */
  boolean hasPrevious();

  /**
   * Whether the previous state is held in this process, so that {@link #previousPartition} reads
   * memory; false when its partitions are owned elsewhere.
   */
  boolean previousHeldHere();

  /**
   * Partition {@code partition} of the previous state, flattened as key, state, key, state...;
   * empty without a previous state.
   */
  List<Object> previousPartition(int partition);

  /**
   * What the batch brings to partition {@code partition}, in the form the node's {@link
   * dev.millrace.runtime.stream.PartitionedState#updatePartition} takes.
   */
  List<Object> input(int partition);

  /** Updates every partition on {@code local}'s threads and keeps the state here. */
  void runLocally(TaskPool local);

  /** Every partition was updated elsewhere and is kept there; {@code owners} reads one. */
  void ownedElsewhere(OwnedPartitions owners);

  /** The partitions of a state kept elsewhere. */
  interface OwnedPartitions {

    /**
     * Partition {@code partition} of the batch's state, flattened as key, state, key, state...
     *
     * @throws RuntimeException the task runner's {@code TaskFailedException} if its owner cannot be
     *     reached or lost it
     */
    List<Object> fetch(int partition);

    /**
     * Has the owner of partition {@code partition} write it, as of the batch, into the checkpoint
     * directory for the generation of batch {@code checkpointTime} ({@link
     * dev.millrace.runtime.checkpoint.CheckpointStore#writeStatePart}), as pairs of key and
     * wire-form value.
     *
     * @return the part's length and CRC32, for the generation that names it
     * @throws RuntimeException the task runner's {@code TaskFailedException} if its owner cannot be
     *     reached or lost it
     */
    OwnedPart snapshot(int partition, long checkpointTime);
  }
}
