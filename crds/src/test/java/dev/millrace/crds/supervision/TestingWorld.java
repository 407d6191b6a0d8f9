package dev.millrace.crds.supervision;

import dev.millrace.crds.Phase;
import dev.millrace.crds.RestartPolicyType;
import dev.millrace.crds.supervision.SupervisorAction.GiveUp;
import dev.millrace.crds.supervision.SupervisorAction.KillDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchExecutor;
import dev.millrace.crds.supervision.SupervisorAction.RestartScheduled;
import dev.millrace.crds.supervision.SupervisorAction.StopDriver;
import dev.millrace.crds.supervision.SupervisorAction.StopExecutor;
import dev.millrace.crds.supervision.SupervisorEvent.BatchCompleted;
import dev.millrace.crds.supervision.SupervisorEvent.DriverExited;
import dev.millrace.crds.supervision.SupervisorEvent.DriverStarted;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorExited;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorStarted;
import dev.millrace.crds.supervision.SupervisorEvent.RestartRequested;
import dev.millrace.crds.supervision.SupervisorEvent.ResumeRequested;
import dev.millrace.crds.supervision.SupervisorEvent.SpecChanged;
import dev.millrace.crds.supervision.SupervisorEvent.StopRequested;
import dev.millrace.crds.supervision.SupervisorEvent.SuspendRequested;
import dev.millrace.crds.supervision.SupervisorEvent.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A random world that obeys a {@link Supervisor}: launched drivers start after random delays,
 * complete batches, stall, crash with random failure classes, ignore or honour SIGTERM; executors
 * come and go; a user suspends, resumes, stops, changes the spec and sets nonces; time moves
 * forward in random steps. After every event it checks the Supervisor's promises against what it
 * saw itself (an oracle that does not read the Supervisor's state), and throws an {@link
 * AssertionError} naming the seed and the last events.
 */
final class TestingWorld {
  /** What the world counts across runs, to prove it explored the interesting cases. */
  enum Seen {
    GIVE_UP,
    KILL,
    HEALTH_CHECK_STOP,
    RESET,
    SUSPENDED,
    RESUMED,
    REQUESTED_STOP,
    FRESH_LAUNCH,
    START_OVER,
    INFRASTRUCTURE_RESTART,
    COUNTED_RESTART,
    EXECUTOR_RELAUNCH,
    SUCCEEDED,
    RESTORED
  }

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final int TRACE_LINES = 60;

  private final long seed;
  private final Random random;
  private final Map<Seen, Integer> seen;
  private SupervisorPolicy policy;
  private Supervisor supervisor;
  private Instant now = T0;
  private final Deque<String> trace = new ArrayDeque<>();

  private Driver live;
  // Whether the driver whose exit is being delivered never reported its start.
  private boolean exitingNeverStarted;
  private int lastLaunchedAttempt;
  private final Map<String, Executor> executors = new LinkedHashMap<>();

  /** Executors that exited on their own while wanted, and when. */
  private final Map<String, Instant> awaitingRelaunch = new LinkedHashMap<>();

  // The oracle: what the world itself knows about failures and what the user asked for.
  private boolean blockedUntilUserRestart;
  private boolean freshRequested;
  private boolean userWantsSuspended;
  private final List<Instant> countedRestarts = new ArrayList<>();
  private int countedInARow;
  private int infrastructureInARow;
  private Duration lastCountedDelay = Duration.ZERO;
  private Duration lastInfrastructureDelay = Duration.ZERO;
  private int lastRestartsTotal;

  TestingWorld(long seed, Map<Seen, Integer> seen) {
    this.seed = seed;
    this.random = new Random(seed);
    this.seen = seen;
    this.policy = randomPolicy();
    this.supervisor = new Supervisor(policy);
  }

  static Map<Seen, Integer> newTally() {
    Map<Seen, Integer> tally = new EnumMap<>(Seen.class);
    for (Seen s : Seen.values()) {
      tally.put(s, 0);
    }
    return tally;
  }

