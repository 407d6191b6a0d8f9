package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.CheckpointDamagedException;
import dev.millrace.runtime.cli.ExitCode;
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

  @Test
  void aDamagedPlanTheRecoveryNeedsStopsItAsADamagedCheckpointNamingTheFile() throws Exception {
    // Batches 5 and 6 completed after the generation at 4000, and 7 was planned when it died.
    CheckpointDamagedException damaged =
        assertThrows(
            CheckpointDamagedException.class,
            () ->
                RecoveryTest.crashInBatchSevenThenRecover(
                    checkpoint(), () -> flipALastByte(plan(6000))));

    assertEquals(ExitCode.CHECKPOINT_DAMAGED, ExitCode.restartCannotHelp(damaged).orElseThrow());
    String message = damaged.getMessage();
    assertTrue(message.contains(plan(6000).toString()), message);
    assertTrue(message.contains("CRC32"), message);
    assertTrue(message.contains("delete it to skip that batch"), message);
    assertFalse(message.contains("stateless"), message);
  }

  private static void flipALastByte(Path file) throws java.io.IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
  }
}
