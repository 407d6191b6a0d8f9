package dev.millrace.runtime.source;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Batches handed over in a queue, for tests and demos: each batch takes the next list (or, unless
 * one at a time, every list waiting). The queue is read under its own monitor, so callers that add
 * to a plain {@code LinkedList} should do so inside {@code synchronized (queue)}.
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

  @Override
  public byte[] encodePlan(Dataset<T> taken) {
    throw notRecoverable();
  }

  @Override
  public Dataset<T> replay(long batchTime, byte[] plan) {
    throw notRecoverable();
  }

  @Override
  public byte[] snapshot() {
    throw notRecoverable();
  }

  @Override
  public void recover(long nextBatchTime, byte[] snapshot, List<byte[]> plansSince) {
    throw notRecoverable();
  }

  private static UnsupportedOperationException notRecoverable() {
    return new UnsupportedOperationException("queue stream cannot be checkpointed yet");
  }
}
