package dev.millrace.runtime.executor;

import dev.millrace.runtime.cluster.DriverLocator;
import dev.millrace.runtime.config.ContainerEnvironment;
import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.launch.Flags;
import dev.millrace.runtime.launch.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a backend starts an executor, the same flags on every backend ({@link ExecutorFlags} declares
 * them). {@code --spec} is the spec file the driver reads: without it the executor registers but
 * cannot run tasks. {@code --driver-address-file} names a file on any Hadoop file system holding
 * the driver's {@code host:port}, read again before every connection attempt, for backends where a
 * restarted driver listens elsewhere.
 *
 * @param driver where the driver's executor endpoint is
 * @param app the application's name; a driver of another application rejects the executor
 * @param executorId the executor's id, stable across its re-registrations
 * @param cores task slots offered to the driver
 * @param memoryBytes memory offered to the driver
 * @param driverTimeout how long the executor waits for a driver to answer before it exits with 1
 * @param spec the driver's spec file, from which the executor loads the application; null if none
 * @param supervisorPid a local supervisor's process id, or null: the executor exits 0 when that
 *     process ends, so a supervisor that dies never leaves executors behind
 * @param metricsPort the port of the executor's Prometheus metrics (0 for a free one), or null for
 *     none
 */
public record ExecutorOptions(
    DriverLocator driver,
    String app,
    String executorId,
    int cores,
    long memoryBytes,
    Duration driverTimeout,
    Path spec,
    Long supervisorPid,
    Integer metricsPort) {

  /** The default of {@code --driver-timeout}. */
  public static final Duration DEFAULT_DRIVER_TIMEOUT = Duration.ofMinutes(5);

  /**
   * Reads the options in {@code args}.
   *
   * @throws UsageException if one is missing, unknown or malformed
   */
  public static ExecutorOptions parse(List<String> args) {
    ExecutorFlags flags = Flags.parse(new ExecutorFlags(), args);
    if ((flags.driver == null) == (flags.driverAddressFile == null)) {
      throw new UsageException(
          "executor needs either --driver <host:port> (the driver's executor address) or"
              + " --driver-address-file <uri> (a file holding it), and --app <name>");
    }
    DriverLocator locator =
        flags.driver != null ? fixedLocator(flags.driver) : fileLocator(flags.driverAddressFile);
    return new ExecutorOptions(
        locator,
        flags.app,
        flags.id,
        flags.cores,
        flags.memoryBytes,
        flags.driverTimeout,
        flags.spec,
        flags.supervisorPid,
        flags.metricsPort != null ? flags.metricsPort : metricsPortFrom(System.getenv()));
  }

  /**
   * The port {@link ContainerEnvironment#METRICS_PORT} names in {@code env}, or null if unset.
   *
   * @throws UsageException if it is not a port
   */
  static Integer metricsPortFrom(Map<String, String> env) {
    String value = env.get(ContainerEnvironment.METRICS_PORT.name());
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return new Flags.Port().convert(value.strip());
    } catch (RuntimeException e) {
      throw new UsageException(
          ContainerEnvironment.METRICS_PORT.name()
              + " must be a port from 0 to 65535 (0: a free one), got '"
              + value
              + "'; fix it in spec.executor.env");
    }
  }

  private static DriverLocator fixedLocator(String driver) {
    int colon = driver.lastIndexOf(':');
    int port;
    try {
      port = colon < 1 ? -1 : Integer.parseInt(driver.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new UsageException(
          "--driver takes host:port, e.g. 10.0.0.7:7077, got '" + driver + "'");
    }
    return DriverLocator.at(driver.substring(0, colon), port);
  }

  private static DriverLocator fileLocator(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new UsageException(
          "--driver-address-file takes a file URI such as hdfs://nn:8020/apps/a/driver.address,"
              + " got '"
              + uri
              + "': "
              + e.getMessage());
    }
    if (parsed.getScheme() == null) {
      parsed = Path.of(uri).toAbsolutePath().toUri();
    }
    return DriverLocator.inFile(parsed, StreamingOptions.hadoopConfiguration());
  }
}