  /** Runs {@code steps} random steps, checking after every event. */
  void run(int steps) {
    try {
      send(new Tick(now), false);
      for (int step = 0; step < steps; step++) {
        step();
      }
    } catch (AssertionError | RuntimeException e) {
      AssertionError failure =
          new AssertionError(
              "seed "
                  + seed
                  + ": "
                  + e.getMessage()
                  + "\npolicy "
                  + policy
                  + "\nview "
                  + supervisor.view()
                  + "\nlast events, oldest first:\n  "
                  + String.join("\n  ", trace));
      failure.initCause(e);
      throw failure;
    }
  }

  private void step() {
    now = now.plus(randomStep());
    deliverWhatIsDue();
    userDoesSomething();
    send(new Tick(now), false);
    checkAfterTick();
    sendSomethingStale();
    if (random.nextInt(100) < 5) {
      SupervisorSnapshot snapshot = supervisor.snapshot();
      supervisor = Supervisor.restore(policy, snapshot);
      check(snapshot.equals(supervisor.snapshot()), "restore(snapshot()) remembers everything");
      count(Seen.RESTORED);
    }
  }

  // ---- time and the world's own happenings

  private Duration randomStep() {
    int r = random.nextInt(100);
    if (r < 25) {
      return Duration.ofMillis(random.nextInt(1_000));
    } else if (r < 50) {
      return Duration.ofMillis(random.nextInt(10_000));
    } else if (r < 70) {
      return Duration.ofMillis(random.nextInt(120_000));
    } else if (r < 90) {
      Optional<Instant> deadline = supervisor.nextDeadline();
      if (deadline.isPresent()) {
        // Exactly at the deadline, or a little late, as a real timer would be.
        return Duration.between(now, deadline.get())
            .plusMillis(random.nextInt(3) == 0 ? 0 : random.nextInt(500));
      }
    }
    return Duration.ofMillis(random.nextInt(600_000));
  }

  private void deliverWhatIsDue() {
    if (live != null) {
      Driver d = live;
      if (d.startAt != null && !d.startReported && !d.startAt.isAfter(now)) {
        d.startReported = true;
        if (d.startedAt == null) {
          d.startedAt = now;
        }
        send(new DriverStarted(now, d.attempt), false);
      }
      Instant exitAt = d.exitAt();
      if (exitAt != null && !exitAt.isAfter(now)) {
        deliverExit(d);
      } else if (d.startReported
          && (d.stallAt == null || now.isBefore(d.stallAt))
          && !d.nextBatchAt.isAfter(now)) {
        if (d.startedAt == null) {
          d.startedAt = now;
        }
        d.lastBatchAt = now;
        d.nextBatchAt = now.plusMillis(1 + (long) (random.nextDouble() * d.batchEveryMillis));
        send(new BatchCompleted(now, now), false);
      }
    }
    for (Map.Entry<String, Executor> e : List.copyOf(executors.entrySet())) {
      Executor x = e.getValue();
      if (!x.started && !x.startAt.isAfter(now)) {
        x.started = true;
        send(new ExecutorStarted(now, e.getKey()), false);
      }
      Instant exitAt = x.exitAt();
      if (exitAt != null && !exitAt.isAfter(now)) {
        executors.remove(e.getKey());
        send(
            new ExecutorExited(now, e.getKey(), x.stopping ? ExitReport.ofExitCode(0) : x.crash),
            false);
        if (!x.stopping
            && !executors.containsKey(e.getKey())
            && isActive(supervisor.view().phase())
            && index(e.getKey()) <= policy.executorInstances()) {
          awaitingRelaunch.put(e.getKey(), now);
        }
      }
    }
  }

