package dev.millrace.runtime.backend.local;

import dev.millrace.crds.ExecutorSpec;
import dev.millrace.crds.SpecMemory;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.launch.LaunchArguments;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A driver attempt or an executor as an operating-system process: {@code java … Millrace driver
 * --spec …} or {@code java … Millrace executor --driver …}, its standard output and error appended
 * to {@code logs/<name>.log} in the run directory. SIGTERM asks it to stop gracefully; SIGKILL ends
 * it and anything it started.
 */
final class LocalProcess {
  /** 128 + the signal number, as a shell reports a process ended by a signal. */
  private static final int SIGKILL_EXIT = 128 + 9;

  private static final int SIGTERM_EXIT = 128 + 15;

  private final String name;
  private final int attempt;
  private final Process process;
  private final Path log;
  private final Path addressFile;

  private LocalProcess(String name, int attempt, Process process, Path log, Path addressFile) {
    this.name = name;
    this.attempt = attempt;
    this.process = process;
    this.log = log;
    this.addressFile = addressFile;
  }

  /**
   * Starts attempt {@code attempt} of the application's driver, launched by the supervisor {@code
   * supervisionId}, reading the spec in {@code specFile} and listening for executors on {@code
   * executorPort}.
   *
   * @throws IOException if the process cannot be started
   */
  static LocalProcess startDriver(
      StreamingApp app,
      Path specFile,
      int attempt,
      String supervisionId,
      int executorPort,
      boolean freshCheckpoint,
      Path runDirectory,
      LocalRunOptions options)
      throws IOException {
    Path addressFile = runDirectory.resolve("driver-" + attempt + ".address");
    Files.deleteIfExists(addressFile);
    List<String> args =
        LaunchArguments.driver(specFile.toString(), attempt, freshCheckpoint, supervisionId);
    args.addAll(
        List.of(
            "--address-file",
            addressFile.toString(),
            "--executor-port",
            String.valueOf(executorPort),
            "--supervisor-pid",
            String.valueOf(ProcessHandle.current().pid())));
    Map<String, String> env = environment(app.getSpec().getDriver().getEnv());
    env.put("MILLRACE_DRIVER_ATTEMPT", String.valueOf(attempt));
    String name = "driver-" + attempt;
    Process process =
        start(name, app.getSpec().getDriver().getMemory(), args, env, runDirectory, options);
    return new LocalProcess(name, attempt, process, log(runDirectory, name), addressFile);
  }

  /**
   * Starts executor {@code executorId} of the application, registering with the driver on {@code
   * executorPort} of this machine.
   *
   * @throws IOException if the process cannot be started
   */
  static LocalProcess startExecutor(
      StreamingApp app,
      Path specFile,
      String executorId,
      int executorPort,
      Path runDirectory,
      LocalRunOptions options)
      throws IOException {
    ExecutorSpec executor = app.getSpec().getExecutor();
    List<String> args =
        LaunchArguments.executor(app, executorId, "127.0.0.1:" + executorPort, specFile.toString());
    args.add("--supervisor-pid");
    args.add(String.valueOf(ProcessHandle.current().pid()));
    Process process =
        start(
            executorId,
            executor.getMemory(),
            args,
            environment(executor.getEnv()),
            runDirectory,
            options);
    return new LocalProcess(executorId, 0, process, log(runDirectory, executorId), null);
  }

  private static Process start(
      String name,
      String memory,
      List<String> args,
      Map<String, String> env,
      Path runDirectory,
      LocalRunOptions options)
      throws IOException {
    Path log = log(runDirectory, name);
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.jvmOptions());
    command.add("-Xmx" + heapMegabytes(memory) + "m");
    command.add("-cp");
    command.add(options.classPath());
    command.add("dev.millrace.runtime.cli.Millrace");
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    return builder.start();
  }

  private static Path log(Path runDirectory, String name) {
    return runDirectory.resolve("logs").resolve(name + ".log");
  }

  private static Map<String, String> environment(List<EnvVar> vars) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : vars) {
      env.put(var.getName(), var.getValue() == null ? "" : var.getValue());
    }
    return env;
  }

  /**
   * The heap for a container of {@code memory}: three quarters, leaving room for metaspace, thread
   * stacks and direct buffers, as a container's memory limit would require.
   */
  static long heapMegabytes(String memory) {
    return Math.max(64, SpecMemory.bytes(memory) * 3 / 4 / (1 << 20));
  }

  /** {@code driver-<attempt>} or the executor's id. */
  String name() {
    return name;
  }

  /** The driver attempt; 0 for an executor. */
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
    if (addressFile == null) {
      return Optional.empty();
    }
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
          case FailureClass.INCOMPATIBLE_CHECKPOINT_EXIT_CODE -> "IncompatibleCheckpoint";
          case FailureClass.DAMAGED_CHECKPOINT_EXIT_CODE -> "DamagedCheckpoint";
          case FailureClass.MISSING_INPUT_EXIT_CODE -> "MissingInput";
          case FailureClass.CHECKPOINT_IN_USE_EXIT_CODE -> "CheckpointInUse";
          case FailureClass.CONFIGURATION_EXIT_CODE -> "BadConfiguration";
          case SIGKILL_EXIT -> "Killed";
          case SIGTERM_EXIT -> "Terminated";
          default -> "Error";
        };
    return new ExitReport(code, reason, FailureClass.ofExitCode(code));
  }
}
