package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.millrace.crds.launch.DriverState;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.runtime.cli.ExitCode;
import dev.millrace.streaming.BatchInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriverStatusTest {
  private final DriverStatus status = new DriverStatus("clicks", 2, 5_000, 1_000, List::of);

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

    DriverStatus early = new DriverStatus("clicks", 3, 0, 1_000, List::of);
    early.stopRequested();
    early.started();
    assertEquals(DriverState.STOPPING, early.state());
    early.ended(ExitCode.CHECKPOINT_INCOMPATIBLE);
    assertEquals(DriverState.FAILED, early.state());
  }
}