  private void deliverExit(Driver d) {
    ExitReport exit = d.exitReport();
    Expect expect = expectationFor(d, exit);
    exitingNeverStarted = !d.startReported;
    live = null;
    boolean terminalBefore = supervisor.view().terminal();
    List<SupervisorAction> actions = send(new DriverExited(now, d.attempt, exit), false, expect);
    SupervisorView view = supervisor.view();
    if (view.phase() == Phase.Succeeded && !terminalBefore) {
      check(
          d.killed
              || exit.failureClass() == FailureClass.FINISHED
              || exit.failureClass() == FailureClass.REQUESTED
              || exit.failureClass() == FailureClass.INFRASTRUCTURE,
          "a failed exit (" + exit.describe() + ") is never reported as success");
    }
    switch (expect) {
      case ENDS -> check(view.terminal(), "an exit under Never ends the application");
      case BLOCKS -> {
        check(view.phase() == Phase.Failed, exit.failureClass() + " exit fails the application");
        blockedUntilUserRestart = true;
      }
      case COUNTED ->
          check(
              has(actions, RestartScheduled.class) || has(actions, GiveUp.class),
              "a counted failure restarts or gives up");
      case AMBIGUOUS -> {
        // Whichever request won, restarting, giving up, relaunching, suspending and stopping are
        // fine.
      }
      case INFRASTRUCTURE ->
          check(has(actions, RestartScheduled.class), "an infrastructure failure restarts");
      case REQUESTED ->
          check(!has(actions, RestartScheduled.class), "a requested stop schedules no restart");
      case FINISHED -> check(view.phase() == Phase.Succeeded, "exit 0 under OnFailure succeeds");
    }
  }

  /** What an exit must lead to, from what the world alone knows. */
  private enum Expect {
    COUNTED,
    AMBIGUOUS,
    INFRASTRUCTURE,
    REQUESTED,
    ENDS,
    BLOCKS,
    FINISHED
  }

  private Expect expectationFor(Driver d, ExitReport exit) {
    boolean never = policy.type() == RestartPolicyType.Never;
    if (d.stopAt != null) {
      if (!d.stopByHealthCheck) {
        return Expect.REQUESTED;
      }
      // A user request while a health-check stop runs may take it over; if it did not, the
      // actions show it (only the counted path schedules a restart or gives up).
      if (d.userEventWhileStopping) {
        return Expect.AMBIGUOUS;
      }
      if (never) {
        return Expect.ENDS;
      }
      // A driver that never reported its start, gone without a failure of its own (a pod never
      // scheduled): the start timeout is the cluster's fault.
      boolean neverRan =
          !d.startReported
              && (exit.failureClass() == FailureClass.INFRASTRUCTURE
                  || exit.failureClass() == FailureClass.REQUESTED);
      return neverRan ? Expect.INFRASTRUCTURE : Expect.COUNTED;
    }
    if (never) {
      return exit.failureClass().restartCannotHelp() ? Expect.BLOCKS : Expect.ENDS;
    }
    return switch (exit.failureClass()) {
      case APPLICATION -> Expect.COUNTED;
      case FINISHED -> policy.type() == RestartPolicyType.Always ? Expect.COUNTED : Expect.FINISHED;
      case INFRASTRUCTURE, REQUESTED -> Expect.INFRASTRUCTURE;
      case CONFIGURATION,
              INCOMPATIBLE_CHECKPOINT,
              DAMAGED_CHECKPOINT,
              MISSING_INPUT,
              CHECKPOINT_IN_USE ->
          Expect.BLOCKS;
    };
  }

  // ---- the user

  private void userDoesSomething() {
    int r = random.nextInt(1000);
    if (r < 15) {
      userWantsSuspended = true;
      userSends(new SuspendRequested(now));
    } else if (r < 30) {
      userWantsSuspended = false;
      userSends(new ResumeRequested(now));
    } else if (r < 33) {
      userSends(new StopRequested(now));
    } else if (r < 53) {
      SpecChange change = SpecChange.values()[random.nextInt(SpecChange.values().length)];
      SupervisorPolicy next =
          change == SpecChange.POLICY_ONLY ? policy : withExecutors(policy, random.nextInt(5));
      if (change == SpecChange.RESTART_FRESH) {
        freshRequested = true;
      }
      if (change == SpecChange.RESTART || change == SpecChange.RESTART_FRESH) {
        blockedUntilUserRestart = false;
      }
      policy = next;
      userSends(new SpecChanged(now, change, next));
    } else if (r < 63) {
      blockedUntilUserRestart = false;
      String[] nonces = {"a", "b", "c", null};
      userSends(new RestartRequested(now, nonces[random.nextInt(nonces.length)]));
    }
  }

