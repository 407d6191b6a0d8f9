package dev.millrace.runtime.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Every membership event a registry reports, as lines {@code added exec-1 session 1}, {@code lost
 * exec-1 session 1: reason}, {@code fenced exec-1 session 1: reason}.
 */
final class TestingMembershipLog implements ExecutorListener {
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  @Override
  public void executorAdded(ExecutorInfo executor) {
    events.add("added " + executor.executorId() + " session " + executor.sessionId());
  }

  @Override
  public void executorLost(ExecutorInfo executor, String reason) {
    events.add(
        "lost " + executor.executorId() + " session " + executor.sessionId() + ": " + reason);
  }

  @Override
  public void messageFenced(String executorId, long sessionId, String reason) {
    events.add("fenced " + executorId + " session " + sessionId + ": " + reason);
  }

  /** Waits for the next event that starts with {@code prefix}, skipping others; returns it. */
  String await(String prefix, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      String event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (event == null) {
        fail("no event '" + prefix + "...' within " + timeoutMillis + " ms; saw " + seen);
      }
      seen.add(event);
      if (event.startsWith(prefix)) {
        return event;
      }
    }
  }
}
