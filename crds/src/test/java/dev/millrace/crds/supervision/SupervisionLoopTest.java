package dev.millrace.crds.supervision;

import static dev.millrace.crds.supervision.TestingPolicy.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.Phase;
import dev.millrace.crds.supervision.SupervisorEvent.BatchCompleted;
import dev.millrace.crds.supervision.SupervisorEvent.DriverStarted;
import dev.millrace.crds.supervision.SupervisorEvent.StopRequested;
import dev.millrace.crds.supervision.SupervisorEvent.Tick;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SupervisionLoopTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final TestingSupervisionClock clock = new TestingSupervisionClock(T0);
  private final TestingSupervisionBackend backend = new TestingSupervisionBackend(clock);

  private SupervisionLoop loop(SupervisorPolicy policy, Duration pollInterval) {
    return loop(new Supervisor(policy), pollInterval);
  }

  private SupervisionLoop loop(Supervisor supervisor, Duration pollInterval) {
    SupervisionLoop loop = new SupervisionLoop(supervisor, backend, clock, pollInterval);
    backend.reportTo(loop);
    return loop;
  }

  private void stopAt(SupervisionLoop loop, Duration after) {
    clock.at(T0.plus(after), () -> loop.submit(new StopRequested(clock.now())));
  }

  @Test
  void launchesTheDriverAndExecutorsFirstAndStopsThemAllOnAStopRequest() throws Exception {
    SupervisionLoop loop = loop(policy().build(), Duration.ofSeconds(1));
    stopAt(loop, Duration.ofSeconds(10));

    SupervisorView end = loop.run();

    assertEquals(Phase.Succeeded, end.phase());
    assertEquals(end, loop.view());
    List<String> carriedOut =
        backend.calls().stream()
            .filter(c -> !c.startsWith("observe") && !c.startsWith("handled"))
            .toList();
    assertEquals(
        List.of(
            "launchDriver 1",
            "launchExecutor exec-1",
            "launchExecutor exec-2",
            "stopDriver 1",
            "stopExecutor exec-1",
            "stopExecutor exec-2"),
        carriedOut);
    assertEquals(T0, backend.timeOf("launchDriver 1"));
    assertEquals(T0.plusSeconds(10), backend.timeOf("stopDriver 1"));
  }

  @Test
  void feedsEachNewerCompletedBatchOnceHoweverOftenTheDriverReportsIt() throws Exception {
    SupervisionLoop loop = loop(policy().build(), Duration.ofSeconds(1));
    clock.at(T0.plusSeconds(5), () -> backend.reportBatch(1_000));
    clock.at(T0.plusSeconds(20), () -> backend.reportBatch(2_000));
    stopAt(loop, Duration.ofSeconds(40));

    loop.run();

    assertEquals(
        List.of("handled BatchCompleted Running", "handled BatchCompleted Running"),
        backend.calls().stream().filter(c -> c.startsWith("handled BatchCompleted")).toList());
    assertEquals(T0.plusSeconds(5), backend.timeOf("observe BatchCompleted"));
    assertEquals(Instant.ofEpochMilli(2_000), loop.view().lastBatchTime().orElseThrow());
  }

  @Test
  void readsTheDriverStatusEveryPollIntervalAndNoMoreOften() throws Exception {
    SupervisionLoop loop = loop(policy().build(), Duration.ofSeconds(7));
    stopAt(loop, Duration.ofSeconds(60));

    loop.run();

    List<Instant> expected = IntStream.range(0, 9).mapToObj(i -> T0.plusSeconds(7L * i)).toList();
    assertEquals(expected, backend.pollTimes().stream().distinct().toList());
  }

  @Test
  void meetsTheHealthCheckDeadlineOnTimeBetweenPolls() throws Exception {
    // 7 s polls never land on the 2 min start timeout, nor on the 1 s backoff after it.
    SupervisionLoop loop = loop(policy().build(), Duration.ofSeconds(7));
    stopAt(loop, Duration.ofSeconds(150));

    loop.run();

    assertEquals(T0.plus(Duration.ofMinutes(2)), backend.timeOf("stopDriver 1"));
    assertEquals(T0.plus(Duration.ofMinutes(2)), backend.timeOf("restartScheduled 2"));
    assertEquals(T0.plusSeconds(121), backend.timeOf("launchDriver 2"));
  }

  @Test
  void killsADriverThatIgnoresItsGracefulStopOnceTheGracePeriodRunsOut() throws Exception {
    SupervisionLoop loop =
        loop(policy().gracefulStopTimeout(Duration.ofSeconds(30)).build(), Duration.ofSeconds(1));
    backend.ignoreGracefulStop();
    stopAt(loop, Duration.ofSeconds(10));

    SupervisorView end = loop.run();

    assertEquals(T0.plusSeconds(10), backend.timeOf("stopDriver 1"));
    assertEquals(T0.plusSeconds(40), backend.timeOf("killDriver 1"));
    assertEquals(1, backend.calls().stream().filter(c -> c.startsWith("killDriver")).count());
    assertEquals(Phase.Succeeded, end.phase());
  }

  @Test
  void aNewAttemptsFirstBatchIsFedEvenWhenAnEarlierAttemptReportedTheSameBatchTime()
      throws Exception {
    SupervisionLoop loop = loop(policy().build(), Duration.ofSeconds(1));
    clock.at(T0.plusSeconds(5), () -> backend.reportBatch(1_000));
    clock.at(T0.plusSeconds(10), () -> backend.crashDriver(1));
    clock.at(T0.plusSeconds(15), () -> backend.reportBatch(1_000));
    stopAt(loop, Duration.ofSeconds(30));

    loop.run();

    List<String> calls = backend.calls();
    assertEquals(T0.plusSeconds(11), backend.timeOf("launchDriver 2"));
    int relaunch = calls.indexOf("launchDriver 2");
    assertTrue(
        calls.subList(relaunch, calls.size()).contains("handled BatchCompleted Running"),
        calls.toString());
  }

  @Test
  void letsTheBackendSeeAnExitBeforeTheSupervisorAndTheViewAfterItsActions() throws Exception {
    SupervisionLoop loop = loop(policy().build(), Duration.ofSeconds(1));
    clock.at(T0.plusSeconds(5), () -> backend.reportBatch(1_000));
    clock.at(T0.plusSeconds(10), () -> backend.crashDriver(1));
    stopAt(loop, Duration.ofSeconds(30));

    loop.run();

    List<String> calls = backend.calls();
    int observed = calls.indexOf("observe DriverExited Running");
    int scheduled = calls.indexOf("restartScheduled 2");
    int handled = calls.indexOf("handled DriverExited Restarting");
    assertTrue(0 <= observed && observed < scheduled && scheduled < handled, calls.toString());
  }

  @Test
  void endsWithoutAStopRequestWhenTheSupervisorGivesUp() throws Exception {
    SupervisionLoop loop = loop(policy().build(), Duration.ofSeconds(1));
    clock.at(T0.plusSeconds(5), () -> backend.crashDriver(78));

    SupervisorView end = loop.run();

    assertEquals(Phase.Failed, end.phase());
    assertTrue(backend.calls().contains("gaveUp"), backend.calls().toString());
    assertTrue(backend.calls().contains("stopExecutor exec-2"), backend.calls().toString());
  }

  @Test
  void aRestoredSupervisorIsNotFedABatchItHasSeenBefore() throws Exception {
    SupervisorPolicy policy = policy().build();
    Supervisor before = new Supervisor(policy);
    before.on(new Tick(T0));
    before.on(new DriverStarted(T0, 1));
    before.on(new BatchCompleted(T0.plusSeconds(5), Instant.ofEpochMilli(1_000)));
    SupervisionLoop loop =
        loop(Supervisor.restore(policy, before.snapshot()), Duration.ofSeconds(1));
    backend.adoptDriver(1);
    backend.reportBatch(1_000);
    clock.at(T0.plusSeconds(20), () -> backend.reportBatch(2_000));
    stopAt(loop, Duration.ofSeconds(30));

    loop.run();

    assertEquals(T0.plusSeconds(20), backend.timeOf("observe BatchCompleted"));
    assertEquals(
        1, backend.calls().stream().filter(c -> c.startsWith("observe BatchCompleted")).count());
  }

  @Test
  @Timeout(60)
  void handlesWhatOtherThreadsSubmitOnTheLoopThread() throws Exception {
    SupervisionClock wallClock = SupervisionClock.of(Clock.systemUTC());
    TestingSupervisionBackend backend = new TestingSupervisionBackend(wallClock);
    SupervisionLoop loop =
        new SupervisionLoop(
            new Supervisor(policy().build()), backend, wallClock, Duration.ofMillis(20));
    backend.reportTo(loop);
    Thread stopper = new Thread(() -> loop.submit(new StopRequested(Instant.now())), "stopper");
    stopper.start();

    SupervisorView end = loop.run();
    stopper.join();

    assertEquals(Phase.Succeeded, end.phase());
    assertEquals(
        List.of(Thread.currentThread().getName()), backend.threads().stream().distinct().toList());
  }
}