  private void userSends(SupervisorEvent event) {
    if (live != null && live.stopAt != null) {
      live.userEventWhileStopping = true;
    }
    send(event, true);
  }

  // ---- sending events and obeying actions

  private List<SupervisorAction> send(SupervisorEvent event, boolean fromUser) {
    return send(event, fromUser, null);
  }

  private List<SupervisorAction> send(
      SupervisorEvent event, boolean fromUser, Expect exitExpectation) {
    SupervisorView before = supervisor.view();
    boolean startsOver =
        before.phase() == Phase.Failed
            && (event instanceof RestartRequested
                || event instanceof SpecChanged c
                    && (c.change() == SpecChange.RESTART
                        || c.change() == SpecChange.RESTART_FRESH));
    List<SupervisorAction> actions = supervisor.on(event);
    remember(event + " -> " + actions + " => " + supervisor.view().phase());
    if (before.phase() == Phase.Suspended && !(event instanceof ResumeRequested)) {
      check(
          !has(actions, LaunchDriver.class) && !has(actions, LaunchExecutor.class),
          "nothing is launched while Suspended but by a resume");
    }
    if (before.terminal()) {
      check(startsOver || actions.isEmpty(), "a terminal phase acts only to start over");
    }
    if (startsOver && has(actions, LaunchDriver.class)) {
      count(Seen.START_OVER);
      forgetFailures();
    }
    for (SupervisorAction action : actions) {
      obey(action, exitExpectation);
    }
    SupervisorView after = supervisor.view();
    check(!after.message().isBlank(), "the message says what is happening");
    check(
        after.restartsInWindow() <= policy.maxRestarts(),
        "restartsInWindow " + after.restartsInWindow() + " ≤ maxRestarts");
    check(after.restartsTotal() >= lastRestartsTotal, "restartsTotal never decreases");
    lastRestartsTotal = after.restartsTotal();
    if (after.terminal()) {
      check(live == null, "no driver is live in a terminal phase");
      check(after.nextAttemptAt().isEmpty(), "nothing is scheduled in a terminal phase");
    }
    if (!isActive(after.phase())) {
      awaitingRelaunch.clear();
    }
    awaitingRelaunch.keySet().removeIf(id -> index(id) > policy.executorInstances());
    if (after.phase() == Phase.Suspended) {
      check(after.nextAttemptAt().isEmpty(), "no attempt is scheduled while Suspended");
      check(userWantsSuspended, "Suspended only if the user's last word was suspend");
    }
    if (after.terminal() || after.phase() == Phase.Suspended) {
      for (Map.Entry<String, Executor> e : executors.entrySet()) {
        check(e.getValue().stopping, e.getKey() + " is asked to stop when " + after.phase());
      }
    }
    if (after.phase() == Phase.Succeeded && !before.terminal()) {
      count(Seen.SUCCEEDED);
    }
    if (after.phase() == Phase.Suspended && before.phase() != Phase.Suspended) {
      count(Seen.SUSPENDED);
    }
    if (event instanceof ResumeRequested && has(actions, LaunchDriver.class)) {
      count(Seen.RESUMED);
    }
    if (oracleMayReset()) {
      if (!countedRestarts.isEmpty() || infrastructureInARow > 0 || countedInARow > 0) {
        count(Seen.RESET);
      }
      forgetFailures();
    }
    return actions;
  }

