package dev.millrace.streaming;

import dev.millrace.runtime.ReceiverHost;
import dev.millrace.runtime.Receivers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * An input that pushes records which cannot be read again: a message bus without replay, a sensor
 * feed, a callback API. The receiver runs its own threads, {@link #store stores} each record it
 * gets, and every batch takes what was stored since the previous one. {@link
 * StreamingContext#receiverStream(Receiver)} turns one into a stream. An input that can be read
 * again (a log with offsets, files) is better written as a {@link Source}: its batches are re-read
 * from the input itself, with no copy kept by Millrace.
 *
 * <pre>{@code
 * // Lines a chat server pushes to a callback, one stream of them.
 * final class ChatReceiver extends Receiver<String> {
 *   private ChatClient client;
 *   protected void onStart() {
 *     client = ChatClient.connect("chat.example:5222");   // starts its own threads
 *     client.onMessage(message -> store(message));
 *     client.onDisconnect(e -> restart("the chat server disconnected", e));
 *   }
 *   protected void onStop() { client.close(); }
 * }
 * ssc.checkpoint("hdfs://nn/checkpoints/chat");
 * ssc.receiverStream(new ChatReceiver()).countByValue().print();
 * }</pre>
 *
 * <p>Receivers run in the driver process, on threads of their own: {@link #onStart} is called on
 * the engine's thread when the context starts and must return at once, having started the threads
 * (or registered the callbacks) that receive; they keep going while {@link #isStopped()} is false.
 * {@link #onStop} is called when the context stops and when a {@link #restart} stops the receiver,
 * and must release what {@code onStart} opened. The receiver is never moved to an executor.
 *
 * <p>What {@link #store(Object) store} guarantees: it returns once its records are
 * <em>acknowledged</em>. When the context has a checkpoint directory that is when they are written
 * to a write-ahead log under it and flushed (hflush on HDFS), before any batch sees them: they
 * survive a crash of the driver, and the restarted driver processes each acknowledged record
 * exactly once, batches that had taken them again with the same records, the others in the next
 * batch. Without a checkpoint directory they are held in memory only, and a crash loses those no
 * batch has processed. Acknowledge to the sender (if it waits for one) only after {@code store}
 * returns. {@link #store(List)} and {@link #store(Iterator)} acknowledge a whole group at once,
 * much cheaper than one {@code store} a record when the log is on. Records are encoded for the log
 * like any record Millrace moves between processes (strings, boxed numbers, records, POJOs,
 * collections); a type it cannot encode fails {@code store} with a message naming it.
 *
 * <p>{@code store} blocks while the receiver is ahead of its rate: {@code
 * millrace.receiver.max-rate} records per second, and, with backpressure ({@code
 * millrace.backpressure.enabled}), the rate the batches keep up with. A receiver that blocks in
 * {@code store} slows its sender down rather than making the driver buffer without bound.
 *
 * <p>Failures: {@link #restart} stops the receiver and starts it again after a backoff (0.5 s,
 * doubling up to 10 s); after more than {@code millrace.receiver.max-restarts} restarts within
 * {@code millrace.receiver.restart-window} it gives up, and the next batch fails with the error so
 * that the driver stops and its supervisor restarts it. {@link #reportError} records an error the
 * receiver went on after; both show in the input's status (last error, restarts).
 *
 * @param <T> record type
 */
public abstract class Receiver<T> {

  static {
    Receivers.register(new EngineSide());
  }

  private volatile ReceiverHost<T> host;

  /** A receiver; it receives nothing until the context starts it. */
  protected Receiver() {}

  /**
   * Starts receiving: opens connections and starts the threads that receive and {@link #store}.
   * Must not block. Called when the context starts and again after each {@link #restart}.
   */
  protected abstract void onStart();

  /**
   * Stops receiving: closes what {@link #onStart} opened, so that its threads end. Called when the
   * context stops and when a {@link #restart} stops the receiver; {@link #isStopped()} is true by
   * then.
   */
  protected abstract void onStop();

  /** A short name for logs, messages and the status; the class's simple name unless overridden. */
  public String name() {
    String simple = getClass().getSimpleName();
    return simple.isEmpty() ? getClass().getName() : simple;
  }

  /**
   * Stores one record; returns once it is acknowledged (see the class comment). Blocks while the
   * receiver is ahead of its rate.
   *
   * @throws IllegalStateException if the receiver is not running (before the context starts it, or
   *     after it stopped)
   */
  public final void store(T record) {
    host().store(Collections.singletonList(record));
  }

  /**
   * Stores {@code records}, in order, as one group; returns once all of them are acknowledged.
   *
   * @throws IllegalStateException if the receiver is not running
   */
  public final void store(List<? extends T> records) {
    Objects.requireNonNull(records, "records");
    if (!records.isEmpty()) {
      host().store(records);
    }
  }

  /**
   * Stores the records {@code records} yields, in order, as one group; returns once all of them are
   * acknowledged.
   *
   * @throws IllegalStateException if the receiver is not running
   */
  public final void store(Iterator<? extends T> records) {
    Objects.requireNonNull(records, "records");
    List<T> group = new ArrayList<>();
    records.forEachRemaining(group::add);
    store(group);
  }

  /**
   * Stops the receiver ({@link #onStop}) and starts it again ({@link #onStart}) after a backoff, on
   * another thread; returns at once. Call it from a receiving thread when the input broke in a way
   * starting afresh can repair. More restarts than the budget allows fail the driver.
   */
  public final void restart(String message) {
    restart(message, null);
  }

  /** {@link #restart(String)} with the error that made it necessary, for the log and status. */
  public final void restart(String message, Throwable error) {
    ReceiverHost<T> running = host;
    if (running != null) {
      running.restart(message, error);
    }
  }

  /**
   * Records an error the receiver met and went on after (a record it could not parse, a retry):
   * logged and shown as the input's last error in the status. It stops nothing.
   */
  public final void reportError(String message, Throwable error) {
    ReceiverHost<T> running = host;
    if (running != null) {
      running.reportError(message, error);
    }
  }

  /**
   * Whether the receiving threads are to end: true before the context starts the receiver, once it
   * stops, and while a {@link #restart} has it stopped.
   */
  public final boolean isStopped() {
    ReceiverHost<T> running = host;
    return running == null || running.isStopped();
  }

  private ReceiverHost<T> host() {
    ReceiverHost<T> running = host;
    if (running == null) {
      throw new IllegalStateException(
          "receiver '"
              + name()
              + "' stored records before the context started it; store from the threads onStart"
              + " starts, after StreamingContext.start()");
    }
    return running;
  }

  /** The engine's access, through {@link Receivers}. */
  private static final class EngineSide implements Receivers.Access {
    @Override
    public <T> void start(Receiver<T> receiver, ReceiverHost<T> host) {
      receiver.host = Objects.requireNonNull(host, "host");
      receiver.onStart();
    }

    @Override
    public void stop(Receiver<?> receiver) {
      receiver.onStop();
    }
  }
}
