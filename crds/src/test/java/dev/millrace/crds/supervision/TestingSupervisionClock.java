package dev.millrace.crds.supervision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * A {@link SupervisionClock} that never sleeps: waiting until a deadline jumps the time to it,
 * unless something scheduled with {@link #at} is due first; then the time jumps there and the
 * scheduled work runs (usually submitting an event). Loops a test runs on its own thread, so it
 * simulates hours in milliseconds. A loop that turns far more often than any test needs fails, so a
 * loop that no longer waits cannot hang a build.
 */
final class TestingSupervisionClock implements SupervisionClock {
  private static final int MAX_TURNS = 100_000;

  private record Scheduled(Instant at, Runnable work) {}

  private final List<Scheduled> scheduled = new ArrayList<>();
  private Instant now;
  private int turns;

  TestingSupervisionClock(Instant start) {
    this.now = start;
  }

  /** Runs {@code work} when the time reaches {@code at}. */
  void at(Instant at, Runnable work) {
    scheduled.add(new Scheduled(at, work));
    scheduled.sort(Comparator.comparing(Scheduled::at));
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public <T> T poll(BlockingQueue<T> inbox, Instant deadline) {
    if (++turns > MAX_TURNS) {
      throw new AssertionError("the loop turned " + MAX_TURNS + " times by " + now);
    }
    T item = inbox.poll();
    if (item != null) {
      return item;
    }
    if (!scheduled.isEmpty() && !scheduled.get(0).at().isAfter(deadline)) {
      Scheduled next = scheduled.remove(0);
      if (next.at().isAfter(now)) {
        now = next.at();
      }
      next.work().run();
      return inbox.poll();
    }
    if (deadline.isAfter(now)) {
      now = deadline;
    }
    return null;
  }
}