  private void obey(SupervisorAction action, Expect exitExpectation) {
    if (action instanceof LaunchDriver l) {
      check(
          live == null,
          "never two live drivers: launching "
              + l.attempt()
              + " while "
              + (live == null ? "" : live.attempt)
              + " lives");
      check(l.attempt() == lastLaunchedAttempt + 1, "attempts count up by one");
      check(
          !blockedUntilUserRestart,
          "no launch after a configuration or checkpoint failure until the user restarts");
      check(
          !l.freshCheckpoint() || freshRequested,
          "a fresh checkpoint only for a stateless upgrade");
      check(!l.reason().isBlank(), "a reason");
      if (l.freshCheckpoint()) {
        count(Seen.FRESH_LAUNCH);
      }
      freshRequested = false;
      lastLaunchedAttempt = l.attempt();
      live = newDriver(l.attempt());
    } else if (action instanceof StopDriver s) {
      check(live != null && live.attempt == s.attempt(), "StopDriver for the live driver");
      check(live.stopAt == null, "one StopDriver per attempt");
      check(
          s.gracePeriod().equals(policy.gracefulStopTimeout()),
          "the grace period is gracefulStopTimeout");
      check(!s.reason().isBlank(), "a reason");
      live.stopAt = now;
      live.grace = s.gracePeriod();
      live.stopByHealthCheck = s.reason().contains("(healthCheck.");
      if (live.stopByHealthCheck) {
        count(Seen.HEALTH_CHECK_STOP);
        check(
            !now.isBefore(healthDeadline(live)),
            "no health-check stop before its deadline " + healthDeadline(live));
      } else {
        count(Seen.REQUESTED_STOP);
      }
      if (random.nextInt(4) > 0) {
        long graceMillis = Math.max(1, s.gracePeriod().toMillis());
        live.gracefulExitAt = now.plusMillis((long) (random.nextDouble() * graceMillis * 1.5));
        live.gracefulExit = random.nextInt(5) > 0 ? ExitReport.ofExitCode(0) : randomExit();
      }
    } else if (action instanceof KillDriver k) {
      check(live != null && live.attempt == k.attempt(), "KillDriver for the live driver");
      check(live.stopAt != null, "a KillDriver follows a StopDriver");
      check(!live.killed, "at most one KillDriver per StopDriver");
      check(!now.isBefore(live.stopAt.plus(live.grace)), "KillDriver only after the grace period");
      live.killed = true;
      live.killExitAt = now.plusMillis(random.nextInt(5_000));
      count(Seen.KILL);
    } else if (action instanceof LaunchExecutor l) {
      int index = index(l.executorId());
      awaitingRelaunch.remove(l.executorId());
      check(
          index >= 1 && index <= policy.executorInstances(),
          l.executorId() + " within executor.instances");
      check(!executors.containsKey(l.executorId()), "never two live executors " + l.executorId());
      check(!l.reason().isBlank(), "a reason");
      if (l.reason().startsWith("replacing")) {
        count(Seen.EXECUTOR_RELAUNCH);
      }
      executors.put(l.executorId(), newExecutor());
    } else if (action instanceof StopExecutor s) {
      Executor x = executors.get(s.executorId());
      check(x != null && !x.stopping, "StopExecutor for a live executor " + s.executorId());
      check(!s.reason().isBlank(), "a reason");
      x.stopping = true;
      x.stopExitAt = now.plusMillis(random.nextInt(5_000));
    } else if (action instanceof RestartScheduled r) {
      restartScheduled(r, exitExpectation);
    } else if (action instanceof GiveUp g) {
      check(!g.reason().isBlank(), "a reason");
      count(Seen.GIVE_UP);
      // A user's stop that took over a health-check stop gives up on a failed exit without
      // counting it; the health check's own verdict is recorded with reason HealthCheck.
      boolean healthCheckVerdict =
          supervisor.view().lastExit().map(e -> e.reason().equals("HealthCheck")).orElse(false);
      if ((exitExpectation == Expect.COUNTED
              || exitExpectation == Expect.AMBIGUOUS && healthCheckVerdict)
          && policy.type() != RestartPolicyType.Never) {
        int inWindow = inWindow(countedRestarts) + 1;
        check(
            inWindow > policy.maxRestarts(),
            "gives up only beyond maxRestarts; " + inWindow + " in window");
      }
    } else {
      throw new AssertionError("unknown action " + action);
    }
  }

