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
 * One driver main (by default {@link TestingCrashDriver}) in its own JVM, started with this test's
 * class path and the current {@code java}: its {@code BATCH <time> done} lines are read on a thread
 * of their own and stamped with the {@link System#nanoTime()} at which they arrived; its standard
 * error goes to a log file. Public for the crash tests of other modules (the Kafka one).
 */
public final class TestingDriverProcess implements AutoCloseable {
  /** Exit code of a JVM killed by SIGKILL (128 + 9). */
  static final int KILLED_BY_SIGKILL = 137;

  private static final Pattern BATCH_DONE = Pattern.compile("BATCH (\\d+) done");

  /** A completed batch, as the driver reported it. */
  public record BatchDone(long batchTime, long arrivedNanos) {}

  private final Process process;
  private final long startedNanos;
  private final long startedMillis;
  private final Path log;
  private final BlockingQueue<BatchDone> done = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean reportedABatch;

  private TestingDriverProcess(Process process, long startedNanos, long startedMillis, Path log) {
    this.process = process;
    this.startedNanos = startedNanos;
    this.startedMillis = startedMillis;
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
  public static TestingDriverProcess start(Path log, Class<?> main, List<String> args) {
    return start(log, main, List.of(), args);
  }

  /** As {@link #start(Path, Class, List)}, the JVM started with {@code jvmOptions} too. */
  public static TestingDriverProcess start(
      Path log, Class<?> main, List<String> jvmOptions, List<String> args) {
    List<String> command =
        TestingJvm.command(System.getProperty("java.class.path"), main, jvmOptions);
    command.addAll(args);
    try {
      long now = System.nanoTime();
      long millis = System.currentTimeMillis();
      Process p =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new TestingDriverProcess(p, now, millis, log);
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
  public long startedNanos() {
    return startedNanos;
  }

  /** The operating system's id of the process. */
  public long pid() {
    return process.pid();
  }

  /**
   * The next batch the driver completed, waiting at most {@code timeoutMillis}.
   *
   * @throws AssertionError if the driver exits or the time runs out first
   */
  public BatchDone nextBatchDone(long timeoutMillis) throws InterruptedException {
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

  /**
   * The first batch the driver completed of those it planned itself, at or after its start on the
   * system clock: the batches before it are the recovery's, replays of logged plans and the batch
   * times of the downtime.
   *
   * @throws AssertionError if the driver exits or the time runs out first
   */
  public BatchDone firstOwnBatchDone(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        fail(
            "driver "
                + pid()
                + " completed no batch of its own within "
                + timeoutMillis
                + " ms; see "
                + log);
      }
      BatchDone next = nextBatchDone(left);
      if (next.batchTime() >= startedMillis) {
        return next;
      }
    }
  }

  /** Whether the driver has reported any batch done. */
  public boolean hasReportedABatch() {
    return reportedABatch;
  }

  /**
   * Kills the driver with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits until it
   * is gone.
   *
   * @return when the signal was sent, on {@link System#nanoTime()}
   */
  public long kill() throws InterruptedException {
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
  public int terminate(long timeoutMillis) throws InterruptedException {
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
