package dev.millrace.runtime.source;

import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Queue;

/**
 * Batches handed over in a queue, for tests and demos: each batch takes the next list (or, unless
 * one at a time, every list waiting). The queue is read under its own monitor, so callers that add
 * to a plain {@code LinkedList} should do so inside {@code synchronized (queue)}.
 *
 * <p>With checkpointing, each batch's records go into the batch log (the queue cannot be read
 * again), so they must be types the record codec handles; a recovered application keeps reading the
 * queue it is given (a list the rate limit had cut is not part of a checkpoint: its rest is lost
 * with the driver).
 *
 * <p>Under a {@link RateLimit} a batch takes at most its records per batch: the rest of a list it
 * cut stays with the source and opens the next batch, so nothing is dropped and order is kept; a
 * graceful stop's last batch hands over that rest.
 */
public final class QueueSource<T> implements InputSource<T> {
  private final Queue<List<T>> queue;
  private final boolean oneAtATime;
  private final int partitions;
  private volatile RateLimit rateLimit;
  private List<T> cutRest = List.of(); // guarded by queue

  /** A source reading {@code queue}, slicing each batch into {@code partitions} partitions. */
  public QueueSource(Queue<List<T>> queue, boolean oneAtATime, int partitions) {
    this.queue = queue;
    this.oneAtATime = oneAtATime;
    this.partitions = partitions;
  }

  /** A plan holds the records themselves. */
  @Override
  public boolean replaysAnywhere() {
    return true;
  }

  @Override
  public void start(long firstBatchTime) {}

  @Override
  public Dataset<T> take(long batchTime, boolean lastBatch) {
    List<T> records = new ArrayList<>();
    RateLimit limit = rateLimit;
    long budget = lastBatch || limit == null ? Long.MAX_VALUE : limit.recordsPerBatch();
    synchronized (queue) {
      List<T> next = cutRest.isEmpty() ? (lastBatch ? null : queue.poll()) : cutRest;
      cutRest = List.of();
      while (next != null) {
        long room = budget - records.size();
        if (next.size() > room) {
          records.addAll(next.subList(0, (int) room));
          cutRest = new ArrayList<>(next.subList((int) room, next.size()));
          break;
        }
        records.addAll(next);
        if (oneAtATime || lastBatch || records.size() == budget) {
          break;
        }
        next = queue.poll();
      }
    }
    return ListDataset.sliced(records, partitions);
  }

  @Override
  public void updateRateLimit(RateLimit limit) {
    rateLimit = limit;
  }

  /** Whether part of a list cut by the rate limit still waits for a batch. */
  @Override
  public boolean hasBufferedInput() {
    synchronized (queue) {
      return !cutRest.isEmpty();
    }
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

  /**
   * The records their plans held, which the queue does not hold again: exactly their input, though
   * how many records that was is not known.
   */
  @Override
  public SkippedInput unplanned(
      long firstTime, long lastTime, byte[] snapshot, NavigableMap<Long, byte[]> plansSince) {
    return new SkippedInput(
        RecordCodec.standard().encode(List.of()),
        "the records their plans held, which the queue does not hold again (how many is not"
            + " known)",
        SkippedInput.Extent.EXACT);
  }

  /** Nothing: what the queue still holds is its position. */
  @Override
  public byte[] snapshot() {
    return new byte[0];
  }

  /** Continues with whatever the queue holds; lists taken before the failure are not in it. */
  @Override
  public void recover(long nextBatchTime, byte[] snapshot, List<byte[]> plansSince) {}

  /** A queue in this process: nothing to report but that. */
  @Override
  public SourceStatus status() {
    return SourceStatus.described("an in-memory queue");
  }
}
