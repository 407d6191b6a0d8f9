package dev.millrace.runtime.backend.local;

import dev.millrace.crds.Phase;
import dev.millrace.crds.SpecDurations;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.supervision.DriverObservation;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.crds.supervision.StatusProjection;
import dev.millrace.crds.supervision.SupervisionBackend;
import dev.millrace.crds.supervision.SupervisionClock;
import dev.millrace.crds.supervision.SupervisionLoop;
import dev.millrace.crds.supervision.Supervisor;
import dev.millrace.crds.supervision.SupervisorAction.GiveUp;
import dev.millrace.crds.supervision.SupervisorAction.KillDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchExecutor;
import dev.millrace.crds.supervision.SupervisorAction.RestartScheduled;
import dev.millrace.crds.supervision.SupervisorAction.StopDriver;
import dev.millrace.crds.supervision.SupervisorAction.StopExecutor;
import dev.millrace.crds.supervision.SupervisorEvent;
import dev.millrace.crds.supervision.SupervisorEvent.BatchCompleted;
import dev.millrace.crds.supervision.SupervisorEvent.DriverExited;
import dev.millrace.crds.supervision.SupervisorEvent.DriverStarted;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorExited;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorStarted;
import dev.millrace.crds.supervision.SupervisorEvent.StopRequested;
import dev.millrace.crds.supervision.SupervisorPolicy;
import dev.millrace.crds.supervision.SupervisorView;
import dev.millrace.runtime.launch.ExitCode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code millrace run}: supervises one {@link StreamingApp} with driver processes on this machine.
 * The {@link Supervisor} decides and a {@link SupervisionLoop} runs it; this class carries its
 * decisions out as the loop's {@link SupervisionBackend} (start, SIGTERM, SIGKILL a driver or
 * executor process), hands it what happened (process exits, the driver's status, stop requests),
 * keeps the run directory, and prints progress.
 *
 * <p>All supervision runs on the thread that calls {@link #run()}; other threads (process exit
 * callbacks, signal handlers) only hand the loop events.
 */
public final class LocalRun {
  private static final Logger LOG = LoggerFactory.getLogger(LocalRun.class);
  // The resource with its status, as the Kubernetes API would return it.
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final String DRIVER_PID = "driver.pid";
  private static final Pattern DRIVER_ADDRESS = Pattern.compile("driver-\\d+\\.address");

  private final LocalApp app;
  private final LocalRunOptions options;
  private final SupervisionLoop loop;
  private final DriverStatusClient statusClient = new DriverStatusClient();
  private final ProgressPrinter progress;
  // Names this invocation to the checkpoint's lease: its next attempt takes over from the last at
  // once, while a driver of another 'millrace run' (another run directory, a copy of the spec) is
  // refused.
  private final String supervisionId = "run-" + UUID.randomUUID();

  // Set once by the thread in run(), read by callers of logDirectory().
  private volatile RunLogs logs;
  // Owned by the thread in run().
  private LocalProcess driver;
  private final Map<String, LocalProcess> executors = new LinkedHashMap<>();
  // Fixed for the whole run, so executors find every driver attempt at the same address.
  private int executorPort;
  // The attempt whose status address was printed last.
  private int announcedAttempt;
  private volatile DriverStatusReport lastReport;
  private volatile StreamingAppStatus status;
  private Instant driverStartTime;
  private Instant lastExitTime;

  private LocalRun(LocalApp app, LocalRunOptions options) {
    this.app = app;
    this.options = options;
    this.loop =
        new SupervisionLoop(
            new Supervisor(SupervisorPolicy.from(app.resource().getSpec())),
            new LocalProcesses(),
            SupervisionClock.of(options.clock()),
            options.pollInterval());
    this.progress =
        new ProgressPrinter(
            options.out(),
            app.name(),
            options.progressInterval(),
            app.resource().getSpec().getExecutor().getInstances());
  }

  /**
   * Reads, validates and resolves the spec in {@code specFile}; nothing is started yet.
   *
   * @throws dev.millrace.crds.validation.InvalidSpecException if the spec is not valid, or names a
   *     jar on this machine that is not there
   */
  public static LocalRun prepare(Path specFile, LocalRunOptions options) {
    return new LocalRun(LocalApp.load(specFile, options.runDirectory()), options);
  }

  /** The application's run directory: resolved spec, status, logs, pid files, lock. */
  public Path runDirectory() {
    return app.runDirectory();
  }

  /**
   * The directory of this run's logs, {@code logs/<start>} in the run directory, once {@link
   * #run()} has created it.
   */
  public Optional<Path> logDirectory() {
    RunLogs current = logs;
    return current == null ? Optional.empty() : Optional.of(current.directory());
  }

  /** What the Supervisor knows, as of the last event handled. */
  public SupervisorView view() {
    return loop.view();
  }

  /** The newest status the current driver reported, if any. */
  public Optional<DriverStatusReport> lastReport() {
    return Optional.ofNullable(lastReport);
  }

  /** Asks for a graceful stop (SIGTERM to the driver, final checkpoint); safe from any thread. */
  public void requestStop() {
    loop.submit(new StopRequested(options.clock().instant()));
  }

  /**
   * Ends the driver now with SIGKILL (a second Ctrl-C), on top of a stop already requested; safe
   * from any thread. The checkpoint stays consistent: the next start replays what was in flight.
   */
  public void requestKill() {
    StopRequested stop = new StopRequested(options.clock().instant());
    loop.execute(
        () -> {
          if (driver != null && driver.isAlive()) {
            driver.kill();
          }
          loop.handle(stop);
        });
  }

  /**
   * Supervises the application until it ends: stopped on request or finished (exit 0), or given up
   * (1, or the driver's own code when a restart cannot help: 65, 66, 74, 75 or 78, see {@link
   * ExitCode}).
   */
  public int run() throws InterruptedException {
    if (app.resource().getSpec().isSuspend()) {
      options
          .out()
          .printf(
              "%s is suspended (spec.suspend: true), so nothing runs; set suspend: false to run it"
                  + " from its checkpoint%n",
              app.name());
      return ExitCode.OK.code();
    }
    try (FileChannel lockFile = lock()) {
      try {
        awaitPreviousDriver();
        logs =
            RunLogs.start(
                app.runDirectory().resolve("logs"), options.clock().instant(), options.keptRuns());
        executorPort = freePort();
        app.writeResolvedSpec();
        Files.writeString(supervisorPidFile(), ProcessHandle.current().pid() + "\n");
        progress.starting(app, logs.directory());
        SupervisorView end = loop.run();
        progress.finished(end);
      } finally {
        if (driver != null && driver.isAlive()) {
          // Only reached when the caller was interrupted: never leave a driver without a
          // supervisor.
          driver.kill();
        }
        stopExecutors();
      }
      removeRunFiles();
      return exitCode(loop.view());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the run directory " + app.runDirectory(), e);
    }
  }

  /**
   * Removes the files that say a run is under way, once every process of this one has ended: the
   * pid files, the drivers' addresses and the lock (still held, so no other run takes it midway). A
   * run that crashes leaves them; the next one checks the pids and takes the lock over.
   */
  private void removeRunFiles() throws IOException {
    Files.deleteIfExists(app.runDirectory().resolve(DRIVER_PID));
    Files.deleteIfExists(supervisorPidFile());
    try (Stream<Path> files = Files.list(app.runDirectory())) {
      for (Path address :
          files
              .filter(p -> DRIVER_ADDRESS.matcher(p.getFileName().toString()).matches())
              .toList()) {
        Files.deleteIfExists(address);
      }
    }
    Files.deleteIfExists(lockFile());
  }

  /**
   * Ends the executors left when supervision ends: they were asked to stop (SIGTERM) when the
   * application ended; whichever has not exited within a few seconds is killed.
   */
  private void stopExecutors() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (LocalProcess executor : executors.values()) {
      executor.terminate();
    }
    for (LocalProcess executor : executors.values()) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        executor.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        executor.kill();
      }
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Writes the application as {@code kubectl get -o yaml} would show it, with the status every
   * backend computes, to {@code status.yaml} in the run directory whenever the status changes.
   */
  private void publishStatus() {
    StreamingAppStatus next =
        StatusProjection.project(
            status,
            loop.view(),
            new DriverObservation(
                driver == null ? null : app.name() + "-driver-" + driver.attempt(),
                driverStartTime,
                lastExitTime,
                lastReport),
            app.resource().getSpec().getExecutor().getInstances(),
            null,
            options.clock().instant());
    if (next.equals(status)) {
      return;
    }
    progress.conditions(status, next);
    app.resource().setStatus(next);
    try {
      Path temp = app.runDirectory().resolve(".status.yaml.tmp");
      Files.writeString(temp, SERIALIZATION.asYaml(app.resource()), StandardCharsets.UTF_8);
      Files.move(
          temp,
          app.runDirectory().resolve("status.yaml"),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot write {}: {}", app.runDirectory().resolve("status.yaml"), e.toString());
    }
    // After the file: whoever sees this status through status() finds status.yaml at least as new.
    status = next;
  }

  /** The status as last written to {@code status.yaml}. */
  public Optional<StreamingAppStatus> status() {
    return Optional.ofNullable(status);
  }

  /**
   * Locks {@code run.lock}. A run that ends deletes the file while it holds its lock, so a run that
   * opened the file before may lock one that is no longer there: it takes the lock only if the path
   * still leads to the file it opened, else it tries again. (The file is compared by identity,
   * never opened a second time: closing any descriptor of a file drops this process's lock on it.)
   */
  private FileChannel lock() throws IOException {
    Files.createDirectories(app.runDirectory());
    while (true) {
      try {
        Files.createFile(lockFile());
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // Left by an earlier run, or being used by another.
      }
      // The file's identity before it is opened: if the path is replaced meanwhile, the check
      // after locking sees a different file and tries again.
      Object before = fileKey(lockFile());
      if (before == null) {
        continue;
      }
      FileChannel channel =
          FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null; // held by another LocalRun in this JVM
      }
      if (lock == null) {
        channel.close();
        throw new AlreadySupervisedException(
            "another 'millrace run' is supervising "
                + app.name()
                + " from "
                + app.runDirectory()
                + "; stop it first (Ctrl-C in its terminal, or kill the pid in "
                + supervisorPidFile()
                + "), or give this run another --run-dir");
      }
      if (isLockFile(before)) {
        return channel;
      }
      channel.close();
    }
  }

  /** Whether {@code run.lock} is the file whose identity is {@code key}. */
  private boolean isLockFile(Object key) throws IOException {
    return key.equals(fileKey(lockFile()));
  }

  /** The identity of {@code file} (device and inode), or null if there is no file. */
  private static Object fileKey(Path file) throws IOException {
    try {
      return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)
          .fileKey();
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  private Path lockFile() {
    return app.runDirectory().resolve("run.lock");
  }

  private Path supervisorPidFile() {
    return app.runDirectory().resolve("supervisor.pid");
  }

  /**
   * Waits for a driver left by a supervisor that died without stopping it: drivers stop by
   * themselves once their supervisor is gone, and two drivers must never share a checkpoint.
   */
  private void awaitPreviousDriver() throws InterruptedException {
    Path pidFile = app.runDirectory().resolve(DRIVER_PID);
    Optional<ProcessHandle> previous = readPid(pidFile).flatMap(ProcessHandle::of);
    if (previous.isEmpty() || !previous.get().isAlive() || !isMillraceDriver(previous.get())) {
      return;
    }
    ProcessHandle old = previous.get();
    Duration grace = SupervisorPolicy.from(app.resource().getSpec()).gracefulStopTimeout();
    options
        .out()
        .printf(
            "waiting up to %s for the previous driver (pid %d) to stop before starting%n",
            SpecDurations.format(grace), old.pid());
    old.destroy();
    try {
      old.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      options.out().printf("the previous driver (pid %d) did not stop: killing it%n", old.pid());
      old.destroyForcibly();
      try {
        old.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException x) {
        throw new IllegalStateException(
            "the previous driver (pid " + old.pid() + ") survived SIGKILL; stop it by hand");
      }
    }
  }

  private static boolean isMillraceDriver(ProcessHandle process) {
    return process
        .info()
        .arguments()
        .map(args -> List.of(args).contains("driver") && List.of(args).contains("--spec"))
        .orElse(true);
  }

  private void writePid(LocalProcess started) throws IOException {
    Path pidFile = app.runDirectory().resolve(DRIVER_PID);
    Path temp = app.runDirectory().resolve(".driver.pid.tmp");
    Files.writeString(temp, started.pid() + "\n", StandardCharsets.UTF_8);
    Files.move(temp, pidFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      return Files.exists(pidFile)
          ? Optional.of(Long.parseLong(Files.readString(pidFile).trim()))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static int exitCode(SupervisorView view) {
    if (view.phase() == Phase.Succeeded) {
      return ExitCode.OK.code();
    }
    FailureClass last = view.lastExit().map(ExitReport::failureClass).orElse(null);
    if (last == null) {
      return ExitCode.APPLICATION_FAILURE.code();
    }
    return switch (last) {
      case CONFIGURATION -> ExitCode.BAD_CONFIGURATION.code();
      case INCOMPATIBLE_CHECKPOINT -> ExitCode.CHECKPOINT_INCOMPATIBLE.code();
      case DAMAGED_CHECKPOINT -> ExitCode.CHECKPOINT_DAMAGED.code();
      case MISSING_INPUT -> ExitCode.INPUT_MISSING.code();
      case CHECKPOINT_IN_USE -> ExitCode.CHECKPOINT_IN_USE.code();
      case APPLICATION, INFRASTRUCTURE, FINISHED, REQUESTED -> ExitCode.APPLICATION_FAILURE.code();
    };
  }

  /** Carries the Supervisor's actions out on processes of this machine, for the loop's thread. */
  private final class LocalProcesses implements SupervisionBackend {
    @Override
    public void launchDriver(LaunchDriver launch) {
      lastReport = null;
      Instant at = options.clock().instant();
      driverStartTime = at;
      try {
        LocalProcess started =
            LocalProcess.startDriver(
                app.resource(),
                app.specFile(),
                launch.attempt(),
                supervisionId,
                executorPort,
                launch.freshCheckpoint(),
                app.runDirectory(),
                logs.of("driver-" + launch.attempt()),
                options);
        driver = started;
        writePid(started);
        // Queued before the exit callback is registered, so the Supervisor sees them in order.
        loop.submit(new DriverStarted(at, launch.attempt()));
        started
            .onExit()
            .thenAccept(
                exit ->
                    loop.submit(
                        new DriverExited(options.clock().instant(), started.attempt(), exit)));
        progress.launched(started, launch);
      } catch (IOException e) {
        LOG.error("cannot start driver attempt {}", launch.attempt(), e);
        progress.launchFailed(launch, e);
        loop.submit(
            new DriverExited(
                at,
                launch.attempt(),
                new ExitReport(null, "LaunchFailed: " + e.getMessage(), FailureClass.APPLICATION)));
      }
    }

    @Override
    public void stopDriver(StopDriver stop) {
      progress.stopping(stop);
      if (driver != null && driver.attempt() == stop.attempt()) {
        driver.terminate();
      }
    }

    @Override
    public void killDriver(KillDriver kill) {
      progress.killing(kill);
      if (driver != null && driver.attempt() == kill.attempt()) {
        driver.kill();
      }
    }

    @Override
    public void launchExecutor(LaunchExecutor launch) {
      String id = launch.executorId();
      Instant at = options.clock().instant();
      try {
        LocalProcess started =
            LocalProcess.startExecutor(
                app.resource(), app.specFile(), id, executorPort, logs.of(id), options);
        executors.put(id, started);
        loop.submit(new ExecutorStarted(at, id));
        started
            .onExit()
            .thenAccept(
                exit -> loop.submit(new ExecutorExited(options.clock().instant(), id, exit)));
        progress.executorLaunched(started, launch);
      } catch (IOException e) {
        LOG.error("cannot start executor {}", id, e);
        loop.submit(
            new ExecutorExited(
                at,
                id,
                new ExitReport(null, "LaunchFailed: " + e.getMessage(), FailureClass.APPLICATION)));
      }
    }

    @Override
    public void stopExecutor(StopExecutor stop) {
      LocalProcess executor = executors.get(stop.executorId());
      if (executor != null && executor.isAlive()) {
        executor.terminate();
      }
    }

    @Override
    public void restartScheduled(RestartScheduled scheduled) {
      progress.restartScheduled(scheduled);
    }

    @Override
    public void gaveUp(GiveUp giveUp) {
      progress.gaveUp(giveUp);
    }

    @Override
    public Optional<DriverStatusReport> pollDriver() {
      LocalProcess current = driver;
      if (current == null || !current.isAlive()) {
        return Optional.empty();
      }
      Optional<String> address = current.statusAddress();
      if (address.isPresent() && announcedAttempt != current.attempt()) {
        announcedAttempt = current.attempt();
        progress.statusAddress(current.attempt(), address.get());
      }
      Optional<DriverStatusReport> report = address.flatMap(statusClient::poll);
      if (report.isEmpty() || report.get().attempt() != current.attempt()) {
        return Optional.empty();
      }
      lastReport = report.get();
      return report;
    }

    @Override
    public void observe(SupervisorEvent event) {
      if (event instanceof ExecutorExited exited) {
        LocalProcess executor = executors.get(exited.executorId());
        progress.executorExited(exited, executor == null ? null : executor.log());
      }
      if (event instanceof DriverExited exited
          && driver != null
          && exited.attempt() == driver.attempt()) {
        lastExitTime = exited.at();
        progress.driverExited(exited.attempt(), exited.exit(), driver.log());
      }
    }

    @Override
    public void handled(SupervisorEvent event, SupervisorView view) {
      publishStatus();
      if (event instanceof BatchCompleted) {
        progress.batch(lastReport, view, options.clock().instant());
      }
    }
  }
}
