package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@link TestingCrashDriver} in its own JVM, started with this test's class path and the
 * current {@code java}: its {@code BATCH <time> done} lines are read on a thread of their own and
 * stamped with the {@link System#nanoTime()} at which they arrived; its standard error goes to a
 * log file.
 */
final class TestingDriverProcess implements AutoCloseable {
  /** Exit code of a JVM killed by SIGKILL (128 + 9). */
  static final int KILLED_BY_SIGKILL = 137;

  private static final Pattern BATCH_DONE = Pattern.compile("BATCH (\\d+) done");

  /** A completed batch, as the driver reported it. */
  record BatchDone(long batchTime, long arrivedNanos) {}

  private final Process process;
  private final long startedNanos;
  private final Path log;
  private final BlockingQueue<BatchDone> done = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean reportedABatch;

  private TestingDriverProcess(Process process, long startedNanos, Path log) {
    this.process = process;
    this.startedNanos = startedNanos;
    this.log = log;
    this.reader = new Thread(this::readOutput, "driver-" + process.pid() + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts a driver with {@code args}, its standard error going to {@code log}. */
  static TestingDriverProcess start(Path log, List<String> args) {
    return start(log, TestingCrashDriver.class, args);
  }

  /** Starts the driver {@code main} with {@code args}, its standard error going to {@code log}. */
  static TestingDriverProcess start(Path log, Class<?> main, List<String> args) {
    List<String> command = TestingJvm.command(System.getProperty("java.class.path"), main);
    command.addAll(args);
    try {
      long now = System.nanoTime();
      Process p =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new TestingDriverProcess(p, now, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the driver: " + command, e);
    }
  }

  private void readOutput() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        long arrived = System.nanoTime();
        Matcher m = BATCH_DONE.matcher(line);
        if (m.matches()) {
          reportedABatch = true;
          done.add(new BatchDone(Long.parseLong(m.group(1)), arrived));
        }
      }
    } catch (IOException e) {
      // The process died and took its pipe with it: nothing more to read.
    }
  }

  /** When the process was started, on {@link System#nanoTime()}. */
  long startedNanos() {
    return startedNanos;
  }

  /** The operating system's id of the process. */
  long pid() {
    return process.pid();
  }

  /**
   * The next batch the driver completed, waiting at most {@code timeoutMillis}.
   *
   * @throws AssertionError if the driver exits or the time runs out first
   */
  BatchDone nextBatchDone(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      BatchDone next = done.poll(50, TimeUnit.MILLISECONDS);
      if (next != null) {
        return next;
      }
      if (!process.isAlive() && done.isEmpty()) {
        reader.join(1000);
        if (done.isEmpty()) {
          fail(
              "driver "
                  + pid()
                  + " exited with code "
                  + process.exitValue()
                  + " before completing another batch; see "
                  + log);
        }
      }
      if (System.nanoTime() > deadline) {
        fail("driver " + pid() + " completed no batch within " + timeoutMillis + " ms; see " + log);
      }
    }
  }

  /** Whether the driver has reported any batch done. */
  boolean hasReportedABatch() {
    return reportedABatch;
  }

  /**
   * Kills the driver with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits until it
   * is gone.
   *
   * @return when the signal was sent, on {@link System#nanoTime()}
   */
  long kill() throws InterruptedException {
    long now = System.nanoTime();
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      fail("driver " + pid() + " survived SIGKILL for 30 s");
    }
    assertEquals(
        KILLED_BY_SIGKILL,
        process.exitValue(),
        "driver " + pid() + " was not ended by SIGKILL (or had exited before); see " + log);
    return now;
  }

  /**
   * Asks the driver to stop gracefully with SIGTERM ({@link Process#destroy()} on Linux) and
   * returns its exit code.
   */
  int terminate(long timeoutMillis) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
      fail("driver " + pid() + " did not stop within " + timeoutMillis + " ms of SIGTERM");
    }
    return process.exitValue();
  }

  /** Kills the process if it is still running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
