package dev.millrace.streaming;

/**
 * The time source of a streaming context: when batch times arrive, and what "now" is for delays.
 *
 * <p>The default is the system clock. Tests pass a {@link ManualClock} to {@link
 * StreamingContext.Builder#clock(Clock)} to step through batches deterministically.
 */
public interface Clock {

  /** The current time in epoch milliseconds. */
  long millis();

  /**
   * Blocks until {@link #millis()} is at least {@code targetMillis}.
   *
   * @return the time when the wait ended
   * @throws InterruptedException if the waiting thread is interrupted
   */
  long waitUntil(long targetMillis) throws InterruptedException;

  /** The wall clock. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
