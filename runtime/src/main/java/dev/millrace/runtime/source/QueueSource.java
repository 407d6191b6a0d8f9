package dev.millrace.runtime.source;

import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Batches handed over in a queue, for tests and demos: each batch takes the next list (or, unless
 * one at a time, every list waiting). The queue is read under its own monitor, so callers that add
 * to a plain {@code LinkedList} should do so inside {@code synchronized (queue)}.
 *
 * <p>With checkpointing, each batch's records go into the batch log (the queue cannot be read
 * again), so they must be types the record codec handles; a recovered application keeps reading the
 * queue it is given.
 */
public final class QueueSource<T> implements InputSource<T> {
  private final Queue<List<T>> queue;
  private final boolean oneAtATime;
  private final int partitions;

  /** A source reading {@code queue}, slicing each batch into {@code partitions} partitions. */
  public QueueSource(Queue<List<T>> queue, boolean oneAtATime, int partitions) {
    this.queue = queue;
    this.oneAtATime = oneAtATime;
    this.partitions = partitions;
  }

  @Override
  public void start(long firstBatchTime) {}

  @Override
  public Dataset<T> take(long batchTime, boolean lastBatch) {
    List<T> records = new ArrayList<>();
    if (!lastBatch) {
      synchronized (queue) {
        do {
          List<T> next = queue.poll();
          if (next == null) {
            break;
          }
          records.addAll(next);
        } while (!oneAtATime);
      }
    }
    return ListDataset.sliced(records, partitions);
  }

  @Override
  public void stop() {}

  /** The batch's records themselves: the queue cannot be read again, so its plan is its data. */
  @Override
  public byte[] encodePlan(Dataset<T> taken) {
    List<T> records = new ArrayList<>();
    for (int p = 0; p < taken.numPartitions(); p++) {
      records.addAll(taken.collectPartition(p));
    }
    return RecordCodec.standard().encode(records);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Dataset<T> replay(long batchTime, byte[] plan) {
    return ListDataset.sliced((List<T>) (List<?>) RecordCodec.standard().decode(plan), partitions);
  }

  /** Nothing: what the queue still holds is its position. */
  @Override
  public byte[] snapshot() {
    return new byte[0];
  }

  /** Continues with whatever the queue holds; lists taken before the failure are not in it. */
  @Override
  public void recover(long nextBatchTime, byte[] snapshot, List<byte[]> plansSince) {}
}
