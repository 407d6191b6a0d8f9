package dev.millrace.runtime.source;

import java.util.function.LongSupplier;

/**
 * The live record of one receiving input's connection, errors and counts: its receiver thread
 * writes it, the status endpoint reads {@link #status} from another thread. Every method holds the
 * object's lock and is short.
 *
 * <p>An <em>outage</em> starts when the input stops being able to deliver (not connected yet, a
 * connection lost, a write-ahead log it cannot write, a receiver that failed) and ends when it is
 * connected again with nothing failing; a connected input that receives nothing is quiet, not in an
 * outage.
 */
final class ReceiverHealth {
  private final String description;
  private final LongSupplier clock;

  private boolean connected;
  private boolean failing;
  private Long outageSinceMs;
  private String lastError;
  private Long lastErrorTimeMs;
  private long records;
  private long bytes;
  private long linesDropped;
  private int receiverRestarts;

  /**
   * The health of the input reading {@code description}, stamped with {@code clock}'s epoch
   * milliseconds; in an outage from now, as it has no connection yet.
   */
  ReceiverHealth(String description, LongSupplier clock) {
    this.description = description;
    this.clock = clock;
    this.outageSinceMs = clock.getAsLong();
  }

  /** A connection was opened. */
  synchronized void connected() {
    connected = true;
    endOutageIfWell();
  }

  /** The connection was lost, or could not be opened, because of {@code error}. */
  synchronized void disconnected(String error) {
    connected = false;
    error(error);
    startOutage();
  }

  /** Something other than the connection fails (a log write, the receiver), with {@code error}. */
  synchronized void failing(String error) {
    failing = true;
    error(error);
    startOutage();
  }

  /** What was failing works again. */
  synchronized void recovered() {
    failing = false;
    endOutageIfWell();
  }

  /** The receiver thread failed with {@code error} and will be started again. */
  synchronized void receiverRestarting(String error) {
    receiverRestarts++;
    connected = false;
    error(error);
    startOutage();
  }

  /** {@code count} records were received. */
  synchronized void received(long count) {
    records += count;
  }

  /** {@code count} bytes were read from the connection. */
  synchronized void read(long count) {
    bytes += count;
  }

  /** A line longer than the receiver's bound was dropped. */
  synchronized void lineDropped() {
    linesDropped++;
  }

  /** The input as it stands now. */
  synchronized SourceStatus status() {
    return new SourceStatus(
        description,
        connected,
        outageSinceMs,
        lastError,
        lastErrorTimeMs,
        records,
        bytes,
        linesDropped,
        receiverRestarts);
  }

  private void error(String error) {
    lastError = error;
    lastErrorTimeMs = clock.getAsLong();
  }

  private void startOutage() {
    if (outageSinceMs == null) {
      outageSinceMs = clock.getAsLong();
    }
  }

  private void endOutageIfWell() {
    if (connected && !failing) {
      outageSinceMs = null;
    }
  }
}
