package dev.millrace.runtime.backend.local;

import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.supervision.DriverObservation;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.crds.supervision.SupervisionBackend;
import dev.millrace.crds.supervision.SupervisionLoop;
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
import dev.millrace.crds.supervision.SupervisorView;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SupervisionBackend} of {@code millrace run}: carries the Supervisor's actions out on
 * processes of this machine (starts a driver attempt or an executor as a {@link LocalProcess},
 * SIGTERM, SIGKILL), hands the loop what happened to them (their start, their exit), reads the
 * current driver's status, and tells the {@link ProgressPrinter} and the {@link StatusFile}. It
 * holds the processes of the run, so {@link LocalRun} is left with the run's order of things.
 *
 * <p>Everything here runs on the loop's thread, except what the methods say; the JDK's process exit
 * callbacks only submit events to the loop.
 */
final class LocalSupervisionBackend implements SupervisionBackend {
  private static final Logger LOG = LoggerFactory.getLogger(LocalSupervisionBackend.class);

  private final LocalApp app;
  private final LocalRunOptions options;
  private final RunDirectory runDirectory;
  private final ProgressPrinter progress;
  private final StatusFile statusFile;
  private final DriverStatusClient statusClient = new DriverStatusClient();
  // Names this invocation to the checkpoint's lease: its next attempt takes over from the last at
  // once, while a driver of another 'millrace run' (another run directory, a copy of the spec) is
  // refused.
  private final String supervisionId = "run-" + UUID.randomUUID();
  private final Map<String, LocalProcess> executors = new LinkedHashMap<>();

  // Set once, before the loop runs: the loop is built around this backend.
  private SupervisionLoop loop;
  // Set once by start(), before the loop runs.
  private RunLogs logs;
  // Fixed for the whole run, so executors find every driver attempt at the same address.
  private int executorPort;

  private LocalProcess driver;
  // The attempt whose status address was printed last.
  private int announcedAttempt;
  // Where the announced attempt serves its status, metrics and UI.
  private volatile String driverUrl;
  private volatile DriverStatusReport lastReport;
  private Instant driverStartTime;
  private Instant lastExitTime;

  LocalSupervisionBackend(
      LocalApp app,
      LocalRunOptions options,
      RunDirectory runDirectory,
      ProgressPrinter progress,
      StatusFile statusFile) {
    this.app = app;
    this.options = options;
    this.runDirectory = runDirectory;
    this.progress = progress;
    this.statusFile = statusFile;
  }

  /** Hands the process events this backend sees to {@code loop}, the one built around it. */
  void reportTo(SupervisionLoop loop) {
    this.loop = Objects.requireNonNull(loop, "loop");
  }

  /**
   * Readies the run: processes log into {@code logs}, executors reach every driver attempt on
   * {@code executorPort}.
   */
  void start(RunLogs logs, int executorPort) {
    this.logs = Objects.requireNonNull(logs, "logs");
    this.executorPort = executorPort;
  }

  /** The newest status the current driver reported, if any; safe from any thread. */
  Optional<DriverStatusReport> lastReport() {
    return Optional.ofNullable(lastReport);
  }

  /** Ends the current driver now with SIGKILL, if it runs. */
  void killCurrentDriver() {
    if (driver != null && driver.isAlive()) {
      driver.kill();
    }
  }

  /**
   * Ends what is left when supervision ends: a driver still alive (only when the caller was
   * interrupted: never leave a driver without a supervisor) is killed; the executors, asked to stop
   * (SIGTERM) when the application ended, are killed if they have not exited within a few seconds.
   */
  void endAll() throws InterruptedException {
    killCurrentDriver();
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
      runDirectory.writeDriverPid(started.pid());
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
          .thenAccept(exit -> loop.submit(new ExecutorExited(options.clock().instant(), id, exit)));
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
      driverUrl = "http://" + address.get() + "/";
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
    statusFile.update(
        view,
        new DriverObservation(
            driver == null ? null : app.name() + "-driver-" + driver.attempt(),
            driverStartTime,
            lastExitTime,
            lastReport,
            driver != null && driver.isAlive() && announcedAttempt == driver.attempt()
                ? driverUrl
                : null));
    if (event instanceof BatchCompleted) {
      progress.batch(lastReport, view, options.clock().instant());
    }
    if (lastReport != null) {
      progress.inputHealth(lastReport);
    }
  }
}
