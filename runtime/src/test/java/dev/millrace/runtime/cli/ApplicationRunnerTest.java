package dev.millrace.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.checkpoint.CheckpointInUseException;
import dev.millrace.runtime.checkpoint.CheckpointLease;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.checkpoint.CheckpointVanishedException;
import dev.millrace.runtime.checkpoint.LeaseClaimant;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.recovery.CheckpointIncompatibleException;
import dev.millrace.streaming.StreamingException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationRunnerTest {
  @TempDir Path dir;

  private CheckpointStore held(String checkpoint, String host, int attempt) {
    return CheckpointStore.held(
        checkpoint,
        new Configuration(),
        3,
        new CheckpointLease.Request(
            new LeaseClaimant(host, host + "/boot/pid:[1]", 100, 0, attempt, "uid-app"),
            Duration.ofSeconds(30),
            Clock.systemUTC(),
            e -> {}));
  }

  @Test
  void anApplicationWhoseCheckpointAnotherDriverHoldsExitsWith75AndWritesNothing()
      throws Exception {
    String checkpoint = dir.resolve("checkpoint").toString();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (CheckpointStore other = held(checkpoint, "node-1", 1)) {
      int code =
          Millrace.run(
              List.of(
                  "app",
                  MillraceTest.TestingApplication.class.getName(),
                  "--conf",
                  "millrace.checkpoint.dir=" + checkpoint),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));

      assertEquals(ExitCode.CHECKPOINT_IN_USE.code(), code, err.toString(StandardCharsets.UTF_8));
      assertFalse(Files.exists(dir.resolve("checkpoint/manifest")), "the refused app wrote one");
      other.checkWritable();
    }
  }

  @Test
  void aRunStoppedByItsCheckpointEndsWithTheCodeNoRestartCures() throws Exception {
    String checkpoint = dir.resolve("checkpoint").toString();
    CheckpointStore fenced = held(checkpoint, "node-1", 1);
    CheckpointStore newer = held(checkpoint, "node-2", 2);
    CheckpointInUseException takenOver =
        assertThrows(
            CheckpointInUseException.class,
            () -> fenced.recordPlan(new BatchPlan(1000, List.of(new byte[0]))));
    newer.close();
    CheckpointStore deleted = held(checkpoint, "node-3", 3);
    try (Stream<Path> files = Files.walk(dir.resolve("checkpoint"))) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    CheckpointVanishedException vanished =
        assertThrows(CheckpointVanishedException.class, () -> deleted.markDone(1000));
    fenced.close();
    deleted.close();

    assertEquals(
        ExitCode.CHECKPOINT_IN_USE,
        exitCodeOf(new StreamingException("planning failed", takenOver)));
    assertEquals(
        ExitCode.CHECKPOINT_DAMAGED,
        exitCodeOf(
            new StreamingException("batch failed", new RuntimeException("wrapped", vanished))));
    assertEquals(
        ExitCode.CHECKPOINT_INCOMPATIBLE,
        exitCodeOf(new CheckpointIncompatibleException("other graph")));
    assertEquals(
        ExitCode.APPLICATION_FAILURE,
        exitCodeOf(new StreamingException("batch failed", new IllegalStateException("user bug"))));
  }

  private static ExitCode exitCodeOf(Throwable failure) {
    return ExitCode.restartCannotHelp(failure).orElse(ExitCode.APPLICATION_FAILURE);
  }
}
