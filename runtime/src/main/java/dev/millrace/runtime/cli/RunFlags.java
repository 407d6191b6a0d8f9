package dev.millrace.runtime.cli;

import dev.millrace.runtime.backend.local.LocalRunOptions;
import dev.millrace.runtime.driver.DriverOptions;
import dev.millrace.runtime.launch.Flags;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The flags of {@code millrace run}, the local backend, declared once each. */
@Command(
    name = "run",
    description =
        """
        run and supervise a StreamingApp spec with driver and executor processes on this
        machine: restarts from the checkpoint per its restartPolicy; Ctrl-C stops it gracefully
        (twice: kills the driver). The run directory holds the resolved spec, status.yaml and
        logs/<start>/, a log per driver attempt and executor.""")
final class RunFlags {
  @Parameters(
      index = "0",
      paramLabel = "app.yaml",
      arity = "1",
      description = "the StreamingApp spec to run")
  Path spec;

  @Option(
      names = "--run-dir",
      paramLabel = "DIR",
      description = "a directory for the run's files and logs (default .millrace/<name>)")
  Path runDirectory;

  @Option(
      names = "--keep-runs",
      paramLabel = "N",
      converter = Flags.RunsToKeep.class,
      description = "how many runs' logs to keep, the newest (default 10)")
  Integer keptRuns;

  @Option(
      names = "--bind-address",
      paramLabel = "A",
      description =
          "an address of this machine, e.g. 0.0.0.0 for every interface, that the driver listens"
              + " on (default "
              + DriverOptions.LOOPBACK
              + ": this machine only)")
  String bindAddress;

  /** {@code options} with the flags given set. */
  LocalRunOptions applyTo(LocalRunOptions options) {
    LocalRunOptions applied = options.withRunDirectory(runDirectory);
    if (keptRuns != null) {
      applied = applied.withKeptRuns(keptRuns);
    }
    return bindAddress == null ? applied : applied.withBindAddress(bindAddress);
  }
}
