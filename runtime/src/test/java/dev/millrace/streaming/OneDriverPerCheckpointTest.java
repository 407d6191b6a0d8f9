package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.CheckpointInUseException;
import dev.millrace.runtime.checkpoint.CheckpointLease;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.checkpoint.CheckpointVanishedException;
import dev.millrace.runtime.checkpoint.LeaseClaimant;
import dev.millrace.runtime.checkpoint.TestingDeletion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context takes its checkpoint directory's lease when it starts: refused while another driver
 * holds it, stopped when the directory vanishes under it, and releasing it when it stops.
 */
class OneDriverPerCheckpointTest {
  @TempDir Path dir;

  private String checkpoint() {
    return dir.resolve("checkpoint").toString();
  }

  private CheckpointStore otherDriverHolding(String checkpoint) {
    return CheckpointStore.held(
        checkpoint,
        new Configuration(),
        3,
        new CheckpointLease.Request(
            new LeaseClaimant("node-7", "node-7/boot/pid:[1]", 777, 0, 2, "uid-other"),
            Duration.ofSeconds(30),
            Clock.systemUTC(),
            e -> {}));
  }

  private TestingRun lineCounts(Path in, long now, List<String> outputs) {
    TestingRun run = new TestingRun(checkpoint(), now, b -> {});
    run.ssc
        .textFileStream(in.toString())
        .count()
        .foreachBatch(b -> outputs.add(b.time() + ":" + b.collect().get(0)));
    return run;
  }

  @Test
  void aContextIsRefusedWhileAnotherDriverHoldsItsCheckpointAndStartsOnceThatOneReleasesIt()
      throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<String> outputs = new CopyOnWriteArrayList<>();
    CheckpointStore other = otherDriverHolding(checkpoint());

    try (TestingRun refused = lineCounts(in, 0, outputs)) {
      CheckpointInUseException e = assertThrows(CheckpointInUseException.class, refused.ssc::start);
      assertTrue(
          e.getMessage().contains("host node-7, pid 777, attempt 2 of supervisor uid-other"),
          e.getMessage());
      assertEquals(StreamingContext.State.STOPPED, refused.ssc.state());
    }
    assertFalse(
        Files.exists(dir.resolve("checkpoint/manifest")), "a refused context wrote a manifest");

    other.close();
    try (TestingRun started = lineCounts(in, 0, outputs)) {
      started.runUntil(1000);
    }
    assertEquals(List.of("1000:0"), outputs);
    try (TestingRun again = lineCounts(in, 1000, outputs)) {
      again.runUntil(2000);
    }
    assertEquals(List.of("1000:0", "2000:0"), outputs);
  }

  @Test
  void aContextWhoseCheckpointDirectoryIsDeletedStopsAtItsNextWriteWithoutRecreatingIt()
      throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<String> outputs = new CopyOnWriteArrayList<>();
    try (TestingRun run = lineCounts(in, 0, outputs)) {
      run.runUntil(1000);
      TestingDeletion.deleteTree(dir.resolve("checkpoint"));

      run.clock.setTime(2000);
      StreamingException stopped =
          assertThrows(StreamingException.class, () -> run.ssc.awaitTerminationOrTimeout(20_000));

      CheckpointVanishedException cause =
          assertInstanceOf(CheckpointVanishedException.class, stopped.getCause());
      assertTrue(cause.getMessage().contains("vanished while the driver was running"));
      assertTrue(cause.getMessage().contains("restore the directory from a backup"));
    }
    assertEquals(List.of("1000:0"), outputs);
    assertFalse(Files.exists(dir.resolve("checkpoint")), "the stopped context recreated it");
  }
}
