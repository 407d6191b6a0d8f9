package dev.millrace.runtime.backend.local;

import dev.millrace.crds.SpecMemory;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One driver attempt as an operating-system process: {@code java … Millrace driver --spec …}, its
 * standard output and error appended to {@code logs/driver-<attempt>.log} in the run directory.
 * SIGTERM asks it to stop gracefully; SIGKILL ends it and anything it started.
 */
final class LocalDriverProcess {
  /** 128 + the signal number, as a shell reports a process ended by a signal. */
  private static final int SIGKILL_EXIT = 128 + 9;

  private static final int SIGTERM_EXIT = 128 + 15;

  private final int attempt;
  private final Process process;
  private final Path log;
  private final Path addressFile;

  private LocalDriverProcess(int attempt, Process process, Path log, Path addressFile) {
    this.attempt = attempt;
    this.process = process;
    this.log = log;
    this.addressFile = addressFile;
  }

  /**
   * Starts attempt {@code attempt} of the application in {@code specFile}.
   *
   * @throws IOException if the process cannot be started
   */
  static LocalDriverProcess start(
      StreamingApp app, Path specFile, int attempt, Path runDirectory, LocalRunOptions options)
      throws IOException {
    Path logs = Files.createDirectories(runDirectory.resolve("logs"));
    Path log = logs.resolve("driver-" + attempt + ".log");
    Path addressFile = runDirectory.resolve("driver-" + attempt + ".address");
    Files.deleteIfExists(addressFile);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.jvmOptions());
    command.add("-Xmx" + heapMegabytes(app.getSpec().getDriver().getMemory()) + "m");
    command.add("-cp");
    command.add(options.classPath());
    command.add("dev.millrace.runtime.cli.Millrace");
    command.add("driver");
    command.add("--spec");
    command.add(specFile.toString());
    command.add("--attempt");
    command.add(String.valueOf(attempt));
    command.add("--address-file");
    command.add(addressFile.toString());
    command.add("--supervisor-pid");
    command.add(String.valueOf(ProcessHandle.current().pid()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    for (EnvVar env : app.getSpec().getDriver().getEnv()) {
      builder.environment().put(env.getName(), env.getValue() == null ? "" : env.getValue());
    }
    builder.environment().put("MILLRACE_DRIVER_ATTEMPT", String.valueOf(attempt));
    return new LocalDriverProcess(attempt, builder.start(), log, addressFile);
  }

  /**
   * The heap for a container of {@code memory}: three quarters, leaving room for metaspace, thread
   * stacks and direct buffers, as a container's memory limit would require.
   */
  static long heapMegabytes(String memory) {
    return Math.max(64, SpecMemory.bytes(memory) * 3 / 4 / (1 << 20));
  }

  int attempt() {
    return attempt;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** {@code host:port} of the driver's status endpoint, once it has written it. */
  Optional<String> statusAddress() {
    try {
      return Files.exists(addressFile)
          ? Optional.of(Files.readString(addressFile, StandardCharsets.UTF_8).trim())
              .filter(s -> !s.isEmpty())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Completes with how the process ended, on a thread of the JDK's. */
  CompletableFuture<ExitReport> onExit() {
    return process.onExit().thenApply(p -> classify(p.exitValue()));
  }

  /** Asks the driver to stop gracefully: SIGTERM. */
  void terminate() {
    process.destroy();
  }

  /** Ends the driver and every process it started: SIGKILL. */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /**
   * How a local driver's exit code reads to the Supervisor: the launch contract's codes, and the
   * signals that end a process on this machine (a SIGKILL nobody here sent is the kernel's OOM
   * killer or a user: the application's failure).
   */
  static ExitReport classify(int code) {
    String reason =
        switch (code) {
          case 0 -> "Completed";
          case 65 -> "IncompatibleCheckpoint";
          case 78 -> "BadConfiguration";
          case SIGKILL_EXIT -> "Killed";
          case SIGTERM_EXIT -> "Terminated";
          default -> "Error";
        };
    return new ExitReport(code, reason, FailureClass.ofExitCode(code));
  }
}
