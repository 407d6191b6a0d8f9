package dev.millrace.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.crds.InputStatus;
import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingAppStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmStatusTest {

  @Test
  void aStatusSurvivesTheRoundTripThroughYaml() {
    StreamingAppStatus status = outage();
    assertEquals(status, AmStatus.fromYaml(AmStatus.toYaml(status)));
  }

  @Test
  void millraceStatusPrintsEachConditionAndEachInput() {
    assertEquals(
        List.of(
            "Ready       False InputOutage: input socketTextStream#0 (localhost:9999) has been"
                + " disconnected",
            "input socketTextStream#0 (localhost:9999): disconnected since"
                + " 2026-12-07T10:00:00Z, out too long, 12 records, 340 bytes, 1 too long dropped;"
                + " last error: java.net.ConnectException: Connection refused"),
        AmStatus.describe(outage()));
  }

  @Test
  void millraceStatusPrintsASourcesPlannedRecordsAndFiguresInTheirOrder() {
    StreamingAppStatus status = new StreamingAppStatus();
    InputStatus input = new InputStatus();
    input.setName("kafka#0");
    input.setSource("localhost:9092 [orders]");
    input.setHealthy(true);
    input.setRecordsPlanned(4_000L);
    Map<String, String> figures = new LinkedHashMap<>();
    figures.put("lag", "300");
    figures.put("skippedOffsets", "7");
    input.setFigures(figures);
    status.setInputs(List.of(input));

    assertEquals(
        List.of(
            "input kafka#0 (localhost:9092 [orders]), 4000 records planned, lag 300,"
                + " skippedOffsets 7"),
        AmStatus.describe(status));
    assertEquals(status, AmStatus.fromYaml(AmStatus.toYaml(status)));
  }

  @Test
  void somethingElseIsRefusedWithAMessage() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AmStatus.fromYaml("- a list"));
    assertEquals(true, e.getMessage().startsWith("the ApplicationMaster's status is not"));
  }

  private static StreamingAppStatus outage() {
    StreamingAppStatus status = new StreamingAppStatus();
    status.setPhase(Phase.Running);
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("False")
                .withReason("InputOutage")
                .withMessage("input socketTextStream#0 (localhost:9999) has been disconnected")
                .build()));
    InputStatus input = new InputStatus();
    input.setName("socketTextStream#0");
    input.setSource("localhost:9999");
    input.setConnected(false);
    input.setHealthy(false);
    input.setOutageSince("2026-12-07T10:00:00Z");
    input.setLastError("java.net.ConnectException: Connection refused");
    input.setRecordsReceived(12L);
    input.setBytesReceived(340L);
    input.setLinesDropped(1L);
    input.setReceiverRestarts(0);
    status.setInputs(List.of(input));
    return status;
  }
}
