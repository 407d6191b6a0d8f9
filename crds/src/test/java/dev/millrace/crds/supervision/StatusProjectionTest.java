package dev.millrace.crds.supervision;

import static dev.millrace.crds.supervision.TestingPolicy.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.millrace.crds.InputStatus;
import dev.millrace.crds.Phase;
import dev.millrace.crds.RestartPolicyType;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.FallingBehindReport;
import dev.millrace.crds.launch.InputReport;
import dev.millrace.crds.supervision.SupervisorAction.GiveUp;
import dev.millrace.crds.supervision.SupervisorAction.LaunchDriver;
import dev.millrace.crds.supervision.SupervisorAction.StopDriver;
import dev.millrace.crds.supervision.SupervisorEvent.BatchCompleted;
import dev.millrace.crds.supervision.SupervisorEvent.DriverExited;
import dev.millrace.crds.supervision.SupervisorEvent.DriverStarted;
import dev.millrace.crds.supervision.SupervisorEvent.SuspendRequested;
import dev.millrace.crds.supervision.SupervisorEvent.Tick;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusProjectionTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final ExitReport CRASH = ExitReport.ofExitCode(1);
  private static final int EXECUTORS = 2;
  private static final Long GENERATION = 3L;

  private Supervisor supervisor;

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private static String rfc3339(long seconds) {
    return at(seconds).toString();
  }

  private List<SupervisorAction> send(SupervisorEvent event) {
    return supervisor.on(event);
  }

  /** Attempt 1 launched at 0s, started at 1s, first batch (batch time 2s) at 2s. */
  private void running(TestingPolicy policy) {
    supervisor = new Supervisor(policy.executors(EXECUTORS).build());
    send(new Tick(at(0)));
    send(new DriverStarted(at(1), 1));
    send(new BatchCompleted(at(2), at(2)));
    assertEquals(Phase.Running, supervisor.view().phase());
  }

  /**
   * What attempt {@code attempt}'s status endpoint says: started at {@code startedAt}, its newest
   * batch and checkpoint at {@code batchTime} (none if null), with all executors registered.
   */
  private static DriverStatusReport report(int attempt, long startedAt, Long batchTime) {
    Long batchMs = batchTime == null ? null : at(batchTime).toEpochMilli();
    return new DriverStatusReport(
        "wordcount",
        attempt,
        "RUNNING",
        at(startedAt).toEpochMilli(),
        batchMs,
        batchTime == null ? null : 150L,
        batchTime == null ? null : 5L,
        batchTime == null ? null : 155L,
        batchTime == null ? 0 : 1,
        batchTime == null ? 0 : 4_000,
        batchTime == null ? 0.0 : 2_000.0,
        batchMs,
        EXECUTORS,
        List.of());
  }

  /** The driver of attempt 1 at 3s: started at 1s, reporting its batch of 2s. */
  private static DriverObservation firstDriverRunning() {
    return new DriverObservation(
        "wordcount-driver-1", at(1), null, report(1, 1, 2L), "http://wordcount-driver:4040/");
  }

  /**
   * The driver of attempt 1 (started at 1s) after its exit at {@code exitedAt}; the backend may
   * still hold its last report.
   */
  private static DriverObservation firstDriverExited(long exitedAt, DriverStatusReport lastReport) {
    return new DriverObservation("wordcount-driver-1", at(1), at(exitedAt), lastReport);
  }

  private StreamingAppStatus project(
      StreamingAppStatus previous, DriverObservation driver, Instant now) {
    return StatusProjection.project(
        previous, supervisor.view(), driver, EXECUTORS, GENERATION, now);
  }

  private static Condition condition(StreamingAppStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private static void assertCondition(
      StreamingAppStatus status, String type, String expectedStatus, String expectedReason) {
    Condition c = condition(status, type);
    assertEquals(expectedStatus, c.getStatus(), type + " status");
    assertEquals(expectedReason, c.getReason(), type + " reason");
    assertFalse(c.getMessage() == null || c.getMessage().isBlank(), type + " has a message");
    assertEquals(GENERATION, c.getObservedGeneration(), type + " observedGeneration");
  }

  private static String transitionTime(StreamingAppStatus status, String type) {
    return condition(status, type).getLastTransitionTime();
  }

  @Test
  void aRunningAppIsReadyStableAndHealthyWithItsDriversProgress() {
    running(policy());

    StreamingAppStatus status = project(null, firstDriverRunning(), at(3));

    assertEquals(Phase.Running, status.getPhase());
    assertEquals(supervisor.view().message(), status.getMessage());
    assertEquals(GENERATION, status.getObservedGeneration());
    assertEquals("wordcount-driver-1", status.getDriver().getName());
    assertEquals(1, status.getDriver().getAttempt());
    assertEquals("http://wordcount-driver:4040/", status.getDriver().getUrl());
    assertEquals(rfc3339(1), status.getDriver().getStartTime());
    assertNull(status.getDriver().getLastExit());
    assertEquals(EXECUTORS, status.getExecutors().getDesired());
    assertEquals(EXECUTORS, status.getExecutors().getReady());
    assertEquals(0, status.getRestarts().getTotal());
    assertEquals(0, status.getRestarts().getInWindow());
    assertNull(status.getRestarts().getNextAttemptTime());
    assertEquals(rfc3339(2), status.getLastCheckpoint().getBatchTime());
    assertEquals(rfc3339(2), status.getBatches().getLastCompletedTime());
    assertEquals(150L, status.getBatches().getProcessingDelayMs());
    assertEquals(5L, status.getBatches().getSchedulingDelayMs());
    assertEquals(2_000.0, status.getBatches().getRecordsPerSecond());
    assertEquals(
        List.of("Ready", "Progressing", "Degraded"),
        status.getConditions().stream().map(Condition::getType).toList());
    assertCondition(status, "Ready", "True", "Running");
    assertCondition(status, "Progressing", "False", "Stable");
    assertCondition(status, "Degraded", "False", "Healthy");
    status.getConditions().forEach(c -> assertEquals(rfc3339(3), c.getLastTransitionTime()));
  }

  @Test
  void beforeTheFirstLaunchThereIsNoAttemptAndNothingIsReady() {
    supervisor = new Supervisor(policy().executors(EXECUTORS).build());

    StreamingAppStatus status =
        project(null, new DriverObservation(null, null, null, null, "http://wc:4040/"), at(0));

    assertEquals(Phase.Pending, status.getPhase());
    assertNull(status.getDriver().getAttempt());
    assertNull(status.getDriver().getStartTime());
    assertNull(status.getDriver().getUrl(), "no driver yet, whatever the backend says");
    assertEquals(0, status.getExecutors().getReady());
    assertNull(status.getBatches().getLastCompletedTime());
    assertCondition(status, "Ready", "False", "Pending");
    assertCondition(status, "Progressing", "True", "Pending");
    assertCondition(status, "Degraded", "False", "Healthy");
  }

  @Test
  void aRestartInBackoffKeepsTheLastBatchProgress() {
    running(policy());
    StreamingAppStatus wasRunning = project(null, firstDriverRunning(), at(3));

    send(new DriverExited(at(10), 1, CRASH));
    // The backend still holds attempt 1's last report; its driver is gone.
    StreamingAppStatus inBackoff =
        project(wasRunning, firstDriverExited(10, report(1, 1, 2L)), at(10));

    assertEquals(Phase.Restarting, inBackoff.getPhase());
    assertEquals(1, inBackoff.getDriver().getAttempt());
    assertEquals(1, inBackoff.getDriver().getLastExit().getCode());
    assertEquals("Error", inBackoff.getDriver().getLastExit().getReason());
    assertEquals("Application", inBackoff.getDriver().getLastExit().getFailureClass());
    assertEquals(rfc3339(10), inBackoff.getDriver().getLastExit().getTime());
    assertEquals(1, inBackoff.getRestarts().getTotal());
    assertEquals(1, inBackoff.getRestarts().getInWindow());
    assertEquals(rfc3339(11), inBackoff.getRestarts().getNextAttemptTime());
    assertEquals(0, inBackoff.getExecutors().getReady(), "no live driver to register with");
    assertEquals(wasRunning.getBatches(), inBackoff.getBatches());
    assertEquals(wasRunning.getLastCheckpoint(), inBackoff.getLastCheckpoint());
    assertCondition(inBackoff, "Ready", "False", "Restarting");
    assertCondition(inBackoff, "Progressing", "True", "Restarting");
    assertCondition(inBackoff, "Degraded", "True", "Restarting");
    assertTrue(
        condition(inBackoff, "Degraded")
            .getMessage()
            .startsWith("1 restart within restartPolicy.window; last exit: code 1 (Error)."),
        condition(inBackoff, "Degraded").getMessage());

    assertTrue(send(new Tick(at(11))).stream().anyMatch(LaunchDriver.class::isInstance));
    send(new DriverStarted(at(12), 2));
    // Attempt 2 restored the checkpoint and has not completed a batch yet.
    StreamingAppStatus restarted =
        project(
            inBackoff,
            new DriverObservation("wordcount-driver-2", null, at(10), report(2, 12, null)),
            at(12));

    assertEquals(Phase.Starting, restarted.getPhase());
    assertEquals(2, restarted.getDriver().getAttempt());
    assertEquals(rfc3339(12), restarted.getDriver().getStartTime(), "from attempt 2's report");
    assertNull(restarted.getRestarts().getNextAttemptTime());
    assertEquals(EXECUTORS, restarted.getExecutors().getReady());
    assertEquals(wasRunning.getBatches(), restarted.getBatches());
    assertEquals(wasRunning.getLastCheckpoint(), restarted.getLastCheckpoint());
  }

  @Test
  void aGiveUpAfterMaxRestartsIsDegradedWithRestartLimit() {
    running(policy().maxRestarts(1));
    send(new DriverExited(at(10), 1, CRASH));
    send(new Tick(at(11)));
    send(new DriverStarted(at(12), 2));
    assertTrue(
        send(new DriverExited(at(13), 2, CRASH)).stream().anyMatch(GiveUp.class::isInstance));

    StreamingAppStatus status =
        project(null, new DriverObservation("wordcount-driver-2", at(12), at(13), null), at(13));

    assertEquals(Phase.Failed, status.getPhase());
    assertCondition(status, "Ready", "False", "Failed");
    assertCondition(status, "Progressing", "False", "Failed");
    assertCondition(status, "Degraded", "True", "RestartLimit");
    String message = condition(status, "Degraded").getMessage();
    assertEquals(supervisor.view().message(), message);
    assertTrue(message.contains("restartPolicy.maxRestarts=1"), message);
    assertTrue(message.contains("set a new restartNonce"), message);
    assertEquals("Application", status.getDriver().getLastExit().getFailureClass());
    assertEquals(1, status.getRestarts().getTotal());
  }

  @Test
  void aConfigurationExitIsDegradedWithConfigurationAndSaysWhatToFix() {
    supervisor = new Supervisor(policy().executors(EXECUTORS).build());
    send(new Tick(at(0)));
    send(new DriverStarted(at(1), 1));
    send(new DriverExited(at(2), 1, ExitReport.ofExitCode(FailureClass.CONFIGURATION_EXIT_CODE)));

    StreamingAppStatus status = project(null, firstDriverExited(2, null), at(2));

    assertEquals(Phase.Failed, status.getPhase());
    assertEquals(78, status.getDriver().getLastExit().getCode());
    assertEquals("Configuration", status.getDriver().getLastExit().getFailureClass());
    assertCondition(status, "Degraded", "True", "Configuration");
    assertTrue(condition(status, "Degraded").getMessage().contains("fix the spec"));
    assertEquals(0, status.getRestarts().getTotal());
  }

  @Test
  void anIncompatibleCheckpointExitIsDegradedWithIncompatibleCheckpoint() {
    running(policy());
    send(
        new DriverExited(
            at(5), 1, ExitReport.ofExitCode(FailureClass.INCOMPATIBLE_CHECKPOINT_EXIT_CODE)));

    StreamingAppStatus status = project(null, firstDriverExited(5, null), at(5));

    assertCondition(status, "Degraded", "True", "IncompatibleCheckpoint");
    assertTrue(condition(status, "Degraded").getMessage().contains("upgradeMode: stateless"));
  }

  @Test
  void underRestartPolicyNeverAnEvictionIsDegradedWithInfrastructure() {
    running(policy().type(RestartPolicyType.Never));
    send(new DriverExited(at(5), 1, ExitReport.infrastructure("Evicted")));

    StreamingAppStatus status = project(null, firstDriverExited(5, null), at(5));

    assertEquals(Phase.Failed, status.getPhase());
    assertNull(status.getDriver().getLastExit().getCode());
    assertEquals("Evicted", status.getDriver().getLastExit().getReason());
    assertCondition(status, "Degraded", "True", "Infrastructure");
  }

  @Test
  void aSuspendedAppIsNeitherReadyNorProgressingAndSaysHowToResume() {
    running(policy());
    StreamingAppStatus wasRunning = project(null, firstDriverRunning(), at(3));

    assertTrue(send(new SuspendRequested(at(5))).stream().anyMatch(StopDriver.class::isInstance));
    StreamingAppStatus suspending = project(wasRunning, firstDriverRunning(), at(5));

    assertCondition(suspending, "Ready", "False", "Suspending");
    assertCondition(suspending, "Progressing", "True", "Suspending");
    assertCondition(suspending, "Degraded", "False", "Healthy");

    send(new DriverExited(at(6), 1, ExitReport.ofExitCode(0)));
    StreamingAppStatus suspended =
        project(suspending, firstDriverExited(6, report(1, 1, 2L)), at(6));

    assertEquals(Phase.Suspended, suspended.getPhase());
    assertCondition(suspended, "Ready", "False", "Suspended");
    assertCondition(suspended, "Progressing", "False", "Suspended");
    assertCondition(suspended, "Degraded", "False", "Healthy");
    assertTrue(condition(suspended, "Ready").getMessage().contains("set suspend: false"));
    assertEquals("Requested", suspended.getDriver().getLastExit().getFailureClass());
    assertEquals(0, suspended.getExecutors().getReady());
    assertEquals(wasRunning.getBatches(), suspended.getBatches());
    assertEquals(rfc3339(5), transitionTime(suspended, "Ready"), "False since the suspend");
  }

  @Test
  void conditionTransitionTimesAreKeptWhenUnchangedAndMovedWhenChanged() {
    supervisor = new Supervisor(policy().executors(EXECUTORS).build());
    send(new Tick(at(0)));
    send(new DriverStarted(at(1), 1));
    StreamingAppStatus starting =
        project(null, new DriverObservation("wordcount-driver-1", at(1), null, null), at(1));
    send(new BatchCompleted(at(2), at(2)));
    StreamingAppStatus running = project(starting, firstDriverRunning(), at(2));

    assertEquals(rfc3339(2), transitionTime(running, "Ready"), "False to True");
    assertEquals(rfc3339(2), transitionTime(running, "Progressing"), "True to False");
    assertEquals(rfc3339(1), transitionTime(running, "Degraded"), "False all along");

    send(new DriverExited(at(10), 1, CRASH));
    StreamingAppStatus restarting = project(running, firstDriverExited(10, null), at(10));
    send(new Tick(at(11)));
    StreamingAppStatus relaunched =
        project(
            restarting, new DriverObservation("wordcount-driver-2", null, at(10), null), at(11));

    assertEquals("Starting", condition(relaunched, "Ready").getReason(), "a new reason...");
    assertEquals(rfc3339(10), transitionTime(relaunched, "Ready"), "...but still False since 10s");
    assertEquals(rfc3339(10), transitionTime(relaunched, "Progressing"));
    assertEquals(rfc3339(10), transitionTime(relaunched, "Degraded"));
  }

  @Test
  void projectingAnUnchangedWorldLaterGivesAnEqualStatus() {
    running(policy());
    StreamingAppStatus first = project(null, firstDriverRunning(), at(3));

    StreamingAppStatus again = project(first, firstDriverRunning(), at(4));

    assertEquals(first, again);
  }

  @Test
  void aStaleReportFromAnOlderAttemptIsIgnored() {
    running(policy());
    StreamingAppStatus wasRunning = project(null, firstDriverRunning(), at(3));
    send(new DriverExited(at(10), 1, CRASH));
    send(new Tick(at(11)));
    send(new DriverStarted(at(12), 2));

    // A late poll answered by attempt 1, with newer progress than the status shows.
    StreamingAppStatus status =
        project(
            wasRunning,
            new DriverObservation("wordcount-driver-2", null, at(10), report(1, 1, 9L)),
            at(12));

    assertEquals(2, status.getDriver().getAttempt());
    assertNull(status.getDriver().getStartTime(), "not attempt 1's start time");
    assertEquals(0, status.getExecutors().getReady());
    assertEquals(wasRunning.getBatches(), status.getBatches());
    assertEquals(wasRunning.getLastCheckpoint(), status.getLastCheckpoint());
  }

  @Test
  void theStatusSurvivesJsonAndYamlRoundTripsEqual() throws Exception {
    running(policy());
    StreamingAppStatus wasRunning = project(null, firstDriverRunning(), at(3));
    send(new DriverExited(at(10), 1, CRASH));
    StreamingAppStatus status = project(wasRunning, firstDriverExited(10, null), at(10));

    for (ObjectMapper mapper : List.of(new ObjectMapper(), new YAMLMapper())) {
      String text = mapper.writeValueAsString(status);
      StreamingAppStatus read = mapper.readValue(text, StreamingAppStatus.class);
      assertEquals(status, read, text);
      assertEquals(text, mapper.writeValueAsString(read));
    }
    assertTrue(
        new ObjectMapper()
            .writeValueAsString(status)
            .contains("\"nextAttemptTime\":\"" + rfc3339(11) + "\""));
  }

  /** Attempt 1's report at 2s, with {@code inputs} and {@code fallingBehind}. */
  private static DriverStatusReport reportWith(
      List<InputReport> inputs, FallingBehindReport fallingBehind) {
    DriverStatusReport plain = report(1, 1, 2L);
    return new DriverStatusReport(
        plain.app(),
        plain.attempt(),
        plain.state(),
        plain.startTimeMs(),
        plain.lastCompletedBatchTimeMs(),
        plain.processingDelayMs(),
        plain.schedulingDelayMs(),
        plain.totalDelayMs(),
        plain.batchesCompleted(),
        plain.recordsLastBatch(),
        plain.recordsPerSecond(),
        plain.lastCheckpointTimeMs(),
        plain.executorsReady(),
        plain.executors(),
        inputs,
        fallingBehind);
  }

  private static InputReport socket(boolean healthy, Boolean connected) {
    return new InputReport(
        "socketTextStream#0",
        "localhost:9999",
        connected,
        healthy && Boolean.TRUE.equals(connected) ? null : at(1).toEpochMilli(),
        healthy,
        "java.net.ConnectException: Connection refused",
        at(2).toEpochMilli(),
        40L,
        4_096L,
        2,
        1,
        null);
  }

  @Test
  void theInputsAreWrittenAsTheDriverReportsThem() {
    running(policy());

    StreamingAppStatus status =
        project(
            null,
            new DriverObservation(
                "wordcount-driver-1", at(1), null, reportWith(List.of(socket(true, true)), null)),
            at(3));

    InputStatus input = status.getInputs().get(0);
    assertEquals("socketTextStream#0", input.getName());
    assertEquals("localhost:9999", input.getSource());
    assertEquals(Boolean.TRUE, input.getConnected());
    assertEquals(Boolean.TRUE, input.getHealthy());
    assertNull(input.getOutageSince());
    assertEquals("java.net.ConnectException: Connection refused", input.getLastError());
    assertEquals(rfc3339(2), input.getLastErrorTime());
    assertEquals(40L, input.getRecordsReceived());
    assertEquals(4_096L, input.getBytesReceived());
    assertEquals(2L, input.getLinesDropped());
    assertEquals(1, input.getReceiverRestarts());
    assertNull(input.getRemovableUpTo(), "a socket's input is not its to remove");
    assertCondition(status, "Ready", "True", "Running");
  }

  @Test
  void aSourcesPlannedRecordsAndFiguresAreWrittenAndKeptWhileAPollFails() {
    running(policy());
    Map<String, String> figures = new LinkedHashMap<>();
    figures.put("lag", "300");
    figures.put("skippedOffsets", "7");
    InputReport kafka =
        new InputReport(
            "kafka#0",
            "localhost:9092 [orders]",
            null,
            null,
            true,
            null,
            null,
            null,
            null,
            0,
            0,
            null,
            4_000L,
            figures);

    StreamingAppStatus status =
        project(
            null,
            new DriverObservation(
                "wordcount-driver-1", at(1), null, reportWith(List.of(kafka), null)),
            at(3));
    StreamingAppStatus pollFailed =
        project(status, new DriverObservation("wordcount-driver-1", at(1), null, null), at(4));

    InputStatus input = status.getInputs().get(0);
    assertEquals(4_000L, input.getRecordsPlanned());
    assertEquals(List.of("lag", "skippedOffsets"), List.copyOf(input.getFigures().keySet()));
    assertEquals(status.getInputs(), pollFailed.getInputs());
    InputStatus socket =
        project(
                null,
                new DriverObservation(
                    "wordcount-driver-1",
                    at(1),
                    null,
                    reportWith(List.of(socket(true, true)), null)),
                at(3))
            .getInputs()
            .get(0);
    assertNull(socket.getFigures(), "an input without figures writes none");
    assertNull(socket.getRecordsPlanned());
  }

  @Test
  void anInputOutTooLongMakesARunningAppNotReadyNamingTheInputAndItsError() {
    running(policy());

    StreamingAppStatus status =
        project(
            null,
            new DriverObservation(
                "wordcount-driver-1", at(1), null, reportWith(List.of(socket(false, false)), null)),
            at(3));

    assertEquals(Phase.Running, status.getPhase());
    assertCondition(status, "Ready", "False", "InputOutage");
    String message = condition(status, "Ready").getMessage();
    assertTrue(
        message.contains("socketTextStream#0 (localhost:9999) has been disconnected since"),
        message);
    assertTrue(message.contains("Connection refused"), message);
    assertEquals(rfc3339(1), status.getInputs().get(0).getOutageSince());
    assertCondition(status, "Progressing", "False", "Stable");
    assertCondition(status, "Degraded", "False", "Healthy");
  }

  @Test
  void withoutAReportTheInputsAreKeptWhileTheDriverIsLiveAndDroppedOnceItIsNot() {
    running(policy());
    StreamingAppStatus out =
        project(
            null,
            new DriverObservation(
                "wordcount-driver-1", at(1), null, reportWith(List.of(socket(false, false)), null)),
            at(3));

    StreamingAppStatus pollFailed =
        project(out, new DriverObservation("wordcount-driver-1", at(1), null, null), at(4));
    assertEquals(out.getInputs(), pollFailed.getInputs());
    assertCondition(pollFailed, "Ready", "False", "InputOutage");

    send(new DriverExited(at(5), 1, CRASH));
    StreamingAppStatus exited = project(pollFailed, firstDriverExited(5, null), at(5));
    assertEquals(List.of(), exited.getInputs());
  }

  @Test
  void batchesFallingBehindMakeTheAppDegradedWithTheFigures() {
    running(policy());
    FallingBehindReport behind =
        new FallingBehindReport(at(1).toEpochMilli(), 10, 12_300, 2_400, 1_000);

    StreamingAppStatus status =
        project(
            null,
            new DriverObservation("wordcount-driver-1", at(1), null, reportWith(List.of(), behind)),
            at(3));

    assertCondition(status, "Ready", "True", "Running");
    assertCondition(status, "Degraded", "True", "FallingBehind");
    String message = condition(status, "Degraded").getMessage();
    assertTrue(message.contains("scheduling delay 12.3 s, grown over 10 batches"), message);
    assertTrue(message.contains("processing takes 2.4 s per 1.0 s batch"), message);

    StreamingAppStatus caughtUp = project(status, firstDriverRunning(), at(4));
    assertCondition(caughtUp, "Degraded", "False", "Healthy");
  }
}
