package dev.millrace.streaming;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A receiver written as an application would, through the public API only: a thread of its own,
 * started by {@code onStart}, stores the numbers from a given one upwards as the test commands it
 * to (one {@code store} a number, or a group per {@code store(List)} or {@code store(Iterator)}),
 * and calls {@code restart} or {@code reportError} on command. It counts what {@code store} has
 * acknowledged and how often it was started and stopped.
 */
final class TestingCountingReceiver extends Receiver<Long> {
  /** What the receiving thread does next. */
  sealed interface Command {}

  /** Stores the next {@code count} numbers, {@code perStore} to a call. */
  record Store(int count, int perStore, boolean asIterator) implements Command {}

  /** Calls {@code restart(message, error)}. */
  record Restart(String message) implements Command {}

  /** Calls {@code reportError(message, error)}. */
  record ReportError(String message) implements Command {}

  final AtomicInteger starts = new AtomicInteger();
  final AtomicInteger stops = new AtomicInteger();
  final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong next;
  private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();

  /** A receiver whose first number is {@code first}. */
  TestingCountingReceiver(long first) {
    this.next = new AtomicLong(first);
  }

  @Override
  public String name() {
    return "counting";
  }

  void command(Command c) {
    commands.add(c);
  }

  /** Waits until {@code store} has acknowledged {@code count} numbers in all. */
  void awaitAcknowledged(long count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (acknowledged.get() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the receiver acknowledged " + acknowledged.get() + " numbers, expected " + count);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + count + " numbers", e);
      }
    }
  }

  @Override
  protected void onStart() {
    starts.incrementAndGet();
    Thread receiving = new Thread(this::receive, "counting-receiver");
    receiving.setDaemon(true);
    receiving.start();
  }

  @Override
  protected void onStop() {
    stops.incrementAndGet();
  }

  private void receive() {
    try {
      while (!isStopped()) {
        Command c = commands.poll(5, TimeUnit.MILLISECONDS);
        if (c instanceof Store s) {
          store(s);
        } else if (c instanceof Restart r) {
          restart(r.message(), new IllegalStateException("told to: " + r.message()));
        } else if (c instanceof ReportError e) {
          reportError(e.message(), new IllegalArgumentException("told to: " + e.message()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void store(Store s) {
    for (int done = 0; done < s.count(); done += s.perStore()) {
      int n = Math.min(s.perStore(), s.count() - done);
      List<Long> group = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        group.add(next.getAndIncrement());
      }
      if (n == 1) {
        store(group.get(0));
      } else if (s.asIterator()) {
        store(group.iterator());
      } else {
        store(group);
      }
      acknowledged.addAndGet(n);
    }
  }
}
