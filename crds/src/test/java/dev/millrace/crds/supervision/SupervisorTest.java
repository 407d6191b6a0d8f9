package dev.millrace.crds.supervision;

import static dev.millrace.crds.supervision.TestingPolicy.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SupervisorTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final ExitReport CRASH = ExitReport.ofExitCode(1);
  private static final ExitReport CLEAN = ExitReport.ofExitCode(0);
  private static final ExitReport EVICTED = ExitReport.infrastructure("Evicted");

  private Supervisor supervisor;

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private List<SupervisorAction> send(SupervisorEvent event) {
    return supervisor.on(event);
  }

  private SupervisorView view() {
    return supervisor.view();
  }

  /** Attempt 1 launched at 0s, started at 1s, first batch at 2s. */
  private void running(TestingPolicy policy) {
    supervisor = new Supervisor(policy.build());
    send(new Tick(at(0)));
    send(new DriverStarted(at(1), 1));
    send(new BatchCompleted(at(2), at(2)));
  }

  /** The current attempt exits with {@code exit} at {@code seconds}; returns the actions. */
  private List<SupervisorAction> exit(long seconds, ExitReport exit) {
    return send(new DriverExited(at(seconds), view().attempt(), exit));
  }

  @Test
  void firstTickLaunchesTheDriverAndThenItsExecutors() {
    supervisor = new Supervisor(policy().executors(3).build());
    assertEquals(Phase.Pending, view().phase());
    assertEquals(Optional.empty(), supervisor.nextDeadline());

    List<SupervisorAction> actions = send(new Tick(at(0)));

    assertEquals(
        List.of(
            new LaunchDriver(1, false, "first start"),
            new LaunchExecutor("exec-1", "executor.instances is 3"),
            new LaunchExecutor("exec-2", "executor.instances is 3"),
            new LaunchExecutor("exec-3", "executor.instances is 3")),
        actions);
    assertEquals(Phase.Starting, view().phase());
    assertEquals(DriverAttemptState.LAUNCHING, view().driverState());
    assertEquals(1, view().attempt());
  }

  @Test
  void anyFirstEventLaunchesTheDriver() {
    supervisor = new Supervisor(policy().executors(0).build());
    assertEquals(
        List.of(new LaunchDriver(1, false, "first start")),
        send(new ExecutorStarted(at(0), "exec-9")));
  }

  @Test
  void suspendBeforeTheFirstLaunchSuspendsWithoutLaunching() {
    supervisor = new Supervisor(policy().build());

    assertEquals(List.of(), send(new SuspendRequested(at(0))));
    assertEquals(List.of(), send(new Tick(at(5))));

    assertEquals(Phase.Suspended, view().phase());
    assertEquals(0, view().attempt());
    List<SupervisorAction> resumed = send(new ResumeRequested(at(10)));
    assertEquals(new LaunchDriver(1, false, "resume requested"), resumed.get(0));
    assertEquals(3, resumed.size());
  }

  @Test
  void stopBeforeTheFirstLaunchSucceedsWithoutLaunching() {
    supervisor = new Supervisor(policy().build());

    assertEquals(List.of(), send(new StopRequested(at(0))));

    assertEquals(Phase.Succeeded, view().phase());
    assertTrue(view().terminal());
    assertEquals(List.of(), send(new Tick(at(1))));
  }

  @Test
  void driverGoesFromStartingToRunningWithItsFirstBatch() {
    supervisor = new Supervisor(policy().build());
    send(new Tick(at(0)));

    assertEquals(List.of(), send(new DriverStarted(at(3), 1)));
    assertEquals(DriverAttemptState.RUNNING, view().driverState());
    assertEquals(Phase.Starting, view().phase());

    assertEquals(List.of(), send(new BatchCompleted(at(5), at(4))));
    assertEquals(Phase.Running, view().phase());
    assertEquals(Optional.of(at(5)), view().lastProgressAt());
    assertEquals(Optional.of(at(4)), view().lastBatchTime());
    assertTrue(view().message().contains("running"), view().message());
  }

  @Test
  void aBatchFromADriverThatNeverReportedItsStartCountsAsItsStart() {
    supervisor = new Supervisor(policy().build());
    send(new Tick(at(0)));

    send(new BatchCompleted(at(5), at(4)));

    assertEquals(DriverAttemptState.RUNNING, view().driverState());
    assertEquals(Phase.Running, view().phase());
  }

  @Test
  void crashLoopBeyondMaxRestartsGivesUpWithTheReason() {
    running(policy().maxRestarts(5).executors(1));
    long t = 10;
    for (int failure = 1; failure <= 5; failure++) {
      List<SupervisorAction> actions = exit(t, CRASH);
      RestartScheduled scheduled = (RestartScheduled) actions.get(0);
      assertEquals(failure + 1, scheduled.attempt());
      assertEquals(Phase.Restarting, view().phase());
      assertEquals(failure, view().restartsInWindow());
      t = scheduled.at().getEpochSecond() - T0.getEpochSecond();
      assertEquals(
          List.of(new LaunchDriver(failure + 1, false, "restart after " + scheduled.reason())),
          send(new Tick(at(t))));
      t++;
    }

    List<SupervisorAction> actions = exit(t, CRASH);

    String reason =
        "driver failed 6 times within 10m (restartPolicy.maxRestarts=5); last exit: code 1"
            + " (Error). Fix the application, then change the spec or set a new restartNonce to"
            + " try again";
    assertEquals(
        List.of(new GiveUp(reason), new StopExecutor("exec-1", "the application failed")), actions);
    assertEquals(Phase.Failed, view().phase());
    assertTrue(view().terminal());
    assertEquals(reason, view().message());
    assertEquals(5, view().restartsTotal());
    assertEquals(Optional.empty(), supervisor.nextDeadline());
    assertEquals(List.of(), send(new Tick(at(t + 3600))));
  }

  @Test
  void eachRestartSaysHowManyAreLeft() {
    running(policy().maxRestarts(3));

    RestartScheduled scheduled = (RestartScheduled) exit(10, CRASH).get(0);

    assertEquals(
        new RestartScheduled(
            2,
            Duration.ofSeconds(1),
            at(11),
            "driver attempt 1 exited with code 1 (Error) (restart 1 of at most 3 within 10m)"),
        scheduled);
    assertTrue(view().message().contains("driver attempt 2 starts in 1s"), view().message());
    assertEquals(Optional.of(at(11)), view().nextAttemptAt());
    assertEquals(Optional.of(at(11)), supervisor.nextDeadline());
    assertEquals(List.of(), send(new Tick(at(10))));
  }

  @Test
  void maxRestartsZeroGivesUpOnTheFirstCrash() {
    running(policy().maxRestarts(0));

    List<SupervisorAction> actions = exit(10, CRASH);

    assertTrue(actions.get(0) instanceof GiveUp);
    assertTrue(view().message().startsWith("driver failed 1 time within 10m"), view().message());
  }

  @Test
  void failuresOlderThanTheWindowDoNotCount() {
    running(
        policy()
            .maxRestarts(2)
            .window(Duration.ofMinutes(10))
            .startTimeout(Duration.ofHours(1))
            .executors(0));
    exit(10, CRASH);
    send(new Tick(at(11)));
    send(new DriverStarted(at(12), 2));
    exit(300, CRASH);
    send(new Tick(at(302)));
    send(new DriverStarted(at(303), 3));

    // At 611s the failure at 10s has left the 10m window; the one at 300s has not.
    List<SupervisorAction> actions = exit(611, CRASH);

    assertTrue(actions.get(0) instanceof RestartScheduled, actions.toString());
    assertEquals(2, view().restartsInWindow());
    send(new Tick(at(615)));
    assertTrue(exit(616, CRASH).get(0) instanceof GiveUp);
    assertTrue(view().message().startsWith("driver failed 3 times within 10m"), view().message());
  }

  @Test
  void backoffDoublesAndIsCapped() {
    running(
        policy()
            .maxRestarts(100)
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 2.0)
            .executors(0));
    List<Duration> delays = new ArrayList<>();
    long t = 10;
    for (int i = 0; i < 6; i++) {
      RestartScheduled scheduled = (RestartScheduled) exit(t, CRASH).get(0);
      delays.add(scheduled.delay());
      assertEquals(at(t).plus(scheduled.delay()), scheduled.at());
      t += scheduled.delay().getSeconds();
      assertEquals(List.of(), send(new Tick(at(t).minusMillis(1))));
      assertTrue(send(new Tick(at(t))).get(0) instanceof LaunchDriver);
      t++;
    }

    assertEquals(
        List.of(1L, 2L, 4L, 8L, 10L, 10L), delays.stream().map(Duration::getSeconds).toList());
  }

  @Test
  void stableRunResetsTheCounters() {
    running(policy().resetAfter(Duration.ofMinutes(10)).executors(0));
    exit(10, CRASH);
    send(new Tick(at(11)));
    exit(12, CRASH);
    send(new Tick(at(14)));
    send(new DriverStarted(at(15), 3));
    assertEquals(2, view().restartsInWindow());

    long t = 15;
    while (t < 15 + 600) {
      t += 30;
      send(new BatchCompleted(at(t), at(t)));
    }

    assertEquals(0, view().restartsInWindow());
    assertEquals(2, view().restartsTotal());
    assertTrue(view().message().contains("reset after a stable run of 10m"), view().message());
    RestartScheduled next = (RestartScheduled) exit(t + 1, CRASH).get(0);
    assertEquals(Duration.ofSeconds(1), next.delay());
    assertEquals(1, view().restartsInWindow());
    assertEquals(3, view().restartsTotal());
  }

  @Test
  void resetIsDueAsADeadlineWhileThereIsSomethingToReset() {
    running(policy().resetAfter(Duration.ofMinutes(2)).maxBatchDelay(Duration.ofMinutes(5)));
    exit(10, CRASH);
    send(new Tick(at(11)));
    send(new DriverStarted(at(12), 2));
    send(new BatchCompleted(at(13), at(13)));

    assertEquals(Optional.of(at(12 + 120)), supervisor.nextDeadline());
    send(new Tick(at(12 + 120)));

    assertEquals(0, view().restartsInWindow());
    assertEquals(Optional.of(at(13 + 300)), supervisor.nextDeadline());
  }

  @Test
  void aRunWithoutProgressDoesNotReset() {
    running(
        policy()
            .resetAfter(Duration.ofMinutes(1))
            .startTimeout(Duration.ofHours(1))
            .window(Duration.ofHours(1)));
    exit(10, CRASH);
    send(new Tick(at(11)));
    send(new DriverStarted(at(12), 2));

    send(new Tick(at(1000)));

    assertEquals(1, view().restartsInWindow());
  }

  @Test
  void configurationErrorNeverRestarts() {
    running(policy().executors(1));

    List<SupervisorAction> actions = exit(10, ExitReport.ofExitCode(78));

    GiveUp giveUp = (GiveUp) actions.get(0);
    assertEquals(
        "driver attempt 1 exited with code 78 (Error). The configuration is invalid and a restart"
            + " cannot fix it: fix the spec (the driver log names the setting), then apply it or"
            + " set a new restartNonce",
        giveUp.reason());
    assertEquals(new StopExecutor("exec-1", "the application failed"), actions.get(1));
    assertEquals(Phase.Failed, view().phase());
    assertEquals(0, view().restartsInWindow());
    assertEquals(List.of(), send(new Tick(at(10_000))));
  }

  @Test
  void incompatibleCheckpointNeverRestarts() {
    running(policy().executors(0));

    List<SupervisorAction> actions = exit(10, ExitReport.ofExitCode(65));

    assertEquals(1, actions.size());
    String reason = ((GiveUp) actions.get(0)).reason();
    assertTrue(reason.contains("upgradeMode: stateless"), reason);
    assertTrue(reason.contains("restore the previous build"), reason);
    assertEquals(Phase.Failed, view().phase());
  }

  @Test
  void infrastructureFailureRestartsWithoutCounting() {
    running(policy().maxRestarts(1).executors(0));
    List<Duration> delays = new ArrayList<>();
    long t = 10;
    for (int i = 0; i < 4; i++) {
      RestartScheduled scheduled = (RestartScheduled) exit(t, EVICTED).get(0);
      assertTrue(scheduled.reason().contains("not counted"), scheduled.reason());
      delays.add(scheduled.delay());
      t += scheduled.delay().getSeconds();
      assertTrue(send(new Tick(at(t))).get(0) instanceof LaunchDriver);
      t++;
    }

    assertEquals(List.of(1L, 2L, 4L, 8L), delays.stream().map(Duration::getSeconds).toList());
    assertEquals(0, view().restartsInWindow());
    assertEquals(4, view().restartsTotal());
    RestartScheduled afterCrash = (RestartScheduled) exit(t, CRASH).get(0);
    assertEquals(Duration.ofSeconds(1), afterCrash.delay(), "crashes have their own counter");
  }

  @Test
  void stalledDriverIsStoppedThenKilled() {
    running(
        policy()
            .maxBatchDelay(Duration.ofMinutes(1))
            .gracefulStopTimeout(Duration.ofSeconds(30))
            .executors(0));
    assertEquals(Optional.of(at(2 + 60)), supervisor.nextDeadline());
    assertEquals(List.of(), send(new Tick(at(61))));

    List<SupervisorAction> stop = send(new Tick(at(62)));

    assertEquals(
        List.of(
            new StopDriver(
                1,
                Duration.ofSeconds(30),
                "no batch completed for 1m (healthCheck.maxBatchDelay)")),
        stop);
    assertEquals(DriverAttemptState.STOPPING, view().driverState());
    assertEquals(Phase.Restarting, view().phase());
    assertEquals(Optional.of(at(92)), supervisor.nextDeadline());
    assertEquals(List.of(), send(new Tick(at(91))));
    List<SupervisorAction> kill = send(new Tick(at(92)));
    assertEquals(1, kill.size());
    assertTrue(kill.get(0) instanceof KillDriver k && k.attempt() == 1, kill.toString());
    assertEquals(Optional.empty(), supervisor.nextDeadline());
    assertEquals(List.of(), send(new Tick(at(500))), "one kill, and no launch before the exit");

    List<SupervisorAction> exited =
        exit(501, new ExitReport(137, "Killed", FailureClass.APPLICATION));

    assertEquals(Duration.ofSeconds(1), ((RestartScheduled) exited.get(0)).delay());
    assertEquals(
        Optional.of(new ExitReport(137, "HealthCheck", FailureClass.APPLICATION)),
        view().lastExit());
    assertEquals(1, view().restartsInWindow());
  }

  @Test
  void stalledDriverThatStopsInTimeIsNotKilled() {
    running(policy().executors(0));
    send(new Tick(at(62)));

    assertTrue(exit(70, CLEAN).get(0) instanceof RestartScheduled);

    assertFalse(send(new Tick(at(92))).stream().anyMatch(a -> a instanceof KillDriver));
  }

  @Test
  void driverThatNeverStartsIsStoppedAfterTheStartTimeout() {
    supervisor = new Supervisor(policy().startTimeout(Duration.ofMinutes(2)).executors(0).build());
    send(new Tick(at(0)));

    assertEquals(Optional.of(at(120)), supervisor.nextDeadline());
    List<SupervisorAction> actions = send(new Tick(at(120)));

    assertEquals(
        List.of(
            new StopDriver(
                1,
                Duration.ofSeconds(30),
                "driver attempt 1 did not start within 2m (healthCheck.startTimeout)")),
        actions);
  }

  @Test
  void aDriverThatNeverRanIsRetriedUncountedWhenTheBackendSawNoFailureOfItsOwn() {
    supervisor =
        new Supervisor(
            policy().maxRestarts(1).startTimeout(Duration.ofMinutes(2)).executors(0).build());
    send(new Tick(at(0)));
    send(new Tick(at(120)));

    // The operator deleted the never-scheduled pod: gone, at its request.
    List<SupervisorAction> actions =
        exit(121, new ExitReport(null, "Deleted", FailureClass.REQUESTED));

    RestartScheduled restart = (RestartScheduled) actions.get(0);
    assertTrue(restart.reason().contains("never started"), restart.reason());
    assertEquals(0, view().restartsInWindow(), "not the application's fault");
    assertEquals(
        new ExitReport(null, "StartTimeout", FailureClass.INFRASTRUCTURE),
        view().lastExit().orElseThrow());
  }

  @Test
  void aDriverThatStartedButNeverCompletedABatchCountsAsAFailure() {
    supervisor =
        new Supervisor(
            policy().maxRestarts(1).startTimeout(Duration.ofMinutes(2)).executors(0).build());
    send(new Tick(at(0)));
    send(new DriverStarted(at(30), 1));
    send(new Tick(at(150)));

    exit(151, new ExitReport(null, "Deleted", FailureClass.REQUESTED));

    assertEquals(1, view().restartsInWindow(), "it ran and produced nothing: the application's");
  }

  @Test
  void driverWithoutAFirstBatchIsStoppedAfterTheStartTimeout() {
    supervisor = new Supervisor(policy().startTimeout(Duration.ofMinutes(2)).executors(0).build());
    send(new Tick(at(0)));
    send(new DriverStarted(at(30), 1));

    assertEquals(List.of(), send(new Tick(at(149))));
    List<SupervisorAction> actions = send(new Tick(at(150)));

    assertEquals(
        "no batch completed within 2m of the driver's start (healthCheck.startTimeout)",
        ((StopDriver) actions.get(0)).reason());
  }

  @Test
  void healthCheckFailuresCountAndGiveUpLikeCrashes() {
    running(policy().maxRestarts(1).executors(0));
    send(new Tick(at(62)));
    exit(63, CLEAN);
    send(new Tick(at(64)));
    send(new DriverStarted(at(65), 2));
    send(new BatchCompleted(at(66), at(66)));
    send(new Tick(at(126)));

    List<SupervisorAction> actions = exit(127, CLEAN);

    assertTrue(actions.get(0) instanceof GiveUp, actions.toString());
    assertTrue(view().message().contains("last exit: code 0 (HealthCheck)"), view().message());
  }

  @Test
  void repeatedBatchTimeIsNotProgress() {
    running(policy().executors(0));

    send(new BatchCompleted(at(50), at(2)));

    assertEquals(Optional.of(at(2 + 60)), supervisor.nextDeadline());
    assertTrue(send(new Tick(at(62))).get(0) instanceof StopDriver);
  }

  @Test
  void suspendThenResume() {
    running(policy().executors(2));

    List<SupervisorAction> suspend = send(new SuspendRequested(at(100)));

    assertEquals(List.of(new StopDriver(1, Duration.ofSeconds(30), "suspend requested")), suspend);
    assertEquals(Phase.Suspending, view().phase());
    assertEquals(List.of(), send(new Tick(at(110))), "executors stay for the final batch");

    List<SupervisorAction> exited = exit(112, ExitReport.ofExitCode(78));

    assertEquals(
        List.of(
            new StopExecutor("exec-1", "the application is suspended"),
            new StopExecutor("exec-2", "the application is suspended")),
        exited);
    assertEquals(Phase.Suspended, view().phase());
    assertEquals(FailureClass.REQUESTED, view().lastExit().orElseThrow().failureClass());
    assertTrue(view().message().contains("set suspend: false"), view().message());
    assertEquals(Optional.empty(), supervisor.nextDeadline());
    send(new ExecutorExited(at(113), "exec-1", CLEAN));
    send(new ExecutorExited(at(113), "exec-2", CLEAN));
    assertEquals(List.of(), send(new Tick(at(5000))));

    List<SupervisorAction> resumed = send(new ResumeRequested(at(6000)));

    assertEquals(
        List.of(
            new LaunchDriver(2, false, "resume requested"),
            new LaunchExecutor("exec-1", "executor.instances is 2"),
            new LaunchExecutor("exec-2", "executor.instances is 2")),
        resumed);
    assertEquals(Phase.Starting, view().phase());
    assertEquals(0, view().restartsTotal());
  }

  @Test
  void suspendWhileWaitingForABackoffSuspendsAtOnce() {
    running(policy().executors(1));
    exit(10, CRASH);

    List<SupervisorAction> actions = send(new SuspendRequested(at(10)));

    assertEquals(List.of(new StopExecutor("exec-1", "the application is suspended")), actions);
    assertEquals(Phase.Suspended, view().phase());
    assertEquals(Optional.empty(), view().nextAttemptAt());
    assertEquals(List.of(), send(new Tick(at(20))));
  }

  @Test
  void resumeWhileSuspendingLaunchesTheNextAttemptOnceTheDriverHasStopped() {
    running(policy().executors(0));
    send(new SuspendRequested(at(100)));

    assertEquals(List.of(), send(new ResumeRequested(at(101))));
    assertEquals(Phase.Upgrading, view().phase());

    assertEquals(
        List.of(new LaunchDriver(2, false, "resume requested while suspending")), exit(105, CLEAN));
  }

  @Test
  void stopStopsGracefullyThenSucceedsAndStopsTheExecutors() {
    running(policy().executors(1));

    assertEquals(
        List.of(new StopDriver(1, Duration.ofSeconds(30), "stop requested")),
        send(new StopRequested(at(100))));
    assertFalse(view().terminal());

    List<SupervisorAction> actions = exit(101, CLEAN);

    assertEquals(List.of(new StopExecutor("exec-1", "the application stopped")), actions);
    assertEquals(Phase.Succeeded, view().phase());
    assertTrue(view().terminal());
    assertEquals(List.of(), send(new RestartRequested(at(102), "n1")));
    assertEquals(List.of(), send(new ResumeRequested(at(103))));
  }

  @Test
  void aDriverThatFailsWhileStoppingOnRequestEndsFailedWithItsExitNotSucceeded() {
    running(policy().executors(1));
    send(new StopRequested(at(100)));

    List<SupervisorAction> actions = exit(101, CRASH);

    assertEquals(Phase.Failed, view().phase());
    assertEquals(Optional.of(CRASH), view().lastExit(), "the exit is recorded as it was");
    GiveUp giveUp = (GiveUp) actions.get(0);
    assertTrue(
        giveUp.reason().startsWith("driver attempt 1 exited with code 1 (Error) while stopping"),
        giveUp.reason());
    assertTrue(
        actions.contains(new StopExecutor("exec-1", "the application failed")), "" + actions);
    assertEquals(List.of(), send(new Tick(at(200))), "a stop is never followed by a restart");
  }

  @Test
  void aCheckpointFailureWhileStoppingEndsFailedWithItsOwnRemedy() {
    running(policy().executors(0));
    send(new StopRequested(at(100)));

    List<SupervisorAction> actions = exit(101, ExitReport.ofExitCode(74));

    assertEquals(Phase.Failed, view().phase());
    assertEquals(FailureClass.DAMAGED_CHECKPOINT, view().lastExit().orElseThrow().failureClass());
    assertTrue(((GiveUp) actions.get(0)).reason().contains("damaged"), "" + actions);
  }

  @Test
  void whatAStopOnRequestExplainsIsSuccessAnExitAfterTheKillOrByTheClusterToo() {
    for (ExitReport explained :
        List.of(
            CLEAN,
            new ExitReport(143, "Terminated", FailureClass.REQUESTED),
            EVICTED,
            new ExitReport(null, "Deleted", FailureClass.REQUESTED))) {
      running(policy().executors(0));
      send(new StopRequested(at(100)));

      exit(101, explained);

      assertEquals(Phase.Succeeded, view().phase(), explained.describe());
      assertEquals(FailureClass.REQUESTED, view().lastExit().orElseThrow().failureClass());
    }
    running(policy().executors(0).gracefulStopTimeout(Duration.ofSeconds(30)));
    send(new StopRequested(at(100)));
    assertTrue(send(new Tick(at(130))).get(0) instanceof KillDriver, "killed after the grace");

    exit(131, new ExitReport(137, "Killed", FailureClass.APPLICATION));

    assertEquals(Phase.Succeeded, view().phase(), "the kill the Supervisor sent explains 137");
  }

  @Test
  void stopWhileWaitingForABackoffSucceedsAtOnce() {
    running(policy().executors(0));
    exit(10, CRASH);

    assertEquals(List.of(), send(new StopRequested(at(10))));

    assertEquals(Phase.Succeeded, view().phase());
    assertEquals(List.of(), send(new Tick(at(11))));
  }

  @Test
  void stopOutranksAnOngoingSuspend() {
    running(policy().executors(0));
    send(new SuspendRequested(at(100)));

    assertEquals(List.of(), send(new StopRequested(at(101))), "no second StopDriver");
    exit(102, CLEAN);

    assertEquals(Phase.Succeeded, view().phase());
  }

  @Test
  void upgradeRestartsWithoutCounting() {
    running(policy().maxRestarts(0).executors(1));
    SupervisorPolicy upgraded = policy().maxRestarts(0).executors(1).build();

    List<SupervisorAction> stop = send(new SpecChanged(at(100), SpecChange.RESTART, upgraded));

    assertEquals(
        List.of(
            new StopDriver(
                1,
                Duration.ofSeconds(30),
                "the application changed (resuming from the checkpoint)")),
        stop);
    assertEquals(Phase.Upgrading, view().phase());

    List<SupervisorAction> launch = exit(104, CRASH);

    assertEquals(
        List.of(
            new LaunchDriver(2, false, "the application changed (resuming from the checkpoint)")),
        launch);
    assertEquals(Phase.Starting, view().phase());
    assertEquals(0, view().restartsTotal());
    assertEquals(0, view().restartsInWindow());
  }

  @Test
  void upgradeWhileWaitingForABackoffLaunchesAtOnce() {
    running(policy().executors(0));
    exit(10, CRASH);

    List<SupervisorAction> actions =
        send(new SpecChanged(at(10), SpecChange.RESTART, policy().executors(0).build()));

    assertEquals(
        List.of(
            new LaunchDriver(2, false, "the application changed (resuming from the checkpoint)")),
        actions);
  }

  @Test
  void statelessUpgradeStartsFresh() {
    running(policy().executors(0));

    send(new SpecChanged(at(100), SpecChange.RESTART_FRESH, policy().executors(0).build()));
    LaunchDriver launch = (LaunchDriver) exit(101, CLEAN).get(0);

    assertTrue(launch.freshCheckpoint());
    assertTrue(launch.reason().contains("upgradeMode: stateless"), launch.reason());
    assertTrue(
        supervisor.snapshot().attemptStartsFresh(), "a pod created later still starts fresh");
    exit(110, CRASH);
    LaunchDriver restart = (LaunchDriver) send(new Tick(at(111))).get(0);
    assertFalse(restart.freshCheckpoint(), "only the upgrade's attempt starts fresh");
    assertFalse(supervisor.snapshot().attemptStartsFresh());
  }

  @Test
  void statelessUpgradeWhileSuspendedStartsFreshOnResume() {
    running(policy().executors(0));
    send(new SuspendRequested(at(100)));
    exit(101, CLEAN);

    assertEquals(
        List.of(),
        send(new SpecChanged(at(102), SpecChange.RESTART_FRESH, policy().executors(0).build())));
    assertEquals(Phase.Suspended, view().phase());

    LaunchDriver launch = (LaunchDriver) send(new ResumeRequested(at(103))).get(0);
    assertTrue(launch.freshCheckpoint());
  }

  @Test
  void upgradeTakesOverAStopForTheHealthCheckAndIsNotCounted() {
    running(policy().executors(0));
    send(new Tick(at(62)));

    assertEquals(
        List.of(),
        send(new SpecChanged(at(63), SpecChange.RESTART, policy().executors(0).build())));
    exit(64, CRASH);

    assertEquals(0, view().restartsInWindow());
    assertEquals(2, view().attempt());
  }

  @Test
  void newRestartNonceRestartsGracefullyOnce() {
    running(policy().executors(0));

    assertEquals(
        List.of(new StopDriver(1, Duration.ofSeconds(30), "restart requested (restartNonce n1)")),
        send(new RestartRequested(at(100), "n1")));
    assertEquals(Phase.Upgrading, view().phase());
    assertEquals(
        List.of(new LaunchDriver(2, false, "restart requested (restartNonce n1)")),
        exit(101, CLEAN));
    send(new DriverStarted(at(102), 2));

    assertEquals(List.of(), send(new RestartRequested(at(103), "n1")), "the same nonce again");
    assertEquals(2, ((StopDriver) send(new RestartRequested(at(104), "n2")).get(0)).attempt());
    assertEquals(0, view().restartsTotal());
  }

  @Test
  void scaleChangesOnlyExecutors() {
    running(policy().executors(2));
    send(new ExecutorStarted(at(3), "exec-1"));
    send(new ExecutorStarted(at(3), "exec-2"));

    List<SupervisorAction> up =
        send(new SpecChanged(at(10), SpecChange.SCALE_EXECUTORS, policy().executors(4).build()));

    assertEquals(
        List.of(
            new LaunchExecutor("exec-3", "executor.instances is 4"),
            new LaunchExecutor("exec-4", "executor.instances is 4")),
        up);
    assertEquals(DriverAttemptState.RUNNING, view().driverState());
    assertEquals(Phase.Running, view().phase());

    List<SupervisorAction> down =
        send(new SpecChanged(at(20), SpecChange.SCALE_EXECUTORS, policy().executors(1).build()));

    assertEquals(
        List.of(
            new StopExecutor("exec-2", "executor.instances is 1"),
            new StopExecutor("exec-3", "executor.instances is 1"),
            new StopExecutor("exec-4", "executor.instances is 1")),
        down);
    assertEquals(1, view().attempt());
    assertEquals(DriverAttemptState.RUNNING, view().driverState());
  }

  @Test
  void aStoppedExecutorIsLaunchedAgainOnlyAfterItsExit() {
    running(policy().executors(2));
    send(new SpecChanged(at(10), SpecChange.SCALE_EXECUTORS, policy().executors(1).build()));

    assertEquals(
        List.of(),
        send(new SpecChanged(at(11), SpecChange.SCALE_EXECUTORS, policy().executors(2).build())));

    assertEquals(
        List.of(new LaunchExecutor("exec-2", "executor.instances is 2")),
        send(new ExecutorExited(at(12), "exec-2", CLEAN)));
  }

  @Test
  void crashedExecutorIsReplacedAfterItsOwnBackoff() {
    running(policy().executors(2));
    send(new ExecutorStarted(at(3), "exec-2"));

    assertEquals(List.of(), send(new ExecutorExited(at(10), "exec-2", CRASH)));
    assertEquals(Optional.of(at(11)), supervisor.nextDeadline());
    assertEquals(
        List.of(new LaunchExecutor("exec-2", "replacing exec-2, which exited with code 1 (Error)")),
        send(new Tick(at(11))));
    send(new ExecutorStarted(at(12), "exec-2"));
    send(new ExecutorExited(at(13), "exec-2", CRASH));
    assertEquals(Optional.of(at(15)), supervisor.nextDeadline(), "2s: the second in a row");

    assertEquals(0, view().restartsInWindow());
    assertEquals(0, view().restartsTotal());
    assertEquals(Phase.Running, view().phase());
  }

  @Test
  void evictedExecutorIsReplacedAtOnce() {
    running(policy().executors(1));

    assertEquals(
        List.of(
            new LaunchExecutor(
                "exec-1", "replacing exec-1, which exited with no exit code (Evicted)")),
        send(new ExecutorExited(at(10), "exec-1", EVICTED)));
  }

  @Test
  void executorsSurviveDriverRestarts() {
    running(policy().executors(2));

    List<SupervisorAction> crash = exit(10, CRASH);
    List<SupervisorAction> restart = send(new Tick(at(11)));

    assertEquals(1, crash.size());
    assertEquals(1, restart.size());
    assertTrue(restart.get(0) instanceof LaunchDriver);
  }

  @Test
  void staleEventsFromAnOldAttemptAreIgnored() {
    running(policy().executors(0));
    exit(10, CRASH);
    send(new Tick(at(11)));
    SupervisorSnapshot before = supervisor.snapshot();

    assertEquals(List.of(), send(new DriverStarted(at(11), 1)));
    assertEquals(List.of(), send(new DriverExited(at(11), 1, CRASH)));
    assertEquals(List.of(), send(new DriverExited(at(11), 3, CRASH)));
    assertEquals(List.of(), send(new DriverExited(at(11), 0, CRASH)));
    assertEquals(before, supervisor.snapshot());

    send(new DriverStarted(at(12), 2));
    exit(13, CRASH);
    assertEquals(List.of(), exit(13, CRASH), "a repeated exit");
    assertEquals(List.of(), send(new BatchCompleted(at(13), at(13))), "no driver is live");
    assertEquals(2, view().restartsInWindow());
  }

  @Test
  void eventsFromThePastDoNotTurnTheClockBack() {
    running(policy().executors(0));
    send(new Tick(at(50)));

    send(new BatchCompleted(at(40), at(40)));

    assertEquals(Optional.of(at(50 + 60)), supervisor.nextDeadline());
  }

  @Test
  void neverPolicySucceedsWhenTheDriverFinishes() {
    running(policy().type(RestartPolicyType.Never).executors(1));

    List<SupervisorAction> actions = exit(10, CLEAN);

    assertEquals(List.of(new StopExecutor("exec-1", "the application stopped")), actions);
    assertEquals(Phase.Succeeded, view().phase());
  }

  @Test
  void neverPolicyFailsOnAnyOtherExit() {
    for (ExitReport exit : List.of(CRASH, EVICTED, ExitReport.ofExitCode(78))) {
      running(policy().type(RestartPolicyType.Never).executors(0));

      List<SupervisorAction> actions = exit(10, exit);

      assertEquals(1, actions.size(), exit.toString());
      assertTrue(((GiveUp) actions.get(0)).reason().contains("Never"), actions.toString());
      assertEquals(Phase.Failed, view().phase());
    }
  }

  @Test
  void neverPolicyStillRollsOutUpgrades() {
    running(policy().type(RestartPolicyType.Never).executors(0));
    send(new SpecChanged(at(10), SpecChange.RESTART, policy().executors(0).build()));

    assertTrue(exit(11, CLEAN).get(0) instanceof LaunchDriver);
  }

  @Test
  void onFailurePolicySucceedsOnExitZero() {
    running(policy().type(RestartPolicyType.OnFailure).executors(0));

    assertEquals(List.of(), exit(10, CLEAN));

    assertEquals(Phase.Succeeded, view().phase());
    assertTrue(view().message().contains("finished"), view().message());
  }

  @Test
  void onFailurePolicyRestartsCrashes() {
    running(policy().type(RestartPolicyType.OnFailure).executors(0));

    assertTrue(exit(10, CRASH).get(0) instanceof RestartScheduled);
  }

  @Test
  void alwaysPolicyRestartsAfterExitZeroAndCountsIt() {
    running(policy().type(RestartPolicyType.Always).maxRestarts(2).executors(0));

    RestartScheduled first = (RestartScheduled) exit(10, CLEAN).get(0);
    assertTrue(first.reason().contains("under restartPolicy.type Always"), first.reason());
    send(new Tick(at(11)));
    exit(12, CLEAN);
    send(new Tick(at(14)));

    assertTrue(exit(15, CLEAN).get(0) instanceof GiveUp, "a driver that keeps finishing");
  }

  @Test
  void exitAfterARequestedStopIsWhatTheRequestWasForWhateverItsCode() {
    running(policy().executors(0));
    send(new RestartRequested(at(10), "x"));

    List<SupervisorAction> actions = exit(11, ExitReport.ofExitCode(65));

    assertEquals(
        List.of(new LaunchDriver(2, false, "restart requested (restartNonce x)")), actions);
    assertEquals(
        Optional.of(new ExitReport(65, "Error", FailureClass.REQUESTED)), view().lastExit());
  }

  @Test
  void failedAppStartsOverOnARestartSpecChange() {
    running(policy().maxRestarts(0).executors(1));
    exit(10, CRASH);
    send(new ExecutorExited(at(11), "exec-1", CLEAN));
    assertEquals(
        List.of(),
        send(new SpecChanged(at(12), SpecChange.POLICY_ONLY, policy().maxRestarts(1).build())));

    List<SupervisorAction> actions =
        send(new SpecChanged(at(20), SpecChange.RESTART_FRESH, policy().maxRestarts(1).build()));

    assertEquals(
        List.of(
            new LaunchDriver(2, true, "starting over after Failed: the application changed"),
            new LaunchExecutor("exec-1", "executor.instances is 2"),
            new LaunchExecutor("exec-2", "executor.instances is 2")),
        actions);
    assertEquals(Phase.Starting, view().phase());
    assertFalse(view().terminal());
    assertEquals(0, view().restartsInWindow());
    assertTrue(exit(30, CRASH).get(0) instanceof RestartScheduled, "maxRestarts is now 1");
  }

  @Test
  void failedAppStartsOverOnANewRestartNonce() {
    running(policy().maxRestarts(0).executors(0));
    exit(10, ExitReport.ofExitCode(78));

    assertEquals(
        List.of(
            new LaunchDriver(
                2, false, "starting over after Failed: restart requested (restartNonce again)")),
        send(new RestartRequested(at(20), "again")));
    assertEquals(List.of(), send(new DriverStarted(at(21), 2)));
  }

  @Test
  void terminalPhasesIgnoreOtherEvents() {
    running(policy().maxRestarts(0).executors(0));
    exit(10, CRASH);
    SupervisorView failed = view();

    for (SupervisorEvent event :
        List.of(
            new Tick(at(20)),
            new SuspendRequested(at(21)),
            new ResumeRequested(at(22)),
            new StopRequested(at(23)),
            new DriverStarted(at(24), 1),
            new DriverExited(at(25), 1, CRASH),
            new BatchCompleted(at(26), at(26)),
            new ExecutorExited(at(27), "exec-1", CRASH),
            new SpecChanged(at(28), SpecChange.SCALE_EXECUTORS, policy().executors(3).build()))) {
      assertEquals(List.of(), send(event), event.toString());
    }
    assertEquals(failed, view());
  }

  @Test
  void messageAlwaysSaysWhatIsHappening() {
    supervisor = new Supervisor(policy().executors(0).build());
    List<String> messages = new ArrayList<>();
    messages.add(view().message());
    for (SupervisorEvent event :
        List.of(
            new Tick(at(0)),
            new DriverStarted(at(1), 1),
            new BatchCompleted(at(2), at(2)),
            new DriverExited(at(3), 1, CRASH),
            new Tick(at(4)),
            new SuspendRequested(at(5)),
            new DriverExited(at(6), 2, CLEAN),
            new ResumeRequested(at(7)),
            new RestartRequested(at(8), "n"),
            new DriverExited(at(9), 3, CLEAN),
            new StopRequested(at(10)),
            new DriverExited(at(11), 4, CLEAN))) {
      send(event);
      messages.add(view().phase() + ": " + view().message());
    }

    assertEquals(
        List.of(
            "waiting for the first event to launch the driver",
            "Starting: launching driver attempt 1: first start",
            "Starting: driver attempt 1 started; waiting for its first batch"
                + " (healthCheck.startTimeout 2m)",
            "Running: driver attempt 1 is running and completing batches",
            "Restarting: driver attempt 1 exited with code 1 (Error) (restart 1 of at most 5"
                + " within 10m); driver attempt 2 starts in 1s at 2025-01-01T00:00:04Z",
            "Starting: launching driver attempt 2: restart after driver attempt 1 exited with"
                + " code 1 (Error) (restart 1 of at most 5 within 10m)",
            "Suspending: stopping driver attempt 2 gracefully (suspend requested), then suspend",
            "Suspended: suspended: driver attempt 2 exited with code 0 (Completed); the"
                + " checkpoint is kept; set suspend: false to resume",
            "Starting: launching driver attempt 3: resume requested",
            "Upgrading: stopping driver attempt 3 gracefully (restart requested (restartNonce"
                + " n)), then launch attempt 4 at once",
            "Starting: launching driver attempt 4: restart requested (restartNonce n)",
            "Starting: stopping driver attempt 4 gracefully (stop requested), then stop for good",
            "Succeeded: stopped on request: driver attempt 4 exited with code 0 (Completed)"),
        messages);
  }

  @Test
  void restoreFromSnapshotContinuesIdentically() {
    SupervisorPolicy policy = policy().maxRestarts(3).executors(2).build();
    List<SupervisorEvent> script =
        List.of(
            new Tick(at(0)),
            new DriverStarted(at(1), 1),
            new ExecutorStarted(at(1), "exec-1"),
            new ExecutorStarted(at(1), "exec-2"),
            new BatchCompleted(at(2), at(2)),
            new ExecutorExited(at(3), "exec-2", CRASH),
            new DriverExited(at(4), 1, CRASH),
            new Tick(at(5)),
            new DriverStarted(at(6), 2),
            new Tick(at(126)),
            new Tick(at(156)),
            new DriverExited(at(157), 2, CLEAN),
            new Tick(at(159)),
            new SuspendRequested(at(160)),
            new DriverExited(at(161), 3, CLEAN),
            new ResumeRequested(at(170)),
            new SpecChanged(at(171), SpecChange.SCALE_EXECUTORS, policy().executors(3).build()),
            new RestartRequested(at(172), "n"),
            new DriverExited(at(173), 4, CLEAN),
            new Tick(at(400)));
    List<String> uninterrupted = run(new Supervisor(policy), script);

    for (int cut = 0; cut <= script.size(); cut++) {
      Supervisor first = new Supervisor(policy);
      List<String> trace = new ArrayList<>(run(first, script.subList(0, cut)));
      // The backend restores with the policy of the spec it reads now.
      SupervisorPolicy current = policy;
      for (SupervisorEvent event : script.subList(0, cut)) {
        if (event instanceof SpecChanged changed) {
          current = changed.policy();
        }
      }
      Supervisor restored = Supervisor.restore(current, first.snapshot());
      assertEquals(first.snapshot(), restored.snapshot());
      assertEquals(first.nextDeadline(), restored.nextDeadline());
      trace.addAll(run(restored, script.subList(cut, script.size())));
      assertEquals(uninterrupted, trace, "cut at " + cut);
    }
  }

  private static List<String> run(Supervisor supervisor, List<SupervisorEvent> events) {
    List<String> trace = new ArrayList<>();
    for (SupervisorEvent event : events) {
      trace.add(supervisor.on(event) + " " + supervisor.view() + " " + supervisor.nextDeadline());
    }
    return trace;
  }
}