  private void restartScheduled(RestartScheduled r, Expect expected) {
    // Which path an ambiguous exit took shows in the exit the Supervisor kept: a driver that never
    // ran and was stopped by the start timeout is the cluster's fault.
    Expect expect =
        expected == Expect.AMBIGUOUS
                && exitingNeverStarted
                && supervisor
                    .view()
                    .lastExit()
                    .map(e -> e.failureClass() == FailureClass.INFRASTRUCTURE)
                    .orElse(false)
            ? Expect.INFRASTRUCTURE
            : expected;
    check(
        expect == Expect.COUNTED || expect == Expect.AMBIGUOUS || expect == Expect.INFRASTRUCTURE,
        "a restart is scheduled only after a failure, not after " + expect);
    check(r.attempt() == lastLaunchedAttempt + 1, "the next attempt");
    check(r.at().equals(now.plus(r.delay())), "at = now + delay");
    check(r.delay().compareTo(policy.backoffMax()) <= 0, "delay ≤ backoff.max");
    check(!r.reason().isBlank(), "a reason");
    if (expect == Expect.INFRASTRUCTURE) {
      count(Seen.INFRASTRUCTURE_RESTART);
      infrastructureInARow++;
      check(
          r.delay().equals(policy.backoffDelay(infrastructureInARow)),
          "infrastructure backoff " + infrastructureInARow);
      check(
          r.delay().compareTo(lastInfrastructureDelay) >= 0,
          "backoff never decreases between resets");
      lastInfrastructureDelay = r.delay();
      return;
    }
    count(Seen.COUNTED_RESTART);
    check(r.delay().compareTo(lastCountedDelay) >= 0, "backoff never decreases between resets");
    lastCountedDelay = r.delay();
    countedRestarts.add(now);
    countedInARow++;
    check(r.delay().equals(policy.backoffDelay(countedInARow)), "counted backoff " + countedInARow);
    int inWindow = inWindow(countedRestarts);
    check(
        inWindow <= policy.maxRestarts(),
        inWindow + " counted restarts within the window > maxRestarts");
  }

  private void checkAfterTick() {
    Optional<Instant> deadline = supervisor.nextDeadline();
    check(
        deadline.isEmpty() || deadline.get().isAfter(now),
        "nextDeadline " + deadline + " is not in the past");
    if (live != null && live.stopAt == null) {
      Instant health = healthDeadline(live);
      check(now.isBefore(health), "the health check stops a driver at its deadline " + health);
      check(
          deadline.isPresent() && !deadline.get().isAfter(health),
          "nextDeadline is no later than the health check");
    }
    if (live != null && live.stopAt != null && !live.killed) {
      check(
          now.isBefore(live.stopAt.plus(live.grace)),
          "a driver that outlives its grace period is killed");
    }
    for (Map.Entry<String, Instant> e : awaitingRelaunch.entrySet()) {
      Instant latest = e.getValue().plus(policy.backoffMax());
      check(now.isBefore(latest), e.getKey() + " is replaced within backoff.max of its exit");
      check(
          deadline.isPresent() && !deadline.get().isAfter(latest),
          "nextDeadline is no later than " + e.getKey() + "'s replacement");
    }
  }

