package dev.millrace.runtime.source;

import java.util.function.LongSupplier;

/**
 * The live record of one receiving input's connection and errors: its receiver thread writes it on
 * each connection, loss or failure (never per line), the status endpoint reads {@link #status} from
 * another thread. Every method holds the object's lock and is short.
 *
 * <p>An <em>outage</em> starts when the input stops being able to deliver (not connected yet, a
 * connection lost, a write-ahead log it cannot write, a receiver that failed) and ends when it is
 * connected again with nothing failing; a connected input that receives nothing is quiet, not in an
 * outage.
 */
final class ReceiverHealth {
  private final String description;
  private final LongSupplier clock;
  private final boolean hasConnection;

  private boolean connected;
  private boolean failing;
  private Long outageSinceMs;
  private String lastError;
  private Long lastErrorTimeMs;
  private int receiverRestarts;

  /**
   * The health of the input reading {@code description}, stamped with {@code clock}'s epoch
   * milliseconds; in an outage from now, as it has no connection yet.
   */
  ReceiverHealth(String description, LongSupplier clock) {
    this(description, clock, true);
  }

  /**
   * As above, for an input that {@code hasConnection} or not: one without (an application's
   * receiver) reports no connection in its status and calls {@link #connected} when its receiver
   * has started.
   */
  ReceiverHealth(String description, LongSupplier clock, boolean hasConnection) {
    this.description = description;
    this.clock = clock;
    this.hasConnection = hasConnection;
    this.outageSinceMs = clock.getAsLong();
  }

  /** A connection was opened. */
  synchronized void connected() {
    connected = true;
    endOutageIfWell();
  }

  /**
   * The receiver started: for an input without a connection of its own, that ends an outage as a
   * connection does; for one with a connection, its connection will.
   */
  synchronized void started() {
    if (!hasConnection) {
      connected();
    }
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

  /** The receiver met {@code error} and went on: the last error, with no outage. */
  synchronized void errorReported(String error) {
    error(error);
  }

  /** The receiver thread failed with {@code error} and will be started again. */
  synchronized void receiverRestarting(String error) {
    receiverRestarts++;
    connected = false;
    error(error);
    startOutage();
  }

  /**
   * The input as it stands now, with the counts its receiver keeps itself ({@code bytes} null where
   * it counts none).
   */
  synchronized SourceStatus status(long records, Long bytes, long linesDropped) {
    return new SourceStatus(
        description,
        hasConnection ? connected : null,
        outageSinceMs,
        lastError,
        lastErrorTimeMs,
        records,
        bytes,
        linesDropped,
        receiverRestarts,
        null);
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
