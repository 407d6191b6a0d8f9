package dev.millrace.runtime.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.runtime.checkpoint.CheckpointDamagedException;
import dev.millrace.runtime.checkpoint.CheckpointException;
import dev.millrace.runtime.recovery.CheckpointIncompatibleException;
import dev.millrace.runtime.source.InputMissingException;
import dev.millrace.streaming.StreamingException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExitCodeTest {
  @Test
  void eachFailureARestartCannotCureHasItsOwnCodeWhereverItIsInTheCauses() {
    assertEquals(
        Optional.of(ExitCode.CHECKPOINT_INCOMPATIBLE),
        ExitCode.restartCannotHelp(new CheckpointIncompatibleException("other graph")));
    assertEquals(
        Optional.of(ExitCode.CHECKPOINT_DAMAGED),
        ExitCode.restartCannotHelp(
            new StreamingException(
                "batch 5 failed", new CheckpointDamagedException("plan is corrupt"))));
    assertEquals(
        Optional.of(ExitCode.INPUT_MISSING),
        ExitCode.restartCannotHelp(
            new StreamingException(
                "batch 5 failed",
                new InputMissingException("file gone", new NoSuchFileException("/in/a")))));
  }

  @Test
  void aFailureARestartMayCureHasNoCodeOfItsOwn() {
    assertEquals(
        Optional.empty(),
        ExitCode.restartCannotHelp(
            new CheckpointException("cannot read hdfs://nn/ckpt", new java.io.IOException("x"))));
    assertEquals(Optional.empty(), ExitCode.restartCannotHelp(new IllegalStateException("bug")));
  }
}
