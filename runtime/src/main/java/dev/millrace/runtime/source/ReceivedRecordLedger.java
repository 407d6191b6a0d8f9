package dev.millrace.runtime.source;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The received records of a receiving input (a socket text stream's lines, an application
 * receiver's records) that no batch has taken yet, and, with a write-ahead log, what the batches
 * took: the receiver {@link #store stores} records (acknowledged ones, with a log), each {@link
 * #take} hands over the oldest in arrival order, and the log position of the next take and the
 * range of the latest make the batch plans and snapshots.
 *
 * @param <T> record type
 */
final class ReceivedRecordLedger<T> {
  private final String stream;
  private final int partitions;

  private final Object bufferLock = new Object();
  private List<T> buffer = new ArrayList<>(); // guarded by bufferLock
  private final AtomicLong receivedRecords = new AtomicLong();

  // Generator thread only: the log position of the next take, and the latest take's range.
  private boolean logged;
  private long nextTakeSeq;
  private Dataset<T> lastTaken;
  private WalRange lastTakenRange;

  /**
   * A ledger of the input {@code stream} names in messages (e.g. {@code socket text stream
   * 'app-host:9999'}), cutting each take into {@code partitions}.
   */
  ReceivedRecordLedger(String stream, int partitions) {
    this.stream = stream;
    this.partitions = partitions;
  }

  /** Numbers takes in the write-ahead log from {@code seq} on, before the receiver starts. */
  void startAt(long seq) {
    logged = true;
    nextTakeSeq = seq;
  }

  /**
   * After a recovery: the next take starts at log position {@code position} with {@code unplanned},
   * the acknowledged records the log holds beyond it.
   */
  void restore(List<T> unplanned, long position) {
    synchronized (bufferLock) {
      buffer = unplanned;
    }
    startAt(position);
  }

  /** Stores one received record (without a log). Receiver thread. */
  void store(T record) {
    synchronized (bufferLock) {
      buffer.add(record);
    }
    receivedRecords.incrementAndGet();
  }

  /** Stores records (the write-ahead log acknowledged, with one), in order. Receiver thread. */
  void storeAll(List<? extends T> records) {
    synchronized (bufferLock) {
      buffer.addAll(records);
    }
    receivedRecords.addAndGet(records.size());
  }

  /**
   * Up to {@code most} of the records stored since the previous take, in arrival order, cut into
   * the configured number of partitions; with a log, the range they hold becomes the latest take's.
   */
  Dataset<T> take(long most) {
    List<T> lines;
    synchronized (bufferLock) {
      if (buffer.size() <= most) {
        lines = buffer;
        buffer = new ArrayList<>();
      } else {
        List<T> head = buffer.subList(0, (int) most);
        lines = new ArrayList<>(head);
        head.clear();
      }
    }
    Dataset<T> taken = ListDataset.sliced(lines, partitions);
    if (logged) {
      // The buffer holds exactly the acknowledged records from nextTakeSeq on, in order.
      lastTakenRange = new WalRange(nextTakeSeq, nextTakeSeq + lines.size());
      nextTakeSeq = lastTakenRange.to();
      lastTaken = taken;
    }
    return taken;
  }

  /**
   * The range of log sequence numbers {@code taken} holds.
   *
   * @throws IllegalStateException for a dataset other than the latest take
   */
  byte[] encodePlan(Dataset<T> taken) {
    if (taken != lastTaken) {
      throw new IllegalStateException(stream + " can only encode the batch it took last");
    }
    return lastTakenRange.toBytes();
  }

  /** How many partitions each take is cut into. */
  int partitions() {
    return partitions;
  }

  /** The log position of the next take. */
  long nextTakeSeq() {
    return nextTakeSeq;
  }

  boolean hasBuffered() {
    synchronized (bufferLock) {
      return !buffer.isEmpty();
    }
  }

  /** How many records were stored, over all connections and restarts. */
  long receivedRecords() {
    return receivedRecords.get();
  }
}
