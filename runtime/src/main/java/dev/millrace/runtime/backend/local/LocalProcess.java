package dev.millrace.runtime.backend.local;

import dev.millrace.crds.ExecutorSpec;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.launch.JvmHeap;
import dev.millrace.crds.launch.LaunchArguments;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.runtime.logs.LogLimits;
import dev.millrace.runtime.logs.ProcessLogging;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A driver attempt or an executor as an operating-system process: {@code java … Millrace driver
 * --spec …} or {@code java … Millrace executor --driver …}, logging into its file of the run's
 * {@link RunLogs}, which it rolls itself ({@link LogLimits#LOG_FILE_PROPERTY}), so its log goes on
 * even if {@code millrace run} dies: its log lines and what it prints, through its logging, and
 * what its JVM writes itself (start-up errors, a crash report) appended to the same file. SIGTERM
 * asks it to stop gracefully; SIGKILL ends it and anything it started.
 */
final class LocalProcess {
  /** 128 + the signal number, as a shell reports a process ended by a signal. */
  private static final int SIGKILL_EXIT = 128 + 9;

  private static final int SIGTERM_EXIT = 128 + 15;

  /**
   * {@code setsid} (util-linux), which starts a driver or executor in a session and process group
   * of its own, so that a terminal's Ctrl-C reaches only {@code millrace run}, which stops them
   * with one SIGTERM, and not them nor what they fork (Hadoop's {@code chmod}, which a SIGINT
   * killed mid-batch). The JDK cannot call setsid(2) itself. Without it (macOS), they stay in
   * {@code millrace run}'s group: a Ctrl-C reaches them directly too, and they stop gracefully on
   * it. A child of the JDK is never a process group leader, so setsid execs the JVM in place (no
   * fork): the pid started is the JVM's.
   */
  static final Optional<Path> SETSID = findOnPath("setsid");

  private final String name;
  private final int attempt;
  private final Process process;
  private final Path log;
  private final Path addressFile;
  // Set before the first signal this supervisor sends, read by the JDK's exit callback thread.
  private volatile boolean signalled;

  private LocalProcess(String name, int attempt, Process process, Path log, Path addressFile) {
    this.name = name;
    this.attempt = attempt;
    this.process = process;
    this.log = log;
    this.addressFile = addressFile;
  }

  /**
   * Starts attempt {@code attempt} of the application's driver, launched by the supervisor {@code
   * supervisionId}, reading the spec in {@code specFile}, listening for executors on {@code
   * executorPort}, on the options' bind address, and logging into {@code log}.
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
      Path log,
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
            "--bind-address",
            options.bindAddress(),
            "--executor-port",
            String.valueOf(executorPort),
            "--supervisor-pid",
            String.valueOf(ProcessHandle.current().pid())));
    Map<String, String> env = environment(app.getSpec().getDriver().getEnv());
    env.put("MILLRACE_DRIVER_ATTEMPT", String.valueOf(attempt));
    env.put(ProcessLogging.APP_VARIABLE, app.getMetadata().getName());
    String name = "driver-" + attempt;
    Process process = start(app.getSpec().getDriver().getMemory(), args, env, log, options);
    return new LocalProcess(name, attempt, process, log, addressFile);
  }

  /**
   * Starts executor {@code executorId} of the application, registering with the driver on {@code
   * executorPort} of this machine, at the address the driver listens on, and logging into {@code
   * log}.
   *
   * @throws IOException if the process cannot be started
   */
  static LocalProcess startExecutor(
      StreamingApp app,
      Path specFile,
      String executorId,
      int executorPort,
      Path log,
      LocalRunOptions options)
      throws IOException {
    ExecutorSpec executor = app.getSpec().getExecutor();
    List<String> args =
        LaunchArguments.executor(
            app, executorId, options.driverHost() + ":" + executorPort, specFile.toString());
    args.add("--supervisor-pid");
    args.add(String.valueOf(ProcessHandle.current().pid()));
    Map<String, String> env = environment(executor.getEnv());
    env.put(ProcessLogging.APP_VARIABLE, app.getMetadata().getName());
    Process process = start(executor.getMemory(), args, env, log, options);
    return new LocalProcess(executorId, 0, process, log, null);
  }

  private static Process start(
      String memory, List<String> args, Map<String, String> env, Path log, LocalRunOptions options)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    SETSID.ifPresent(setsid -> command.add(setsid.toString()));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.jvmOptions());
    command.add(JvmHeap.option(memory));
    command.add("-D" + LogLimits.LOG_FILE_PROPERTY + "=" + log);
    command.add("-cp");
    command.add(options.classPath());
    command.add("dev.millrace.runtime.cli.Millrace");
    command.addAll(args);
    // What the JVM writes before Millrace's main rolls the log, e.g. that the heap is too small.
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    return builder.start();
  }

  private static Optional<Path> findOnPath(String program) {
    String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin:/bin");
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, program))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * The variables {@code vars} of a spec's {@code env}, as the process gets them on top of ours.
   */
  static Map<String, String> environment(List<EnvVar> vars) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : vars) {
      env.put(var.getName(), var.getValue() == null ? "" : var.getValue());
    }
    return env;
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
    return process.onExit().thenApply(p -> classify(p.exitValue(), signalled));
  }

  /** Asks the driver to stop gracefully: SIGTERM. */
  void terminate() {
    signalled = true;
    process.destroy();
  }

  /** Ends the driver and every process it started: SIGKILL. */
  void kill() {
    signalled = true;
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /**
   * How a local driver's exit code reads to the Supervisor: the launch contract's codes, and the
   * signals that end a process on this machine. A SIGTERM or SIGKILL death is {@link
   * FailureClass#REQUESTED} if this supervisor had signalled the process (a JVM still starting has
   * no SIGTERM handler yet and dies of it); one nobody here sent is the kernel's OOM killer or a
   * user: the application's failure. Any other code keeps its meaning even after a signal: a driver
   * that exits 1 while stopping failed.
   */
  static ExitReport classify(int code, boolean signalled) {
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
    boolean bySignal = code == SIGKILL_EXIT || code == SIGTERM_EXIT;
    return new ExitReport(
        code,
        reason,
        bySignal && signalled ? FailureClass.REQUESTED : FailureClass.ofExitCode(code));
  }
}
