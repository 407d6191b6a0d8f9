package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.runtime.cli.Millrace;
import dev.millrace.streaming.TestingJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code millrace driver <args>} in a JVM of its own, on a class path the test chooses, with the
 * current {@code java}; its output and errors go to a log file.
 */
public final class TestingDriverJvm implements AutoCloseable {
  private static final long TIMEOUT_MS = 60_000;
  private static final DriverStatusClient STATUS = new DriverStatusClient(Duration.ofSeconds(2));

  private final Process process;
  private final Path log;

  private TestingDriverJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code millrace driver args} on {@code classPath}, logging to {@code log}. */
  static TestingDriverJvm start(String classPath, Path log, List<String> args) {
    return start(classPath, List.of(), log, args);
  }

  /** As {@link #start(String, Path, List)}, the JVM started with {@code jvmOptions}. */
  static TestingDriverJvm start(
      String classPath, List<String> jvmOptions, Path log, List<String> args) {
    List<String> command = TestingJvm.command(classPath, Millrace.class, jvmOptions);
    command.add("driver");
    command.addAll(args);
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new TestingDriverJvm(p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the driver: " + command, e);
    }
  }

  /**
   * Starts attempt 1 of the driver of {@code spec} on {@code classPath}, listening for executors:
   * its log is {@code dir/driver.log}, its status address goes to {@code dir/address} and its
   * executor address to {@code dir/executor-address}.
   */
  public static TestingDriverJvm startAcceptingExecutors(String classPath, Path dir, Path spec) {
    return startAcceptingExecutors(classPath, dir, spec, 1, 0);
  }

  /**
   * Starts {@code attempt} of the driver of {@code spec} on {@code classPath}, listening for
   * executors on {@code executorPort} (0 for any free port), with its log and address files in
   * {@code dir} as {@link #startAcceptingExecutors(String, Path, Path)} names them: a restarted
   * driver on the port of the one before is found again by that one's executors.
   */
  public static TestingDriverJvm startAcceptingExecutors(
      String classPath, Path dir, Path spec, int attempt, int executorPort) {
    return start(
        classPath,
        dir.resolve("driver.log"),
        List.of(
            "--spec",
            spec.toString(),
            "--attempt",
            String.valueOf(attempt),
            "--address-file",
            dir.resolve("address").toString(),
            "--executor-port",
            String.valueOf(executorPort),
            "--executor-address-file",
            dir.resolve("executor-address").toString()));
  }

  /** What the driver has written to its output and errors so far. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The driver process's id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the driver to exit by itself and returns its exit code. */
  int awaitExit(long timeoutMillis) throws InterruptedException {
    if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
      fail("driver " + process.pid() + " did not exit within " + timeoutMillis + " ms; see " + log);
    }
    return process.exitValue();
  }

  /**
   * The {@code host:port} the driver writes to {@code file}, waiting up to a minute.
   *
   * @throws AssertionError if the driver exits or the time runs out first
   */
  public String awaitAddress(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (!Files.exists(file)) {
      if (!isAlive() || System.nanoTime() > deadline) {
        fail("the driver wrote no address to " + file + "; its log:\n" + log());
      }
      Thread.sleep(20);
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The first status the driver at {@code address} reports that meets {@code condition}, polling
   * for up to a minute.
   *
   * @throws AssertionError if the driver exits or the time runs out first
   */
  public DriverStatusReport awaitStatus(String address, Predicate<DriverStatusReport> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    Optional<DriverStatusReport> last = Optional.empty();
    while (System.nanoTime() < deadline && isAlive()) {
      last = STATUS.poll(address);
      if (last.isPresent() && condition.test(last.get())) {
        return last.get();
      }
      Thread.sleep(50);
    }
    return fail("the driver's status never met the condition; last " + last + "\n" + log());
  }

  /** Sends SIGTERM ({@link Process#destroy()} on Linux) and returns the exit code. */
  public int terminate(long timeoutMillis) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
      fail("driver " + process.pid() + " did not stop within " + timeoutMillis + " ms of SIGTERM");
    }
    return process.exitValue();
  }

  /** Sends SIGKILL ({@link Process#destroyForcibly()}) and waits for the process to end. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      fail("driver " + process.pid() + " did not end within " + TIMEOUT_MS + " ms of SIGKILL");
    }
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
