package dev.millrace.runtime.source;

import dev.millrace.runtime.codec.RecordCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Queue;

/**
 * Batches handed over in a queue, for tests and demos: each batch takes the next list (or, unless
 * one at a time, every list waiting). The queue is read under its own monitor, so callers that add
 * to a plain {@code LinkedList} should do so inside {@code synchronized (queue)}.
 *
 * <p>A batch's plan is its records themselves, sliced into the stream's partitions: the queue
 * cannot be read again. With checkpointing the plans go into the batch log, so the records must be
 * types the record codec handles; a recovered application keeps reading the queue it is given (a
 * list the rate limit had cut is not part of a checkpoint: its rest is lost with the driver).
 *
 * <p>Under a rate limit a batch takes at most its records per batch: the rest of a list it cut
 * stays with the source and opens the next batch, so nothing is dropped and order is kept; a
 * graceful stop's last batch hands over that rest.
 *
 * @param <T> record type
 */
public final class QueueSource<T> implements EngineSource<T, List<T>> {
  private final Queue<List<T>> queue;
  private final boolean oneAtATime;
  private final int partitions;
  private List<T> cutRest = List.of(); // guarded by queue

  /** A source reading {@code queue}, slicing each batch into {@code partitions} parts. */
  public QueueSource(Queue<List<T>> queue, boolean oneAtATime, int partitions) {
    this.queue = queue;
    this.oneAtATime = oneAtATime;
    this.partitions = Math.max(1, partitions);
  }

  /** The engine's input reading {@code queue}, as {@link #QueueSource} says. */
  public static <T> InputSource<T> input(Queue<List<T>> queue, boolean oneAtATime, int partitions) {
    return new SourceInput<>(new QueueSource<>(queue, oneAtATime, partitions));
  }

  @Override
  public String name() {
    return "queue";
  }

  @Override
  public void start() {}

  /** Continues with whatever the queue holds; lists taken before the failure are not in it. */
  @Override
  public void recover(byte[] position, List<List<List<T>>> plansSince) {}

  @Override
  public List<List<T>> plan(long batchTime, long maxRecords) {
    return slices(take(maxRecords, false));
  }

  /** Whether part of a list cut by the rate limit still waits for a batch. */
  @Override
  public boolean holdsUnplanned() {
    synchronized (queue) {
      return !cutRest.isEmpty();
    }
  }

  /** The rest of a list the rate limit cut, and no new list. */
  @Override
  public List<List<T>> planLast(long batchTime) {
    return slices(take(Long.MAX_VALUE, true));
  }

  private List<T> take(long budget, boolean lastBatch) {
    List<T> records = new ArrayList<>();
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
    return records;
  }

  /** {@code records} in {@code partitions} consecutive slices, empty ones too. */
  private List<List<T>> slices(List<T> records) {
    List<List<T>> slices = new ArrayList<>(partitions);
    int size = records.size();
    for (int i = 0; i < partitions; i++) {
      slices.add(
          records.subList(
              (int) ((long) size * i / partitions), (int) ((long) size * (i + 1) / partitions)));
    }
    return slices;
  }

  @Override
  public Iterator<T> read(List<T> part) {
    return part.iterator();
  }

  /** Nothing: what the queue still holds is its position. */
  @Override
  public byte[] position() {
    return new byte[0];
  }

  /** A queue slice by its size: its records are the application's, not for the batch page. */
  @Override
  public String describe(List<T> part) {
    return part.size() + " records";
  }

  @Override
  public byte[] encode(List<T> part) {
    return RecordCodec.standard().encode(part);
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<T> decode(byte[] part) {
    return (List<T>) (List<?>) RecordCodec.standard().decode(part);
  }

  /**
   * An earlier build logged a batch's records as one list of the record codec, which starts with
   * the codec's magic number: its second byte is not 0.
   */
  @Override
  public boolean isEarlierPlan(byte[] plan) {
    return plan.length > 1 && plan[1] != 0;
  }

  /** An earlier build logged a batch's records as one list; it is sliced as a batch is now. */
  @Override
  public List<List<T>> decodeEarlierPlan(byte[] plan) {
    return slices(decode(plan));
  }

  /**
   * The records their plans held, which the queue does not hold again: exactly their input, though
   * how many records that was is not known.
   */
  @Override
  public Unplanned<List<T>> unplanned(
      long firstTime,
      long lastTime,
      byte[] position,
      NavigableMap<Long, List<List<T>>> plansSince) {
    return new Unplanned<>(
        List.of(),
        "the records their plans held, which the queue does not hold again (how many is not"
            + " known)",
        SkippedInput.Extent.EXACT);
  }

  /** A queue in this process: nothing to report but that. */
  @Override
  public SourceStatus status() {
    return SourceStatus.described("an in-memory queue");
  }
}