  private void sendSomethingStale() {
    if (random.nextInt(100) >= 5 || lastLaunchedAttempt == 0) {
      return;
    }
    // Every attempt whose exit was delivered; the current one's too once it has exited.
    int newestStale = live == null ? lastLaunchedAttempt : live.attempt - 1;
    if (newestStale < 1) {
      return;
    }
    int old = 1 + random.nextInt(newestStale);
    SupervisorEvent stale =
        switch (random.nextInt(3)) {
          case 0 -> new DriverStarted(now, old);
          case 1 -> new DriverExited(now, old, randomExit());
          default ->
              live == null
                  ? new BatchCompleted(now, now.minusSeconds(3600))
                  : new DriverStarted(now, old);
        };
    SupervisorSnapshot before = supervisor.snapshot();
    List<SupervisorAction> actions = send(stale, false);
    check(actions.isEmpty(), "a stale " + stale + " is ignored");
    check(before.equals(supervisor.snapshot()), "a stale event changes nothing");
  }

  // ---- the oracle

  /**
   * Whether the Supervisor may clear its failure history now: the live driver, not asked to stop,
   * started resetAfter ago and completed a batch within maxBatchDelay.
   */
  private boolean oracleMayReset() {
    return live != null
        && live.stopAt == null
        && live.startedAt != null
        && live.lastBatchAt != null
        && !now.isBefore(live.startedAt.plus(policy.resetAfter()))
        && now.isBefore(live.lastBatchAt.plus(policy.maxBatchDelay()));
  }

  private void forgetFailures() {
    countedRestarts.clear();
    countedInARow = 0;
    infrastructureInARow = 0;
    lastCountedDelay = Duration.ZERO;
    lastInfrastructureDelay = Duration.ZERO;
  }

  private int inWindow(List<Instant> restarts) {
    Instant horizon = now.minus(policy.window());
    return (int) restarts.stream().filter(t -> t.isAfter(horizon)).count();
  }

  private Instant healthDeadline(Driver d) {
    if (d.startedAt == null) {
      return d.launchedAt.plus(policy.startTimeout());
    }
    if (d.lastBatchAt == null) {
      return d.startedAt.plus(policy.startTimeout());
    }
    return d.lastBatchAt.plus(policy.maxBatchDelay());
  }

  // ---- random things

  private SupervisorPolicy randomPolicy() {
    RestartPolicyType[] types = {
      RestartPolicyType.Always,
      RestartPolicyType.Always,
      RestartPolicyType.OnFailure,
      RestartPolicyType.OnFailure,
      RestartPolicyType.Never
    };
    return new SupervisorPolicy(
        types[random.nextInt(types.length)],
        random.nextInt(7),
        Duration.ofSeconds(5 + random.nextInt(1200)),
        Duration.ofMillis(random.nextInt(10_000)),
        Duration.ofMillis(random.nextInt(120_000)),
        random.nextInt(4) == 0 ? 1.0 : 1.0 + random.nextDouble() * 2,
        Duration.ofSeconds(1 + random.nextInt(600)),
        Duration.ofSeconds(1 + random.nextInt(180)),
        Duration.ofSeconds(1 + random.nextInt(180)),
        Duration.ofMillis(random.nextInt(60_000)),
        random.nextInt(5));
  }

  private static SupervisorPolicy withExecutors(SupervisorPolicy p, int executors) {
    return new SupervisorPolicy(
        p.type(),
        p.maxRestarts(),
        p.window(),
        p.backoffInitial(),
        p.backoffMax(),
        p.backoffMultiplier(),
        p.resetAfter(),
        p.maxBatchDelay(),
        p.startTimeout(),
        p.gracefulStopTimeout(),
        executors);
  }

  private Driver newDriver(int attempt) {
    Driver d = new Driver(attempt, now);
    if (random.nextInt(10) < 8) {
      d.startAt =
          now.plusMillis((long) (random.nextDouble() * policy.startTimeout().toMillis() * 1.2));
    }
    if (random.nextInt(10) < 6) {
      d.crashAt = now.plusMillis(random.nextInt(600_000));
      d.crash = randomExit();
    }
    if (random.nextInt(10) < 2) {
      d.stallAt = now.plusMillis(random.nextInt(300_000));
    }
    d.batchEveryMillis =
        Math.max(1, (long) ((0.1 + random.nextDouble() * 1.1) * policy.maxBatchDelay().toMillis()));
    d.nextBatchAt = now;
    return d;
  }

