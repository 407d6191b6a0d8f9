package dev.millrace.runtime.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.millrace.runtime.checkpoint.KeptGeneration;
import dev.millrace.runtime.checkpoint.SkippedGeneration;
import dev.millrace.runtime.recovery.CheckpointOpened;
import dev.millrace.streaming.CheckpointInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the Checkpoints page keeps of the recovery's findings and of each generation written. */
class CheckpointsViewTest {

  @Test
  void aGenerationTheRecoveryPassedOverIsMarkedDamagedUntilThisDriverWritesItsBatchAgain() {
    CheckpointsView view = new CheckpointsView("file:/ckpt", 2, () -> 10_000L);
    String why = "file:/ckpt/generations/00000000000000004000/state-0 is corrupt: CRC32 1, not 2";
    view.opened(
        new CheckpointOpened(
            "file:/ckpt",
            1000,
            3000L,
            List.of(new SkippedGeneration(4000, why)),
            List.of(new KeptGeneration(4000, 4_100, 21), new KeptGeneration(3000, 3_100, 20))));

    List<CheckpointsView.GenerationRow> rows = view.report().generations();
    assertEquals(why, rows.get(0).passedOver());
    assertNull(rows.get(1).passedOver(), "the one restored");
    assertEquals(5_900, view.report().lastCheckpointAgeMs());

    view.onCheckpointWritten(new CheckpointInfo(4000, 7, 22, Map.of(), Map.of()));
    rows = view.report().generations();
    assertNull(rows.get(0).passedOver(), "written again, whole");
    assertEquals(CheckpointsView.THIS_DRIVER, rows.get(0).writtenBy());
    assertEquals(7L, rows.get(0).durationMs());

    view.onCheckpointWritten(new CheckpointInfo(5000, 5, 23, Map.of(), Map.of()));
    assertEquals(
        List.of(5000L, 4000L),
        view.report().generations().stream().map(CheckpointsView.GenerationRow::batchTime).toList(),
        "the newest 2, as the directory keeps them");
  }
}
