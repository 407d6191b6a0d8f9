package dev.millrace.runtime.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.transport.Message.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Every membership event a registry reports, as lines {@code added exec-1 session 1}, {@code lost
 * exec-1 session 1: reason}, {@code fenced exec-1 session 1: reason}, {@code result exec-1 session
 * 1 task 7}.
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

  @Override
  public void taskResult(ExecutorInfo executor, TaskResult result) {
    events.add(
        "result "
            + executor.executorId()
            + " session "
            + executor.sessionId()
            + " task "
            + result.taskId());
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

  /** The events seen so far by {@link #await}, in order. */
  List<String> seenSoFar() {
    return List.copyOf(seen);
  }
}
