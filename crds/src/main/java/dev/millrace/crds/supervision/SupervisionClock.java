package dev.millrace.crds.supervision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The time a {@link SupervisionLoop} lives in: what time it is, and how it waits for its next piece
 * of work until a deadline. A separate type so the loop's decisions about time can be tested with a
 * clock that jumps to each deadline instead of sleeping until it.
 */
public interface SupervisionClock {
  /** The time now. */
  Instant now();

  /**
   * The next item of {@code inbox}, waiting for one until {@code deadline}; {@code null} if none
   * came by then (at once if the deadline has passed).
   */
  <T> T poll(BlockingQueue<T> inbox, Instant deadline) throws InterruptedException;

  /** Wall-clock time from {@code clock}, waiting on the inbox for real. */
  static SupervisionClock of(Clock clock) {
    return new SupervisionClock() {
      @Override
      public Instant now() {
        return clock.instant();
      }

      @Override
      public <T> T poll(BlockingQueue<T> inbox, Instant deadline) throws InterruptedException {
        long waitMillis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        return inbox.poll(waitMillis, TimeUnit.MILLISECONDS);
      }
    };
  }
}
