package dev.millrace.runtime.source;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The received lines of a socket text stream that no batch has taken yet, and, with a write-ahead
 * log, what the batches took: the receiver {@link #store stores} lines (acknowledged ones, with a
 * log), each {@link #take} hands over the oldest in arrival order, and the log position of the next
 * take and the range of the latest make the batch plans and snapshots.
 */
final class ReceivedLineLedger {
  private final String streamName;
  private final int partitions;

  private final Object bufferLock = new Object();
  private List<String> buffer = new ArrayList<>(); // guarded by bufferLock
  private final AtomicLong receivedLines = new AtomicLong();

  // Generator thread only: the log position of the next take, and the latest take's range.
  private boolean logged;
  private long nextTakeSeq;
  private Dataset<String> lastTaken;
  private WalRange lastTakenRange;

  ReceivedLineLedger(String streamName, int partitions) {
    this.streamName = streamName;
    this.partitions = partitions;
  }

  /** Numbers takes in the write-ahead log from {@code seq} on, before the receiver starts. */
  void startAt(long seq) {
    logged = true;
    nextTakeSeq = seq;
  }

  /**
   * After a recovery: the next take starts at log position {@code position} with {@code unplanned},
   * the acknowledged lines the log holds beyond it.
   */
  void restore(List<String> unplanned, long position) {
    synchronized (bufferLock) {
      buffer = unplanned;
    }
    startAt(position);
  }

  /** Stores one received line (without a log). Receiver thread. */
  void store(String line) {
    synchronized (bufferLock) {
      buffer.add(line);
    }
    receivedLines.incrementAndGet();
  }

  /** Stores lines the write-ahead log acknowledged, in order. Receiver thread. */
  void storeAll(List<String> lines) {
    synchronized (bufferLock) {
      buffer.addAll(lines);
    }
    receivedLines.addAndGet(lines.size());
  }

  /**
   * Up to {@code most} of the lines stored since the previous take, in arrival order, cut into the
   * configured number of partitions; with a log, the range they hold becomes the latest take's.
   */
  Dataset<String> take(long most) {
    List<String> lines;
    synchronized (bufferLock) {
      if (buffer.size() <= most) {
        lines = buffer;
        buffer = new ArrayList<>();
      } else {
        List<String> head = buffer.subList(0, (int) most);
        lines = new ArrayList<>(head);
        head.clear();
      }
    }
    Dataset<String> taken = ListDataset.sliced(lines, partitions);
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
  byte[] encodePlan(Dataset<String> taken) {
    if (taken != lastTaken) {
      throw new IllegalStateException(
          "socket text stream '" + streamName + "' can only encode the batch it took last");
    }
    return lastTakenRange.toBytes();
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

  /** How many lines were stored, over all connections. */
  long receivedLines() {
    return receivedLines.get();
  }
}
