package dev.millrace.crds.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DriverStatusReportTest {

  static DriverStatusReport running() {
    return new DriverStatusReport(
        "wordcount",
        3,
        DriverState.RUNNING.name(),
        1_700_000_000_000L,
        1_700_000_060_000L,
        120L,
        5L,
        125L,
        60,
        1234,
        617.5,
        1_700_000_050_000L,
        1,
        List.of(new ExecutorReport("exec-1", "10.0.0.7", 4242, 2, 3, 1_700_000_059_500L, 12, 4)));
  }

  @Test
  void aReportSurvivesTheRoundTripThroughJson() {
    DriverStatusReport report = running();
    assertEquals(report, DriverStatusReport.fromJson(report.toJson()));
  }

  @Test
  void whatIsNotKnownYetTravelsAsNull() {
    DriverStatusReport starting =
        new DriverStatusReport(
            "wordcount", 1, "STARTING", 1L, null, null, null, null, 0, 0, 0.0, null, 0, List.of());
    String json = starting.toJson();
    assertTrue(json.contains("\"lastCompletedBatchTimeMs\":null"), json);
    assertTrue(json.contains("\"lastCheckpointTimeMs\":null"), json);
    DriverStatusReport read = DriverStatusReport.fromJson(json);
    assertNull(read.lastCompletedBatchTimeMs());
    assertNull(read.totalDelayMs());
    assertEquals(starting, read);
    assertEquals(
        List.of(),
        DriverStatusReport.fromJson(json.replace(",\"executors\":[]", "")).executors(),
        "a driver that does not list executors lists none");
  }

  @Test
  void aReportFromANewerDriverWithMoreFieldsAndStatesStillParses() {
    String newer =
        running()
            .toJson()
            .replace("\"state\":\"RUNNING\"", "\"state\":\"DRAINING\"")
            .replaceFirst("\\{", "{\"shuffleBytes\":42,\"shuffleServices\":[{\"id\":1}],");
    DriverStatusReport read = DriverStatusReport.fromJson(newer);
    assertEquals("DRAINING", read.state());
    assertEquals(running().batchesCompleted(), read.batchesCompleted());
    assertEquals(running().executors(), read.executors());
  }

  @Test
  void somethingElseIsRefusedWithAMessage() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DriverStatusReport.fromJson("<html>"));
    assertTrue(e.getMessage().startsWith("not a driver status report"), e.getMessage());
  }

  @Test
  void inputsAndFallingBehindSurviveTheRoundTripAndAnOlderDriverReportsNone() {
    DriverStatusReport plain = running();
    DriverStatusReport full =
        new DriverStatusReport(
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
            List.of(
                new InputReport(
                    "socketTextStream#0",
                    "localhost:9999",
                    false,
                    1_700_000_001_000L,
                    false,
                    "java.net.ConnectException: Connection refused",
                    1_700_000_059_000L,
                    10L,
                    200L,
                    3,
                    1,
                    null),
                new InputReport(
                    "textFileStream#1",
                    "/in",
                    null,
                    null,
                    true,
                    null,
                    null,
                    null,
                    0L,
                    0,
                    0,
                    1_700_000_050_000L)),
            new FallingBehindReport(1_700_000_000_000L, 12, 9_000, 1_800, 1_000));

    assertEquals(full, DriverStatusReport.fromJson(full.toJson()));
    assertEquals(List.of(full.inputs().get(0)), full.unhealthyInputs());

    DriverStatusReport older =
        DriverStatusReport.fromJson(plain.toJson().replace(",\"inputs\":[]", ""));
    assertEquals(List.of(), older.inputs());
    assertNull(older.fallingBehind());
  }
}
