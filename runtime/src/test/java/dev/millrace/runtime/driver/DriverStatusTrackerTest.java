package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.launch.DriverState;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.InputReport;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.source.SourceStatus;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Durations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DriverStatusTrackerTest {
  private final DriverStatusTracker status =
      new DriverStatusTracker("clicks", 2, 5_000, 1_000, List::of);

  @Test
  void beforeAnyBatchOnlyTheDriverIsKnown() {
    DriverStatusReport report = status.report();
    assertEquals("clicks", report.app());
    assertEquals(2, report.attempt());
    assertEquals("STARTING", report.state());
    assertEquals(5_000, report.startTimeMs());
    assertNull(report.lastCompletedBatchTimeMs());
    assertNull(report.totalDelayMs());
    assertNull(report.lastCheckpointTimeMs());
    assertEquals(0.0, report.recordsPerSecond());
  }

  @Test
  void theLastBatchGivesTheDelaysAndTheLastTenBatchesTheRate() {
    for (int k = 1; k <= 12; k++) {
      long time = k * 1_000L;
      status.onBatchCompleted(new BatchInfo(time, time + 5, time + 20, time + 120, k));
    }
    DriverStatusReport report = status.report();
    assertEquals(12_000L, report.lastCompletedBatchTimeMs());
    assertEquals(15L, report.schedulingDelayMs());
    assertEquals(100L, report.processingDelayMs());
    assertEquals(115L, report.totalDelayMs());
    assertEquals(12, report.batchesCompleted());
    assertEquals(12, report.recordsLastBatch());
    // Batches 3 to 12 hold 75 records over 10 seconds of batch time.
    assertEquals(7.5, report.recordsPerSecond(), 1e-9);
  }

  @Test
  void theNewestCheckpointIsReported() {
    status.onCheckpointCompleted(0);
    status.onCheckpointCompleted(10_000);
    assertEquals(10_000L, status.report().lastCheckpointTimeMs());
  }

  @Test
  void theStateFollowsTheRunAndAStopRequestedWhileStartingIsNotUndone() {
    status.started();
    assertEquals(DriverState.RUNNING, status.state());
    status.stopRequested();
    assertEquals(DriverState.STOPPING, status.state());
    status.ended(ExitCode.OK);
    assertEquals("STOPPED", status.report().state());

    DriverStatusTracker early = new DriverStatusTracker("clicks", 3, 0, 1_000, List::of);
    early.stopRequested();
    early.started();
    assertEquals(DriverState.STOPPING, early.state());
    early.ended(ExitCode.CHECKPOINT_INCOMPATIBLE);
    assertEquals(DriverState.FAILED, early.state());
  }

  @Test
  void anInputIsUnhealthyOnceItsOutageHasLastedLongerThanTheLimit() {
    AtomicLong now = new AtomicLong(100_000);
    TestingStatusSource socket =
        new TestingStatusSource(
            new SourceStatus(
                "localhost:9999",
                false,
                90_000L,
                "java.net.ConnectException: Connection refused",
                99_000L,
                12L,
                340L,
                1,
                0,
                null));
    StreamGraph graph = new StreamGraph("clicks", Durations.seconds(1));
    InputNode<String> input = new InputNode<>(graph, "socketTextStream", socket);
    DriverStatusTracker watched =
        new DriverStatusTracker(
            "clicks", 1, 0, 1_000, List::of, () -> List.of(input), 10_000, 10, now::get);

    InputReport atTheLimit = watched.report().inputs().get(0);
    assertEquals(input.name(), atTheLimit.name());
    assertEquals("localhost:9999", atTheLimit.source());
    assertEquals(Boolean.FALSE, atTheLimit.connected());
    assertTrue(atTheLimit.healthy(), "an outage of exactly the limit is still allowed");
    assertEquals(12L, atTheLimit.recordsReceived());
    assertEquals(340L, atTheLimit.bytesReceived());
    assertEquals(1, atTheLimit.linesDropped());

    now.set(100_001);
    InputReport past = watched.report().inputs().get(0);
    assertFalse(past.healthy());
    assertEquals(List.of(past), watched.report().unhealthyInputs());

    socket.set(new SourceStatus("localhost:9999", true, null, null, null, 20L, 500L, 1, 0, null));
    assertTrue(watched.report().inputs().get(0).healthy());
  }

  @Test
  void aSourcesPlannedRecordsAndFiguresReachTheReportAndItsJsonInTheirOrder() {
    Map<String, String> figures = new LinkedHashMap<>();
    figures.put("lag", "300");
    figures.put("largestLags", "orders-1 200, orders-0 100");
    TestingStatusSource kafka =
        new TestingStatusSource(
            new SourceStatus(
                "localhost:9092 [orders]",
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                0,
                null,
                4_000L,
                figures));
    StreamGraph graph = new StreamGraph("clicks", Durations.seconds(1));
    InputNode<String> input = new InputNode<>(graph, "kafka", kafka);
    DriverStatusTracker watched =
        new DriverStatusTracker(
            "clicks", 1, 0, 1_000, List::of, () -> List.of(input), 10_000, 10, () -> 0L);

    InputReport report = watched.report().inputs().get(0);
    InputReport read = DriverStatusReport.fromJson(watched.report().toJson()).inputs().get(0);

    assertEquals(4_000L, report.recordsPlanned());
    assertEquals(figures, report.figures());
    assertEquals(report, read);
    assertEquals(List.of("lag", "largestLags"), List.copyOf(read.figures().keySet()));
  }

  @Test
  void batchesThatCannotKeepUpAreReportedAsFallingBehind() {
    DriverStatusTracker slow =
        new DriverStatusTracker("clicks", 1, 0, 1_000, List::of, List::of, 60_000, 3, () -> 0);
    for (int k = 1; k <= 3; k++) {
      long time = k * 1_000L;
      long wait = 600L * k;
      slow.onBatchCompleted(new BatchInfo(time, time, time + wait, time + wait + 1_600, 5));
    }
    assertEquals(1_800, slow.report().fallingBehind().schedulingDelayMs());
    assertNull(status.report().fallingBehind(), "a driver without batches keeps up");
  }
}
