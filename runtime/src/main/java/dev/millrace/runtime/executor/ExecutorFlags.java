package dev.millrace.runtime.executor;

import dev.millrace.crds.SpecDurations;
import dev.millrace.crds.SpecMemory;
import dev.millrace.runtime.launch.Flags;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The flags of {@code millrace executor}, declared once each: what every backend passes to start an
 * executor (the launch contract), read into {@link ExecutorOptions}.
 */
@Command(
    name = "executor",
    description =
        """
        register with the driver and heartbeat; re-register when it restarts; with the driver's
        spec, run the map side of its shuffles and own partitions of its keyed state; exit 1
        when no driver answers for the timeout, 0 when the supervisor's process ends""")
public final class ExecutorFlags {
  @Option(
      names = "--driver",
      paramLabel = "<host:port>",
      description = "the driver's executor address; or give --driver-address-file")
  String driver;

  @Option(
      names = "--driver-address-file",
      paramLabel = "<uri>",
      description =
          "a file on any Hadoop file system holding the driver's host:port, read again before"
              + " every connection attempt (for backends where a restarted driver listens"
              + " elsewhere); or give --driver")
  String driverAddressFile;

  @Option(
      names = "--app",
      paramLabel = "<name>",
      required = true,
      description = "the application's name; a driver of another application rejects the executor")
  String app;

  @Option(
      names = "--spec",
      paramLabel = "<file>",
      description =
          "the driver's spec file, from which the executor loads the application; without it"
              + " the executor registers but cannot run tasks")
  Path spec;

  @Option(
      names = "--id",
      paramLabel = "exec-1",
      description = "the executor's id, stable across re-registrations (default exec-<pid>)")
  String id = "exec-" + ProcessHandle.current().pid();

  @Option(
      names = "--cores",
      paramLabel = "N",
      converter = Flags.AtLeastOne.class,
      description = "task slots offered to the driver (default: this machine's processors)")
  int cores = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--memory",
      paramLabel = "1Gi",
      converter = Memory.class,
      description = "memory offered to the driver (default: this JVM's maximum heap)")
  long memoryBytes = Runtime.getRuntime().maxMemory();

  @Option(
      names = "--driver-timeout",
      paramLabel = "5m",
      converter = Timeout.class,
      description = "how long to wait for a driver to answer before exiting with 1 (default 5m)")
  Duration driverTimeout = ExecutorOptions.DEFAULT_DRIVER_TIMEOUT;

  @Option(
      names = "--supervisor-pid",
      paramLabel = "PID",
      converter = Flags.ProcessId.class,
      description = "a local supervisor's process id: the executor exits 0 when it ends")
  Long supervisorPid;

  @Option(
      names = "--metrics-port",
      paramLabel = "P",
      converter = Flags.Port.class,
      description =
          "serve Prometheus metrics at GET /metrics on this port, on every interface (0: a free"
              + " one, logged); default: MILLRACE_METRICS_PORT, else none")
  Integer metricsPort;

  /** A quantity of memory as a spec writes it: 512Mi, 1Gi. */
  static final class Memory implements ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      return SpecMemory.bytes(text);
    }
  }

  /** A duration as a spec writes it: 30s, 5m. */
  static final class Timeout implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      return SpecDurations.parse(text);
    }
  }
}
