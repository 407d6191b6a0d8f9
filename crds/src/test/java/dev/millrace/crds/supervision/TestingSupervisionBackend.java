package dev.millrace.crds.supervision;

import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.supervision.SupervisorAction.GiveUp;
import dev.millrace.crds.supervision.SupervisorAction.KillDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchExecutor;
import dev.millrace.crds.supervision.SupervisorAction.RestartScheduled;
import dev.millrace.crds.supervision.SupervisorAction.StopDriver;
import dev.millrace.crds.supervision.SupervisorAction.StopExecutor;
import dev.millrace.crds.supervision.SupervisorEvent.DriverExited;
import dev.millrace.crds.supervision.SupervisorEvent.DriverStarted;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorExited;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link SupervisionBackend} whose processes are imaginary: drivers and executors start at once
 * when launched, a driver honours SIGTERM with exit 0 unless told to ignore it, SIGKILL ends it
 * with 137, and the status endpoint answers what the test last set. It records every call, with the
 * time and the thread it came on, as lines a test compares.
 */
final class TestingSupervisionBackend implements SupervisionBackend {
  private final SupervisionClock clock;
  private final List<String> calls = new ArrayList<>();
  private final List<Instant> pollTimes = new ArrayList<>();
  private final Map<String, Instant> times = new HashMap<>();
  private final List<String> threads = new ArrayList<>();
  private SupervisionLoop loop;
  private boolean ignoreGracefulStop;
  private int liveAttempt;
  private Long reportedBatchTimeMs;

  TestingSupervisionBackend(SupervisionClock clock) {
    this.clock = clock;
  }

  /** Where launched processes report their start and exit. */
  void reportTo(SupervisionLoop loop) {
    this.loop = loop;
  }

  /** Drivers from now on ignore SIGTERM and end only on SIGKILL. */
  void ignoreGracefulStop() {
    ignoreGracefulStop = true;
  }

  /** The live driver's status endpoint answers {@code batchTimeMs} as its last completed batch. */
  void reportBatch(long batchTimeMs) {
    reportedBatchTimeMs = batchTimeMs;
  }

  /** Driver {@code attempt}, launched by an earlier loop, runs here too (an adopted container). */
  void adoptDriver(int attempt) {
    liveAttempt = attempt;
  }

  /** The live driver crashes with {@code code}. */
  void crashDriver(int code) {
    int attempt = liveAttempt;
    liveAttempt = 0;
    loop.submit(new DriverExited(clock.now(), attempt, ExitReport.ofExitCode(code)));
  }

  List<String> calls() {
    return calls;
  }

  List<Instant> pollTimes() {
    return pollTimes;
  }

  List<String> threads() {
    return threads;
  }

  /** When the first call starting with {@code prefix} came. */
  Instant timeOf(String prefix) {
    return calls.stream()
        .filter(c -> c.startsWith(prefix))
        .findFirst()
        .map(times::get)
        .orElseThrow(() -> new AssertionError("no call " + prefix + " in " + calls));
  }

  @Override
  public void launchDriver(LaunchDriver launch) {
    record("launchDriver " + launch.attempt());
    liveAttempt = launch.attempt();
    reportedBatchTimeMs = null;
    loop.submit(new DriverStarted(clock.now(), launch.attempt()));
  }

  @Override
  public void stopDriver(StopDriver stop) {
    record("stopDriver " + stop.attempt());
    if (!ignoreGracefulStop && liveAttempt == stop.attempt()) {
      liveAttempt = 0;
      loop.submit(new DriverExited(clock.now(), stop.attempt(), ExitReport.ofExitCode(0)));
    }
  }

  @Override
  public void killDriver(KillDriver kill) {
    record("killDriver " + kill.attempt());
    if (liveAttempt == kill.attempt()) {
      liveAttempt = 0;
      loop.submit(new DriverExited(clock.now(), kill.attempt(), ExitReport.ofExitCode(137)));
    }
  }

  @Override
  public void launchExecutor(LaunchExecutor launch) {
    record("launchExecutor " + launch.executorId());
    loop.submit(new ExecutorStarted(clock.now(), launch.executorId()));
  }

  @Override
  public void stopExecutor(StopExecutor stop) {
    record("stopExecutor " + stop.executorId());
    loop.submit(new ExecutorExited(clock.now(), stop.executorId(), ExitReport.ofExitCode(0)));
  }

  @Override
  public void restartScheduled(RestartScheduled scheduled) {
    record("restartScheduled " + scheduled.attempt());
  }

  @Override
  public void gaveUp(GiveUp giveUp) {
    record("gaveUp");
  }

  @Override
  public Optional<DriverStatusReport> pollDriver() {
    threads.add(Thread.currentThread().getName());
    pollTimes.add(clock.now());
    if (liveAttempt == 0) {
      return Optional.empty();
    }
    return Optional.of(
        new DriverStatusReport(
            "app",
            liveAttempt,
            "RUNNING",
            0,
            reportedBatchTimeMs,
            null,
            null,
            null,
            0,
            0,
            0,
            null,
            0,
            List.of()));
  }

  @Override
  public void observe(SupervisorEvent event) {
    if (!(event instanceof SupervisorEvent.Tick)) {
      record("observe " + event.getClass().getSimpleName() + " " + loop.view().phase());
    }
  }

  @Override
  public void handled(SupervisorEvent event, SupervisorView view) {
    if (!(event instanceof SupervisorEvent.Tick)) {
      record("handled " + event.getClass().getSimpleName() + " " + view.phase());
    }
  }

  private void record(String call) {
    threads.add(Thread.currentThread().getName());
    calls.add(call);
    times.putIfAbsent(call, clock.now());
  }
}
