package dev.millrace.crds.supervision;

import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.supervision.SupervisorAction.GiveUp;
import dev.millrace.crds.supervision.SupervisorAction.KillDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchExecutor;
import dev.millrace.crds.supervision.SupervisorAction.RestartScheduled;
import dev.millrace.crds.supervision.SupervisorAction.StopDriver;
import dev.millrace.crds.supervision.SupervisorAction.StopExecutor;
import dev.millrace.crds.supervision.SupervisorEvent.BatchCompleted;
import dev.millrace.crds.supervision.SupervisorEvent.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a {@link Supervisor} for a backend that supervises processes itself ({@code millrace run},
 * the YARN ApplicationMaster; the Kubernetes operator is driven by its reconciles instead). It owns
 * time and order: it waits for the next piece of work until the Supervisor's next deadline or the
 * next status poll, whichever comes first; reads the driver's status every {@code pollInterval} and
 * feeds each newer completed batch as a {@link BatchCompleted}; sends a {@link Tick} every turn;
 * and carries every action out through the {@link SupervisionBackend}, in the order the Supervisor
 * gave them.
 *
 * <p>One thread owns the loop: the one in {@link #run()}, which alone calls the Supervisor and the
 * backend. Other threads (process exit callbacks, signal handlers, cluster clients, an HTTP
 * endpoint) only {@link #submit} events or {@link #execute} work, which the loop takes in order.
 */
public final class SupervisionLoop {
  private final Supervisor supervisor;
  private final SupervisionBackend backend;
  private final SupervisionClock clock;
  private final Duration pollInterval;
  private final BlockingQueue<Runnable> inbox;

  // Read by any thread; written by the loop's.
  private volatile SupervisorView view;
  // Owned by the loop's thread: the newest batch of the current attempt fed to the Supervisor.
  private Instant lastBatchTime;

  /**
   * A loop for {@code supervisor} (new, or restored from a snapshot) carrying its actions out
   * through {@code backend} and reading the driver's status every {@code pollInterval}.
   */
  public SupervisionLoop(
      Supervisor supervisor,
      SupervisionBackend backend,
      SupervisionClock clock,
      Duration pollInterval) {
    this(supervisor, backend, clock, pollInterval, new LinkedBlockingQueue<>());
  }

  /**
   * A loop that also takes the work already in {@code inbox}, and whatever is added to it later:
   * for a backend whose callbacks start before it can build its Supervisor (the ApplicationMaster
   * registers, which may bring a stop request, before it can restore the Supervisor from its
   * ledger).
   */
  public SupervisionLoop(
      Supervisor supervisor,
      SupervisionBackend backend,
      SupervisionClock clock,
      Duration pollInterval,
      BlockingQueue<Runnable> inbox) {
    this.inbox = Objects.requireNonNull(inbox, "inbox");
    this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.view = supervisor.view();
    // A restored Supervisor has seen batches of its live driver: a report of one of them again is
    // not progress.
    this.lastBatchTime = view.lastBatchTime().orElse(null);
  }

  /** Queues {@code event} for the Supervisor; safe from any thread. */
  public void submit(SupervisorEvent event) {
    Objects.requireNonNull(event, "event");
    inbox.add(() -> handle(event));
  }

  /**
   * Runs {@code work} on the loop's thread, in order with the events submitted; safe from any
   * thread. The work may {@link #handle} events itself, so an event is handled together with the
   * backend's own bookkeeping of what it saw.
   */
  public void execute(Runnable work) {
    inbox.add(Objects.requireNonNull(work, "work"));
  }

  /** What the Supervisor knows, as of the last event handled; safe from any thread. */
  public SupervisorView view() {
    return view;
  }

  /**
   * Hands {@code event} to the Supervisor now and carries its actions out; only on the loop's
   * thread (before {@link #run()}, the thread that will call it). Actions a backend carries out may
   * submit further events, which come after this one.
   */
  public void handle(SupervisorEvent event) {
    backend.observe(event);
    for (SupervisorAction action : supervisor.on(event)) {
      carryOut(action);
    }
    view = supervisor.view();
    backend.handled(event, view);
  }

  /**
   * Supervises until the application ends (Succeeded or Failed) and returns the last view. The
   * driver's status is read first, so a restored Supervisor hears of the batches its driver
   * completed before any health-check deadline is judged.
   */
  public SupervisorView run() throws InterruptedException {
    pollDriver();
    handle(new Tick(clock.now()));
    backend.turnEnded();
    Instant nextPoll = clock.now();
    while (!view.terminal()) {
      Runnable work = clock.poll(inbox, earlier(supervisor.nextDeadline(), nextPoll));
      if (work != null) {
        work.run();
      }
      Instant now = clock.now();
      if (!now.isBefore(nextPoll)) {
        pollDriver();
        nextPoll = now.plus(pollInterval);
      }
      handle(new Tick(clock.now()));
      backend.turnEnded();
    }
    return view;
  }

  private void pollDriver() {
    Optional<DriverStatusReport> report = backend.pollDriver();
    Long batchTimeMs = report.map(DriverStatusReport::lastCompletedBatchTimeMs).orElse(null);
    if (batchTimeMs == null) {
      return;
    }
    Instant batchTime = Instant.ofEpochMilli(batchTimeMs);
    if (lastBatchTime == null || batchTime.isAfter(lastBatchTime)) {
      lastBatchTime = batchTime;
      handle(new BatchCompleted(clock.now(), batchTime));
    }
  }

  private void carryOut(SupervisorAction action) {
    if (action instanceof LaunchDriver launch) {
      // A new attempt counts its batches from the start.
      lastBatchTime = null;
      backend.launchDriver(launch);
    } else if (action instanceof StopDriver stop) {
      backend.stopDriver(stop);
    } else if (action instanceof KillDriver kill) {
      backend.killDriver(kill);
    } else if (action instanceof LaunchExecutor launch) {
      backend.launchExecutor(launch);
    } else if (action instanceof StopExecutor stop) {
      backend.stopExecutor(stop);
    } else if (action instanceof RestartScheduled scheduled) {
      backend.restartScheduled(scheduled);
    } else if (action instanceof GiveUp giveUp) {
      backend.gaveUp(giveUp);
    } else {
      throw new IllegalArgumentException("unknown action " + action);
    }
  }

  private static Instant earlier(Optional<Instant> deadline, Instant other) {
    return deadline.filter(d -> d.isBefore(other)).orElse(other);
  }
}
