package dev.millrace.runtime.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run directory's files on a real file system, without starting a process. */
class RunDirectoryTest {
  @TempDir Path dir;

  @Test
  void aSecondRunOfTheSameDirectoryIsRefusedAndToldHowToStopTheFirstOrUseAnother()
      throws IOException {
    RunDirectory runDirectory = new RunDirectory(dir);
    try (FileChannel held = runDirectory.lock("counts")) {
      AlreadySupervisedException e =
          assertThrows(AlreadySupervisedException.class, () -> runDirectory.lock("counts"));

      assertTrue(e.getMessage().contains("supervising counts from " + dir), e.getMessage());
      assertTrue(e.getMessage().contains(dir.resolve("supervisor.pid").toString()), e.getMessage());
      assertTrue(e.getMessage().contains("--run-dir"), e.getMessage());
    }
  }

  @Test
  void aRunThatEndedLeavesNoLockSoTheNextOneTakesIt() throws IOException {
    RunDirectory runDirectory = new RunDirectory(dir);
    try (FileChannel first = runDirectory.lock("counts")) {
      runDirectory.removeRunFiles();
      assertFalse(Files.exists(dir.resolve("run.lock")));
    }

    try (FileChannel next = runDirectory.lock("counts")) {
      assertTrue(Files.exists(dir.resolve("run.lock")));
    }
  }

  @Test
  void removingTheRunFilesKeepsTheSpecStatusAndLogs() throws IOException {
    RunDirectory runDirectory = new RunDirectory(dir);
    try (FileChannel held = runDirectory.lock("counts")) {
      runDirectory.writeSupervisorPid();
      runDirectory.writeDriverPid(4242);
      for (String file :
          List.of("spec.yaml", "status.yaml", "driver-1.address", "driver-2.address")) {
        Files.writeString(dir.resolve(file), "x");
      }
      Files.createDirectories(dir.resolve("logs"));

      runDirectory.removeRunFiles();
    }

    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(
          List.of("logs", "spec.yaml", "status.yaml"),
          left.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void theDriverPidWrittenIsTheOneReadAndNoneWhenThereIsNoReadablePid() throws IOException {
    RunDirectory runDirectory = new RunDirectory(dir);
    assertEquals(Optional.empty(), runDirectory.driverPid());

    runDirectory.writeDriverPid(4242);
    assertEquals(Optional.of(4242L), runDirectory.driverPid());
    assertFalse(Files.exists(dir.resolve(".driver.pid.tmp")));

    Files.writeString(dir.resolve("driver.pid"), "not a pid\n");
    assertEquals(Optional.empty(), runDirectory.driverPid());
  }

  @Test
  void theSupervisorPidIsThisProcess() throws IOException {
    RunDirectory runDirectory = new RunDirectory(dir);
    runDirectory.writeSupervisorPid();

    assertEquals(
        String.valueOf(ProcessHandle.current().pid()),
        Files.readString(dir.resolve("supervisor.pid")).trim());
  }
}
