package dev.millrace.runtime.driver;

import dev.millrace.runtime.executor.TestingExecutorJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    Process executor =
        TestingExecutorJvm.start(
            logDirectory.resolve(id + ".log"),
            env,
            "--driver",
            driverAddress,
            "--app",
            app,
            "--spec",
            spec.toString(),
            "--id",
            id,
            "--cores",
            "2");
    processes.add(executor);
    return executor;
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