  private Executor newExecutor() {
    Executor x = new Executor();
    x.startAt = now.plusMillis(random.nextInt(10_000));
    if (random.nextInt(10) < 4) {
      x.crashAt = now.plusMillis(random.nextInt(600_000));
      x.crash = random.nextInt(3) == 0 ? ExitReport.infrastructure("Evicted") : randomExit();
    }
    return x;
  }

  private ExitReport randomExit() {
    int r = random.nextInt(100);
    if (r < 40) {
      return ExitReport.ofExitCode(1);
    } else if (r < 50) {
      return new ExitReport(null, "OOMKilled", FailureClass.APPLICATION);
    } else if (r < 70) {
      return ExitReport.infrastructure(random.nextBoolean() ? "Evicted" : "Preempted");
    } else if (r < 85) {
      return ExitReport.ofExitCode(0);
    } else if (r < 90) {
      return ExitReport.ofExitCode(FailureClass.CONFIGURATION_EXIT_CODE);
    } else if (r < 95) {
      int[] checkpointCodes = {
        FailureClass.INCOMPATIBLE_CHECKPOINT_EXIT_CODE,
        FailureClass.DAMAGED_CHECKPOINT_EXIT_CODE,
        FailureClass.MISSING_INPUT_EXIT_CODE,
        FailureClass.CHECKPOINT_IN_USE_EXIT_CODE
      };
      return ExitReport.ofExitCode(checkpointCodes[random.nextInt(checkpointCodes.length)]);
    }
    return new ExitReport(143, "Terminated", FailureClass.REQUESTED);
  }

  // ---- helpers

  private static boolean isActive(Phase phase) {
    return switch (phase) {
      case Starting, Running, Restarting, Upgrading, Suspending -> true;
      case Pending, Suspended, Succeeded, Failed -> false;
    };
  }

  private static int index(String executorId) {
    return Integer.parseInt(executorId.substring("exec-".length()));
  }

  private static boolean has(
      List<SupervisorAction> actions, Class<? extends SupervisorAction> type) {
    return actions.stream().anyMatch(type::isInstance);
  }

  private void count(Seen s) {
    seen.merge(s, 1, Integer::sum);
  }

  private void remember(String line) {
    if (trace.size() == TRACE_LINES) {
      trace.removeFirst();
    }
    trace.addLast(line);
  }

  private static void check(boolean condition, String promise) {
    if (!condition) {
      throw new AssertionError(promise);
    }
  }

  /** One driver process, from LaunchDriver until its exit is delivered. */
  private static final class Driver {
    final int attempt;
    final Instant launchedAt;
    Instant startAt;
    boolean startReported;
    Instant startedAt;
    Instant crashAt;
    ExitReport crash;
    Instant stallAt;
    long batchEveryMillis;
    Instant nextBatchAt;
    Instant lastBatchAt;
    Instant stopAt;
    Duration grace;
    boolean stopByHealthCheck;
    boolean userEventWhileStopping;
    Instant gracefulExitAt;
    ExitReport gracefulExit;
    boolean killed;
    Instant killExitAt;

    Driver(int attempt, Instant launchedAt) {
      this.attempt = attempt;
      this.launchedAt = launchedAt;
    }

    Instant exitAt() {
      return earliest(earliest(crashAt, gracefulExitAt), killExitAt);
    }

    ExitReport exitReport() {
      Instant at = exitAt();
      if (at.equals(killExitAt)) {
        return new ExitReport(137, "Killed", FailureClass.APPLICATION);
      } else if (at.equals(gracefulExitAt)) {
        return gracefulExit;
      }
      return crash;
    }
  }

  /** One executor process, from LaunchExecutor until its exit is delivered. */
  private static final class Executor {
    Instant startAt;
    boolean started;
    Instant crashAt;
    ExitReport crash;
    boolean stopping;
    Instant stopExitAt;

    Instant exitAt() {
      return earliest(crashAt, stopExitAt);
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
