package dev.millrace.runtime.backend.local;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.crds.supervision.SupervisionBackend;
import dev.millrace.crds.supervision.SupervisionClock;
import dev.millrace.crds.supervision.SupervisionLoop;
import dev.millrace.crds.supervision.Supervisor;
import dev.millrace.crds.supervision.SupervisorEvent.StopRequested;
import dev.millrace.crds.supervision.SupervisorPolicy;
import dev.millrace.crds.supervision.SupervisorView;
import dev.millrace.runtime.launch.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code millrace run}: supervises one {@link StreamingApp} with driver processes on this machine.
 * The {@link Supervisor} decides and a {@link SupervisionLoop} runs it over the {@link
 * LocalSupervisionBackend}, the {@link SupervisionBackend} that starts, SIGTERMs and SIGKILLs the
 * driver and executor processes. This class is the run's entry and its order of things: take the
 * {@link RunDirectory}'s lock, wait for a {@link PreviousDriver}, start the {@link RunLogs},
 * supervise, clean up, and turn the end into an exit code; {@link StatusFile} keeps {@code
 * status.yaml} and {@link ProgressPrinter} prints progress.
 *
 * <p>All supervision runs on the thread that calls {@link #run()}; other threads (process exit
 * callbacks, signal handlers) only hand the loop events.
 */
public final class LocalRun {
  private final LocalApp app;
  private final LocalRunOptions options;
  private final RunDirectory runDirectory;
  private final ProgressPrinter progress;
  private final StatusFile statusFile;
  private final LocalSupervisionBackend processes;
  private final SupervisionLoop loop;

  // Set once by the thread in run(), read by callers of logDirectory().
  private volatile RunLogs logs;

  private LocalRun(LocalApp app, LocalRunOptions options) {
    this.app = app;
    this.options = options;
    this.runDirectory = new RunDirectory(app.runDirectory());
    this.progress =
        new ProgressPrinter(
            options.out(),
            app.name(),
            options.progressInterval(),
            app.resource().getSpec().getExecutor().getInstances());
    this.statusFile = new StatusFile(app, progress, options.clock());
    this.processes = new LocalSupervisionBackend(app, options, runDirectory, progress, statusFile);
    this.loop =
        new SupervisionLoop(
            new Supervisor(SupervisorPolicy.from(app.resource().getSpec())),
            processes,
            SupervisionClock.of(options.clock()),
            options.pollInterval());
    processes.reportTo(loop);
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
    return processes.lastReport();
  }

  /** The status as last written to {@code status.yaml}. */
  public Optional<StreamingAppStatus> status() {
    return statusFile.current();
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
          processes.killCurrentDriver();
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
    try (FileChannel lockFile = runDirectory.lock(app.name())) {
      try {
        PreviousDriver.awaitStopped(
            runDirectory,
            SupervisorPolicy.from(app.resource().getSpec()).gracefulStopTimeout(),
            options.out());
        logs =
            RunLogs.start(
                app.runDirectory().resolve("logs"), options.clock().instant(), options.keptRuns());
        processes.start(logs, freePort());
        app.writeResolvedSpec();
        runDirectory.writeSupervisorPid();
        progress.starting(app, logs.directory());
        SupervisorView end = loop.run();
        progress.finished(end);
      } finally {
        processes.endAll();
      }
      runDirectory.removeRunFiles();
      return exitCode(loop.view());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the run directory " + app.runDirectory(), e);
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
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
}
