package dev.millrace.runtime.state;

/**
 * What every {@link StateUpdateStage} of a dataset says of its batch: the node, the batch, the
 * previous batch and the number of partitions.
 */
abstract class StateStage implements StateUpdateStage {
  private final int nodeId;
  private final long batchTime;
  private final long previousTime;
  private final int partitions;

  StateStage(int nodeId, long batchTime, long previousTime, int partitions) {
    this.nodeId = nodeId;
    this.batchTime = batchTime;
    this.previousTime = previousTime;
    this.partitions = partitions;
  }

  @Override
  public final int nodeId() {
    return nodeId;
  }

  @Override
  public final long batchTime() {
    return batchTime;
  }

  @Override
  public final long previousTime() {
    return previousTime;
  }

  @Override
  public final int partitions() {
    return partitions;
  }
}
