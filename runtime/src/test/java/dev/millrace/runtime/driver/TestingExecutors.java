package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.executor.TestingExecutorJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The executor processes ({@link TestingExecutorJvm}) of one application a driver test starts, each
 * with two cores, logging to {@code <id>.log} in a directory, and all killed when closed.
 */
public final class TestingExecutors implements AutoCloseable {
  private final Path logDirectory;
  private final Path spec;
  private final String app;
  private final List<Process> processes = new ArrayList<>();

  /**
   * Executors of the application {@code app} of {@code spec}, logging into {@code logDirectory}.
   */
  public TestingExecutors(Path logDirectory, Path spec, String app) {
    this.logDirectory = logDirectory;
    this.spec = spec;
    this.app = app;
  }

  /** Starts executor {@code id}, registering with the driver at {@code driverAddress}. */
  public Process start(String driverAddress, String id) throws IOException {
    return start(driverAddress, id, Map.of());
  }

  /** {@link #start(String, String)} with {@code env} added to the executor's environment. */
  Process start(String driverAddress, String id, Map<String, String> env) throws IOException {
    return start(driverAddress, id, env, List.of());
  }

  /**
   * {@link #start(String, String)} serving Prometheus metrics on a free port, which {@link
   * #awaitMetricsAddress} reads from the executor's log.
   */
  public Process startServingMetrics(String driverAddress, String id) throws IOException {
    return start(driverAddress, id, Map.of(), List.of("--metrics-port", "0"));
  }

  private Process start(String driverAddress, String id, Map<String, String> env, List<String> more)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--driver",
                driverAddress,
                "--app",
                app,
                "--spec",
                spec.toString(),
                "--id",
                id,
                "--cores",
                "2"));
    args.addAll(more);
    Process executor =
        TestingExecutorJvm.start(
            logDirectory.resolve(id + ".log"), env, args.toArray(String[]::new));
    processes.add(executor);
    return executor;
  }

  /** The host:port executor {@code id} logged that it serves its metrics at. */
  public String awaitMetricsAddress(String id) throws IOException, InterruptedException {
    Pattern serves = Pattern.compile("serves its Prometheus metrics at http://([^/\\s]+)/metrics");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Path log = logDirectory.resolve(id + ".log");
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        Matcher found = serves.matcher(Files.readString(log));
        if (found.find()) {
          return found.group(1);
        }
      }
      Thread.sleep(50);
    }
    return fail("executor " + id + " never said where it serves its metrics; its log:\n" + log);
  }

  /** The process ids of the executors started, sorted. */
  public List<Long> pids() {
    return processes.stream().map(Process::pid).sorted().toList();
  }

  /** Kills every executor started. */
  @Override
  public void close() throws InterruptedException {
    for (Process executor : processes) {
      executor.destroyForcibly();
      executor.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
