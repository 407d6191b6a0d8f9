package dev.millrace.runtime.source;

/**
 * How long a receiver waits before its next connection attempt: doubling from {@link
 * #INITIAL_DELAY_MILLIS} up to {@link #MAX_DELAY_MILLIS}, back to the start after a successful
 * connect. Used by the socket source's receiver and by an executor reconnecting to its driver;
 * owned by one thread.
 */
public final class ReconnectBackoff {
  static final long INITIAL_DELAY_MILLIS = 100;
  static final long MAX_DELAY_MILLIS = 2_000;

  private long nextDelayMillis = INITIAL_DELAY_MILLIS;

  /** The delay before the next attempt; each call doubles the one after, up to the cap. */
  public long nextDelayMillis() {
    long delay = nextDelayMillis;
    nextDelayMillis = Math.min(MAX_DELAY_MILLIS, delay * 2);
    return delay;
  }

  /** A connection succeeded: the next outage starts again from the initial delay. */
  public void reset() {
    nextDelayMillis = INITIAL_DELAY_MILLIS;
  }
}
