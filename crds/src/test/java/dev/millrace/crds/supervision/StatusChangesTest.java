package dev.millrace.crds.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.supervision.StatusChanges.Change;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusChangesTest {
  private static final String OUT =
      "input socketTextStream#0 (localhost:9999) has been disconnected";

  @Test
  void anInputOutageIsToldOnceAndItsEndOnce() {
    StreamingAppStatus ready = status("True", "Running", "running", "False", "Healthy");
    StreamingAppStatus out = status("False", "InputOutage", OUT, "False", "Healthy");

    assertEquals(List.of(new Change(true, "not Ready: " + OUT)), StatusChanges.between(ready, out));
    assertEquals(
        List.of(),
        StatusChanges.between(out, status("False", "InputOutage", OUT, "False", "Healthy")));
    assertEquals(
        List.of(new Change(false, "Ready again: every input delivers")),
        StatusChanges.between(out, ready));
  }

  @Test
  void anOutageOfOtherInputsOrWithAnotherErrorIsToldAgain() {
    StreamingAppStatus out = status("False", "InputOutage", OUT, "False", "Healthy");
    StreamingAppStatus worse =
        status("False", "InputOutage", OUT + "; input #1 too", "False", "Healthy");

    assertEquals(1, StatusChanges.between(out, worse).size());
  }

  @Test
  void anOutageEndedByTheDriversExitIsNotCalledReadyAgain() {
    StreamingAppStatus out = status("False", "InputOutage", OUT, "False", "Healthy");
    StreamingAppStatus restarting =
        status("False", "Restarting", "restarting", "True", "Restarting");

    assertEquals(List.of(), StatusChanges.between(out, restarting));
  }

  @Test
  void fallingBehindIsToldWithItsFiguresAndSoIsCatchingUp() {
    StreamingAppStatus healthy = status("True", "Running", "running", "False", "Healthy");
    StreamingAppStatus behind = status("True", "Running", "running", "True", "FallingBehind");

    assertEquals(
        List.of(new Change(true, "falling behind: Degraded FallingBehind")),
        StatusChanges.between(healthy, behind));
    assertEquals(
        List.of(new Change(false, "keeps up again with the batch interval")),
        StatusChanges.between(behind, healthy));
    assertEquals(1, StatusChanges.between(null, behind).size(), "a first status that is behind");
  }

  private static StreamingAppStatus status(
      String ready,
      String readyReason,
      String readyMessage,
      String degraded,
      String degradedReason) {
    StreamingAppStatus status = new StreamingAppStatus();
    status.setConditions(
        List.of(
            condition("Ready", ready, readyReason, readyMessage),
            condition("Degraded", degraded, degradedReason, "Degraded " + degradedReason)));
    return status;
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .build();
  }
}
