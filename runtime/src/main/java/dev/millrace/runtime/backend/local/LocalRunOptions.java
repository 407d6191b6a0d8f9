package dev.millrace.runtime.backend.local;

import dev.millrace.runtime.driver.DriverOptions;
import dev.millrace.streaming.ConfigurationException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How {@code millrace run} supervises on this machine.
 *
 * @param runDirectory where the resolved spec, the driver logs and the lock live; {@code null}
 *     means {@code .millrace/<app name>} in the working directory
 * @param classPath the class path of the driver JVMs (the runtime and the application)
 * @param jvmOptions extra options for the driver JVMs, before the heap size taken from the spec
 * @param bindAddress the address the driver listens on for its status and its executors: {@value
 *     DriverOptions#LOOPBACK} by default, so that nothing of a development run is reachable from
 *     the network; {@code 0.0.0.0} or an address of this machine opens it to other hosts
 * @param pollInterval how often the driver's status endpoint is read
 * @param progressInterval at most one batch progress line per this long (events always print)
 * @param out where progress lines go
 * @param clock the time of the Supervisor's events
 * @param keptRuns the logs of how many runs are kept in {@code logs/} of the run directory, the
 *     current one included
 */
public record LocalRunOptions(
    Path runDirectory,
    String classPath,
    List<String> jvmOptions,
    String bindAddress,
    Duration pollInterval,
    Duration progressInterval,
    PrintStream out,
    Clock clock,
    int keptRuns) {

  /** The logs of this many runs are kept unless {@code --keep-runs} says otherwise. */
  public static final int DEFAULT_KEPT_RUNS = 10;

  /** Requires the logs of at least this run to be kept. */
  public LocalRunOptions {
    if (keptRuns < 1) {
      throw new ConfigurationException(
          "the logs of at least 1 run must be kept (--keep-runs), got " + keptRuns);
    }
  }

  /** The defaults of the {@code millrace run} command: this JVM's class path, stdout. */
  public static LocalRunOptions defaults() {
    return new LocalRunOptions(
        null,
        System.getProperty("java.class.path"),
        List.of(),
        DriverOptions.LOOPBACK,
        Duration.ofMillis(500),
        Duration.ofSeconds(5),
        System.out,
        Clock.systemUTC(),
        DEFAULT_KEPT_RUNS);
  }

  /** These options keeping the logs of the newest {@code keptRuns} runs. */
  public LocalRunOptions withKeptRuns(int keptRuns) {
    return new LocalRunOptions(
        runDirectory,
        classPath,
        jvmOptions,
        bindAddress,
        pollInterval,
        progressInterval,
        out,
        clock,
        keptRuns);
  }

  /** These options with {@code runDirectory}. */
  public LocalRunOptions withRunDirectory(Path runDirectory) {
    return new LocalRunOptions(
        runDirectory,
        classPath,
        jvmOptions,
        bindAddress,
        pollInterval,
        progressInterval,
        out,
        clock,
        keptRuns);
  }

  /** These options with {@code jvmOptions}. */
  public LocalRunOptions withJvmOptions(List<String> jvmOptions) {
    return new LocalRunOptions(
        runDirectory,
        classPath,
        List.copyOf(jvmOptions),
        bindAddress,
        pollInterval,
        progressInterval,
        out,
        clock,
        keptRuns);
  }

  /** These options with the driver listening on {@code bindAddress}. */
  public LocalRunOptions withBindAddress(String bindAddress) {
    return new LocalRunOptions(
        runDirectory,
        classPath,
        jvmOptions,
        bindAddress,
        pollInterval,
        progressInterval,
        out,
        clock,
        keptRuns);
  }

  /** These options printing a batch line at most every {@code progressInterval}. */
  public LocalRunOptions withProgressInterval(Duration progressInterval) {
    return new LocalRunOptions(
        runDirectory,
        classPath,
        jvmOptions,
        bindAddress,
        pollInterval,
        progressInterval,
        out,
        clock,
        keptRuns);
  }

  /** These options printing to {@code out}. */
  public LocalRunOptions withOut(PrintStream out) {
    return new LocalRunOptions(
        runDirectory,
        classPath,
        jvmOptions,
        bindAddress,
        pollInterval,
        progressInterval,
        out,
        clock,
        keptRuns);
  }

  /**
   * Where an executor on this machine finds a driver listening on {@link #bindAddress}: that
   * address, or the loopback one when the driver listens on every interface.
   */
  String driverHost() {
    return bindAddress.equals("0.0.0.0") || bindAddress.equals("::")
        ? DriverOptions.LOOPBACK
        : bindAddress;
  }
}
