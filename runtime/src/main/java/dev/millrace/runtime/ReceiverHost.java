package dev.millrace.runtime;

import java.util.List;

/**
 * What a running {@link dev.millrace.streaming.Receiver} hands its records and failures to: the
 * engine's input that runs it. The receiver's public methods ({@code store}, {@code restart},
 * {@code reportError}, {@code isStopped}) call these; an application never sees this type.
 *
 * @param <T> record type
 */
public interface ReceiverHost<T> {

  /**
   * Stores {@code records}, in order, and returns once they are acknowledged: in the write-ahead
   * log when the input keeps one, else in memory. Blocks while the receiver is ahead of its rate.
   */
  void store(List<? extends T> records);

  /** Stops the receiver and starts it again after a backoff, within the restart budget. */
  void restart(String message, Throwable error);

  /** Records an error the receiver met and went on after, for the status. */
  void reportError(String message, Throwable error);

  /** Whether the receiver is to stop receiving: the context stops, or a restart stops it. */
  boolean isStopped();
}
