package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch log with a damaged or deleted plan, through the public API: a plan the recovery does not
 * need costs nothing, one it needs stops the application with the damaged-checkpoint error naming
 * the file and what deleting it skips, and after the deletion the application recovers, skipping
 * exactly that batch's input.
 */
class DamagedBatchLogTest {
  @TempDir Path dir;

  private String checkpoint() {
    return dir.resolve("checkpoint").toString();
  }

  private Path plan(long time) {
    return dir.resolve("checkpoint/batches").resolve(String.format("%020d.plan", time));
  }

  @Test
  void aDamagedPlanOlderThanTheRestoredGenerationIsNotNeeded() throws Exception {
    // Generations at 0 and 4000; the log keeps every plan after the oldest generation kept.
    List<String> out =
        RecoveryTest.crashInBatchSevenThenRecover(
            checkpoint(), () -> Files.write(plan(2000), new byte[] {7, 7, 7}));

    assertEquals(RecoveryTest.failureFree(10, dir.resolve("clean").toString()), out);
  }
}
