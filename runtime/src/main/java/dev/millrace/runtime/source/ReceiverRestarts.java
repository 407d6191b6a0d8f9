package dev.millrace.runtime.source;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * When a receiver thread that failed starts again, and when it has failed too often to go on: at
 * most {@code maxRestarts} restarts within a sliding {@code window}, each after a delay that
 * doubles from {@value #INITIAL_DELAY_MILLIS} ms with the failures in the window, up to {@value
 * #MAX_DELAY_MILLIS} ms. One more failure within the window gives up, so that a receiver that keeps
 * dying fails the driver with its cause (and the driver's supervisor restarts it) instead of
 * retrying in place for ever. Failures older than the window do not count. Pure; owned by the
 * receiver thread.
 */
final class ReceiverRestarts {
  static final long INITIAL_DELAY_MILLIS = 500;
  static final long MAX_DELAY_MILLIS = 10_000;

  private final int maxRestarts;
  private final long windowMillis;
  private final Deque<Long> failures = new ArrayDeque<>();

  /** A budget of {@code maxRestarts} restarts within {@code windowMillis}. */
  ReceiverRestarts(int maxRestarts, long windowMillis) {
    if (maxRestarts < 0 || windowMillis <= 0) {
      throw new IllegalArgumentException(
          "a receiver restarts at least 0 times within a positive window, got "
              + maxRestarts
              + " within "
              + windowMillis
              + " ms");
    }
    this.maxRestarts = maxRestarts;
    this.windowMillis = windowMillis;
  }

  /**
   * A failure at {@code nowMs}: the delay before the receiver starts again, or empty when this
   * failure exceeds the budget.
   */
  OptionalLong failed(long nowMs) {
    while (!failures.isEmpty() && failures.peekFirst() <= nowMs - windowMillis) {
      failures.removeFirst();
    }
    failures.addLast(nowMs);
    int inWindow = failures.size();
    if (inWindow > maxRestarts) {
      return OptionalLong.empty();
    }
    long delay = INITIAL_DELAY_MILLIS << Math.min(inWindow - 1, 20);
    return OptionalLong.of(Math.min(MAX_DELAY_MILLIS, delay));
  }

  /** Failures within the window as of the last {@link #failed} call. */
  int failuresInWindow() {
    return failures.size();
  }

  /** The most restarts allowed within the window. */
  int maxRestarts() {
    return maxRestarts;
  }

  /** The window, in milliseconds. */
  long windowMillis() {
    return windowMillis;
  }
}
