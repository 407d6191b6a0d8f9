package dev.millrace.runtime.driver;

import dev.millrace.runtime.launch.Flags;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The flags of {@code millrace driver}, declared once each: what every backend passes to start a
 * driver (the launch contract), read into {@link DriverOptions}.
 */
@Command(
    name = "driver",
    description =
        """
        run the StreamingApp in <file> as its driver, as every backend starts it; serves
        GET /healthz and /api/v1/status, accepts executors, and stops gracefully on SIGTERM""")
public final class DriverFlags {
  @Option(
      names = "--spec",
      paramLabel = "<file>",
      required = true,
      description = "the StreamingApp YAML file to run")
  Path spec;

  @Option(
      names = "--attempt",
      paramLabel = "N",
      converter = Flags.AtLeastOne.class,
      description = "the driver attempt, counted by the backend from 1: the driver epoch")
  int attempt = 1;

  @Option(
      names = "--supervision-id",
      paramLabel = "ID",
      description =
          "which supervisor launched the driver (one id for all its attempts): a newer attempt"
              + " of the same supervisor takes the checkpoint's lease over at once")
  String supervisionId;

  @Option(
      names = "--bind-address",
      paramLabel = "A",
      description =
          "an address of this machine to listen on, 0.0.0.0 for every interface (default "
              + DriverOptions.LOOPBACK
              + ": this machine only)")
  String bindAddress = DriverOptions.LOOPBACK;

  @Option(
      names = "--http-port",
      paramLabel = "P",
      converter = Flags.Port.class,
      description = "the port of GET /healthz, /api/v1/status and /metrics (default 0: a free one)")
  int httpPort;

  @Option(
      names = "--address-file",
      paramLabel = "F",
      description = "a file the status endpoint's host:port is written to once it listens")
  Path addressFile;

  @Option(
      names = "--executor-port",
      paramLabel = "E",
      converter = Flags.Port.class,
      description = "the port executors register on (default 0: a free one)")
  int executorPort;

  @Option(
      names = "--executor-address-file",
      paramLabel = "G",
      description = "a file the executor endpoint's host:port is written to once it listens")
  Path executorAddressFile;

  @Option(
      names = "--supervisor-pid",
      paramLabel = "PID",
      converter = Flags.ProcessId.class,
      description = "a local supervisor's process id: the driver stops gracefully when it ends")
  Long supervisorPid;

  @Option(
      names = "--fresh-checkpoint",
      description = "move the checkpoint directory aside first and start without state")
  boolean freshCheckpoint;

  /** The options read. */
  DriverOptions options() {
    return new DriverOptions(
        spec,
        attempt,
        bindAddress,
        httpPort,
        addressFile,
        supervisorPid,
        executorPort,
        executorAddressFile,
        freshCheckpoint,
        supervisionId);
  }
}
